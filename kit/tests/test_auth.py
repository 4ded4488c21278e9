from datetime import timedelta

import jwt
import pytest

from isets_contracts.reference import Role
from isets_kit.auth import Principal, issue_token, verify_token

SECRET = "kit-test-secret-long-enough-for-hs256!"


def test_token_carries_role_locations_and_customer():
    principal = Principal("provider.a", Role.PROVIDER_PARTNER, "Provider A", frozenset({"LOC-A"}))
    assert verify_token(issue_token(principal, SECRET), SECRET) == principal
    assert principal.location_scoped and not Principal("s", Role.STATEWIDE).location_scoped


def test_token_signed_with_another_secret_is_refused():
    token = issue_token(Principal("x", Role.STATEWIDE), "another-secret-that-is-long-enough-too")
    with pytest.raises(jwt.InvalidSignatureError):
        verify_token(token, SECRET)


def test_expired_token_is_refused():
    token = issue_token(Principal("x", Role.STATEWIDE), SECRET, ttl=timedelta(seconds=-1))
    with pytest.raises(jwt.ExpiredSignatureError):
        verify_token(token, SECRET)
