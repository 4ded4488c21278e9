"""Gateway rules: who a user is, how a password is checked, when a stored response is replayed.

Pure: no I/O besides bcrypt's CPU work (callers run it off the event loop).
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

import bcrypt

from isets_contracts.reference import LOCATION_SCOPED_ROLES, Role
from isets_kit.errors import Conflict, RuleViolation

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,79}")
MIN_PASSWORD_BYTES = 8
# bcrypt reads only the first 72 bytes; bcrypt>=5 refuses longer passwords rather than truncating them.
MAX_PASSWORD_BYTES = 72
MAX_IDEMPOTENCY_KEY = 255
# A claimed key whose request never finished (the gateway died) is free again after this long.
CLAIM_LEASE = timedelta(minutes=10)
# How long a key's first answer is kept for replays; clients retry within minutes, not days.
KEY_KEPT_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    display_name: str
    locations: frozenset[str] = frozenset()
    customer_id: str | None = None

    def __post_init__(self):
        if not USERNAME.fullmatch(self.username):
            raise RuleViolation("username", "2 to 80 of a-z, 0-9, '.', '_', '-', starting with a letter or digit")
        if self.role in LOCATION_SCOPED_ROLES and not self.locations:
            raise RuleViolation("locations", f"a {self.role.value} works at one or more locations")
        if self.role not in LOCATION_SCOPED_ROLES and self.locations:
            raise RuleViolation("locations", f"a {self.role.value} is not scoped to locations")
        if (self.role == Role.CUSTOMER) != (self.customer_id is not None):
            raise RuleViolation("customer_id", "required for the customer role and only for it")


class Passwords:
    """bcrypt hashing at a fixed cost (`rounds`; 12 in production, fewer in tests)."""

    def __init__(self, rounds: int = 12):
        self.rounds = rounds

    def hash(self, password: str) -> str:
        if not MIN_PASSWORD_BYTES <= len(password.encode()) <= MAX_PASSWORD_BYTES:
            raise RuleViolation("password", f"{MIN_PASSWORD_BYTES} to {MAX_PASSWORD_BYTES} bytes")
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self.rounds)).decode()

    def matches(self, password: str, hashed: str | None) -> bool:
        """`hashed` is None for an unknown user: it is checked against a decoy, so timing does not tell who exists."""
        candidate = password.encode()
        if len(candidate) > MAX_PASSWORD_BYTES:
            return False
        return bcrypt.checkpw(candidate, (hashed or self._decoy).encode()) and hashed is not None

    @cached_property
    def _decoy(self) -> str:
        return bcrypt.hashpw(b"no such user", bcrypt.gensalt(self.rounds)).decode()


@dataclass(frozen=True)
class UpstreamResponse:
    status: int
    body: bytes
    content_type: str | None


@dataclass(frozen=True)
class KeyUse:
    """The first request a user made with an idempotency key; `response` is None until the upstream answered."""

    method: str
    path: str
    created_at: datetime
    response: UpstreamResponse | None


class KeyInProgress(Conflict):
    def __init__(self):
        super().__init__("Idempotency-Key", "a request with this key is still in progress; retry later")


def check_idempotency_key(key: str) -> None:
    if not 0 < len(key) <= MAX_IDEMPOTENCY_KEY:
        raise RuleViolation("Idempotency-Key", f"1 to {MAX_IDEMPOTENCY_KEY} characters")


def replay(first: KeyUse, method: str, path: str, now: datetime) -> UpstreamResponse | None:
    """The response to give a repeated request, or None when an abandoned claim may be taken over."""
    if (first.method, first.path) != (method, path):
        raise RuleViolation("Idempotency-Key", f"already used for {first.method} {first.path}")
    if first.response is not None:
        return first.response
    if now - first.created_at < CLAIM_LEASE:
        raise KeyInProgress()
    return None


def worth_keeping(response: UpstreamResponse) -> bool:
    """A server error may not happen again, so it is not replayed: the key is freed for a retry."""
    return response.status < 500
