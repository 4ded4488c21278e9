"""Gateway rules: who a user is, how a password is checked, when a stored response is replayed, when
sign-ins are throttled, how the access audit is chained.

Pure: no I/O besides bcrypt's CPU work (callers run it off the event loop).
"""

import hashlib
import json
import math
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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


# Control characters (C0 and DEL, tab allowed): no text the gateway reads or passes on may hold them.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
CONTROL_CHARACTER_RULE = "contains a control character (only tab is allowed)"  # as ies_sync says it


def has_control_characters(value: str) -> bool:
    return _CONTROL_CHARACTER.search(value) is not None


def check_plain_text(field: str, value: str) -> None:
    if has_control_characters(value):
        raise RuleViolation(field, CONTROL_CHARACTER_RULE)


class LoginThrottle:
    """Failed sign-ins counted per user name and per client address over a sliding window.

    Kept in memory: right for one gateway process. Several gateway replicas would each count on their own
    (an attacker gets replicas × the limit), so they would need a shared store such as the database."""

    MAX_TRACKED = 100_000  # beyond this, keys with no failure inside the window are dropped

    def __init__(self, per_user: int, per_address: int, window: timedelta):
        self.limits = {"user": per_user, "address": per_address}
        self.window = window
        self._failures: dict[tuple[str, str], deque[datetime]] = {}

    def _recent(self, key: tuple[str, str], now: datetime) -> deque[datetime]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, username: str, address: str, now: datetime) -> int | None:
        """Seconds until a sign-in may be tried again, or None when it may be tried now."""
        waits = []
        for key in (("user", username.casefold()), ("address", address)):
            failures = self._recent(key, now)
            if len(failures) >= self.limits[key[0]]:
                waits.append(failures[-self.limits[key[0]]] + self.window - now)
        return max(1, math.ceil(max(waits).total_seconds())) if waits else None

    def failed(self, username: str, address: str, now: datetime) -> None:
        if len(self._failures) > self.MAX_TRACKED:
            self._failures = {key: times for key, times in self._failures.items() if self._recent(key, now)}
        for key in (("user", username.casefold()), ("address", address)):
            self._failures[key] = self._recent(key, now)
            self._failures[key].append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(("user", username.casefold()), None)


@dataclass(frozen=True)
class Access:
    """One request that read or changed customer data, as the access audit records it."""

    user_id: str
    role: str
    method: str
    route: str  # the route's template, e.g. /api/customers/{customer_id}: no values
    customer_id: str | None
    status: int
    correlation_id: str
    at: datetime


FIRST_PREVIOUS_HASH = "0" * 64


def chain_hash(access: Access, previous_hash: str) -> str:
    """Each entry's hash covers its fields and the previous entry's hash, so editing or removing an entry
    breaks every later link."""
    fields = [
        previous_hash,
        access.user_id,
        access.role,
        access.method,
        access.route,
        access.customer_id,
        access.status,
        access.correlation_id,
        access.at.astimezone(UTC).isoformat(timespec="microseconds"),
    ]
    return hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    position: int
    problem: str


def first_break(
    entries: Iterable[tuple[int, Access, str, str]], previous_hash: str = FIRST_PREVIOUS_HASH, expected_position: int = 1
) -> ChainBreak | None:
    """`entries`: (position, access, its stored previous hash, its stored hash), in position order
    from `expected_position` (1: the chain's start).
    Entries removed from the end leave no gap: compare the count with what an export or a replica holds."""
    for position, access, stored_previous, stored_hash in entries:
        if position != expected_position:
            return ChainBreak(expected_position, "entry missing")
        if stored_previous != previous_hash:
            return ChainBreak(position, "does not follow the entry before it")
        if chain_hash(access, stored_previous) != stored_hash:
            return ChainBreak(position, "fields do not match its hash")
        previous_hash, expected_position = stored_hash, position + 1
    return None
