"""Tokens: signed by the gateway's private key, verified by every service with the public key or JWKS."""

import asyncio
import base64
import hashlib
import hmac
import json
import time
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import MetaData

from isets_contracts.reference import Role
from isets_kit.auth import Principal, TokenRefused, TokenSigner, TokenVerifier, current_principal, require_roles
from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import DEMO_SIGNING_KEY, DemoKeyRefused, ServiceSettings
from isets_kit.testing import TEST_SIGNER

ISSUER, AUDIENCE = "isets-gateway", "isets"
PROVIDER_A = Principal("provider.a", Role.PROVIDER_PARTNER, "Provider A", frozenset({"LOC-A"}))
OLD_SHARED_SECRET = "isets-demo-secret-change-me-in-production"  # what every service held before


def new_key_pem() -> str:
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def verifier(*public_keys_pem: str) -> TokenVerifier:
    return TokenVerifier(ISSUER, AUDIENCE, ["EdDSA"], public_keys_pem=public_keys_pem or [TEST_SIGNER.public_key_pem])


def refusal(token: str, checked_by: TokenVerifier | None = None) -> str:
    with pytest.raises(TokenRefused) as refused:
        asyncio.run((checked_by or verifier()).verify(token))
    return str(refused.value)


def test_token_carries_role_locations_and_customer():
    assert asyncio.run(verifier().verify(TEST_SIGNER.issue(PROVIDER_A))) == PROVIDER_A
    assert PROVIDER_A.location_scoped and not Principal("s", Role.STATEWIDE).location_scoped


def test_token_for_another_audience_is_refused():
    other = TokenSigner(new_key_pem(), ISSUER, "another-system")
    assert refusal(other.issue(PROVIDER_A), verifier(other.public_key_pem)) == "invalid token"


def test_token_from_another_issuer_is_refused():
    other = TokenSigner(new_key_pem(), "someone-else", AUDIENCE)
    assert refusal(other.issue(PROVIDER_A), verifier(other.public_key_pem)) == "invalid token"


def test_expired_token_is_refused_saying_so():
    assert refusal(TEST_SIGNER.issue(PROVIDER_A, ttl=timedelta(seconds=-1))) == "token expired"


def test_configured_keys_are_picked_by_the_tokens_key_id():
    other = TokenSigner(new_key_pem(), ISSUER, AUDIENCE)
    both = verifier(TEST_SIGNER.public_key_pem, other.public_key_pem)
    assert asyncio.run(both.verify(other.issue(PROVIDER_A))) == PROVIDER_A
    assert asyncio.run(both.verify(TEST_SIGNER.issue(PROVIDER_A))) == PROVIDER_A


def test_token_signed_with_another_key_is_refused():
    assert refusal(TokenSigner(new_key_pem(), ISSUER, AUDIENCE).issue(PROVIDER_A)) == "invalid token"


def test_token_signed_with_the_demo_key_is_refused_by_a_service_with_real_keys():
    demo_signed = TokenSigner(DEMO_SIGNING_KEY, ISSUER, AUDIENCE).issue(PROVIDER_A)
    assert refusal(demo_signed) == "invalid token"


