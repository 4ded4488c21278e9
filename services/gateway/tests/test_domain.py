from datetime import UTC, datetime, timedelta

import bcrypt
import pytest

from isets_contracts.reference import Role
from isets_kit.errors import Conflict, RuleViolation
from gateway.domain import CLAIM_LEASE, KeyUse, Passwords, UpstreamResponse, User, check_idempotency_key, replay

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
ANSWER = UpstreamResponse(201, b'{"id": 1}', "application/json")


@pytest.mark.parametrize(
    "user,field",
    [
        (dict(username="Provider A", role=Role.STATEWIDE), "username"),
        (dict(username="provider.c", role=Role.PROVIDER_PARTNER), "locations"),
        (dict(username="statewide2", role=Role.STATEWIDE, locations=frozenset({"LOC-A"})), "locations"),
        (dict(username="customer.1", role=Role.CUSTOMER), "customer_id"),
        (dict(username="admin.2", role=Role.IDHS_ADMIN, customer_id="C-1"), "customer_id"),
    ],
)
def test_user_rules(user, field):
    with pytest.raises(RuleViolation) as refused:
        User(display_name="Someone", **user)
    assert refused.value.field == field


def test_customer_user_carries_its_customer_id():
    assert User("customer.1", Role.CUSTOMER, "Pat Doe", customer_id="C-1").customer_id == "C-1"


@pytest.fixture
def passwords():
    return Passwords(rounds=4)


def test_password_matches_only_its_own_hash(passwords):
    hashed = passwords.hash("demo-password")
    assert hashed != "demo-password"
    assert passwords.matches("demo-password", hashed)
    assert not passwords.matches("demo-passwore", hashed)


def test_unknown_user_still_costs_one_bcrypt_check(passwords, monkeypatch):
    checks = []
    real_check = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda *args: checks.append(args) or real_check(*args))
    assert not passwords.matches("no such user", None)
    assert len(checks) == 1


@pytest.mark.parametrize("password", ["short", "x" * 73, "é" * 37])
def test_password_length_is_measured_in_bytes_within_bcrypt_limits(passwords, password):
    with pytest.raises(RuleViolation):
        passwords.hash(password)


def test_overlong_password_never_matches(passwords):
    assert not passwords.matches("a" * 73, passwords.hash("a" * 72))


def test_repeated_key_replays_the_first_answer():
    assert replay(KeyUse("POST", "/api/customers", NOW, ANSWER), "POST", "/api/customers", NOW) == ANSWER


def test_key_reused_for_another_request_is_refused():
    with pytest.raises(RuleViolation, match="already used for POST /api/customers"):
        replay(KeyUse("POST", "/api/customers", NOW, ANSWER), "POST", "/api/ies/persons", NOW)


def test_key_of_a_request_in_progress_conflicts_until_the_lease_lapses():
    claim = KeyUse("POST", "/api/customers", NOW, None)
    with pytest.raises(Conflict):
        replay(claim, "POST", "/api/customers", NOW + CLAIM_LEASE - timedelta(seconds=1))
    assert replay(claim, "POST", "/api/customers", NOW + CLAIM_LEASE) is None


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_idempotency_key_length(key):
    with pytest.raises(RuleViolation):
        check_idempotency_key(key)