def _hs256(claims: dict, secret: str) -> str:
    """Signed by hand: PyJWT will not take a PEM key as an HMAC secret, an attacker would not ask it."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + part(json.dumps(claims).encode())
    return signing_input + "." + part(hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest())


@pytest.mark.parametrize("secret", [OLD_SHARED_SECRET, TEST_SIGNER.public_key_pem], ids=["old shared secret", "public key"])
def test_token_minted_with_a_services_configuration_is_refused(secret):
    """No service holds signing material: an HS256 token made from what a service is configured with (the
    old shared secret, or its public key used as an HMAC secret) is refused."""
    claims = {"sub": "x", "role": "statewide", "iss": ISSUER, "aud": AUDIENCE, "exp": 4_000_000_000}
    assert refusal(_hs256(claims, secret)) == "invalid token"


def app_checking_tokens(settings: ServiceSettings) -> TestClient:
    app = FastAPI()
    app.state.settings = settings

    @app.get("/me")
    async def me(principal: Principal = Depends(current_principal)):
        return {"user": principal.user_id}

    @app.get("/admin")
    async def admin(principal: Principal = Depends(require_roles(Role.IDHS_ADMIN, Role.STATEWIDE))):
        return {"user": principal.user_id}

    return TestClient(app)


@pytest.mark.parametrize(
    "token", ["garbage", "\xff\xfe.\x00.x", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "ü" * 10]
)
def test_garbage_token_answers_invalid_token_without_library_internals(token):
    client = app_checking_tokens(ServiceSettings(jwt_public_key=TEST_SIGNER.public_key_pem))
    answer = client.get("/me", headers={"Authorization": f"Bearer {token}".encode()})
    assert (answer.status_code, answer.json()) == (401, {"detail": "invalid token"})


def test_forbidden_role_is_told_the_allowed_roles_in_plain_words():
    client = app_checking_tokens(ServiceSettings(jwt_public_key=TEST_SIGNER.public_key_pem))
    answer = client.get("/admin", headers={"Authorization": f"Bearer {TEST_SIGNER.issue(PROVIDER_A)}"})
    assert answer.status_code == 403
    assert answer.json()["detail"] == "a provider partner may not do this; allowed: IDHS admin, statewide staff"


def test_keys_come_from_the_jwks_url_cached_and_fetched_again_for_an_unknown_key_id(monkeypatch):
    """An OIDC issuer can replace the gateway: only the JWKS URL, issuer and audience are configured."""
    rotated = TokenSigner(new_key_pem(), ISSUER, AUDIENCE)
    published = [TEST_SIGNER.jwks()]
    fetches = []

    def fetch_data(client):
        fetches.append(client.uri)
        client.jwk_set_cache.put(published[-1])
        return published[-1]

    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", fetch_data)
    monkeypatch.setattr(jwt.PyJWKClient, "__init__", _no_cooldown(jwt.PyJWKClient.__init__))
    client = app_checking_tokens(ServiceSettings(jwt_jwks_url="https://issuer.example/jwks.json"))
    for _ in range(3):
        assert client.get("/me", headers={"Authorization": f"Bearer {TEST_SIGNER.issue(PROVIDER_A)}"}).status_code == 200
    assert fetches == ["https://issuer.example/jwks.json"]
    published.append({"keys": [rotated.public_jwk]})
    assert client.get("/me", headers={"Authorization": f"Bearer {rotated.issue(PROVIDER_A)}"}).status_code == 200
    assert len(fetches) == 2


def _no_cooldown(init):
    def without_cooldown(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.cooldown_duration = 0

    return without_cooldown


def test_demo_key_is_refused_at_start_without_the_demo_flag(tmp_path):
    settings = ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", demo=False)
    app = ServiceRuntime("throwaway", settings, MetaData(), tmp_path, messaging=False).create_app([], title="x")
    with pytest.raises(DemoKeyRefused):
        with TestClient(app):
            pass


def test_demo_key_is_accepted_with_the_demo_flag_and_real_keys_need_none():
    ServiceSettings(demo=True).refuse_demo_key("x")
    ServiceSettings(jwt_public_key=TEST_SIGNER.public_key_pem).refuse_demo_key("x")
    ServiceSettings(jwt_jwks_url="https://issuer.example/jwks.json").refuse_demo_key("x")


def test_demo_flag_and_keys_are_shared_by_every_service_through_isets_variables(monkeypatch):
    monkeypatch.setenv("ISETS_DEMO", "false")
    monkeypatch.setenv("ISETS_JWT_AUDIENCE", "isets-prod")
    settings = ServiceSettings()
    assert (settings.demo, settings.jwt_audience) == (False, "isets-prod")


def test_a_token_that_checked_out_is_kept_briefly_instead_of_checked_again():
    checks = []
    kept = verifier()
    check = kept._check

    async def counted(token):
        checks.append(token)
        return await check(token)

    kept._check = counted
    token = TEST_SIGNER.issue(PROVIDER_A)
    for _ in range(5):
        assert asyncio.run(kept.verify(token)) == PROVIDER_A
    assert len(checks) == 1


def test_a_kept_token_is_still_refused_once_expired():
    kept = verifier()
    token = TEST_SIGNER.issue(PROVIDER_A, ttl=timedelta(seconds=2))
    assert asyncio.run(kept.verify(token)) == PROVIDER_A
    time.sleep(2.1)
    assert refusal(token, kept) == "token expired"


def test_a_kept_token_with_its_payload_changed_is_refused():
    kept = verifier()
    token = TEST_SIGNER.issue(PROVIDER_A)
    asyncio.run(kept.verify(token))
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps(claims | {"role": "statewide"}).encode()).rstrip(b"=").decode()
    assert refusal(f"{header}.{forged}.{signature}", kept) == "invalid token"
