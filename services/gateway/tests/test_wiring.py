"""The gateway's wiring without a running event loop: start-up checks and the composition of API documents."""

import asyncio

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from pydantic import SecretStr

from isets_contracts.reference import Role
from isets_kit.auth import Principal

from isets_kit.settings import DemoKeyRefused
from gateway.adapters.api_docs import ApiDocs
from gateway.main import Settings, create_app

TEST_KEY_PEM = (
    Ed25519PrivateKey.generate()
    .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    .decode()
)


def test_gateway_refuses_to_start_signing_with_the_demo_key_without_the_demo_flag(tmp_path):
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'g.db'}", demo=False)
    with pytest.raises(DemoKeyRefused):
        with TestClient(create_app(settings)):
            pass


def test_component_names_that_clash_are_renamed_and_their_references_follow():
    components = {"schemas": {"Run": {"type": "object", "properties": {"a": {"type": "string"}}}}}
    renamed = ApiDocs._merge_components(
        components, {"schemas": {"Run": {"type": "integer"}, "Page": {"items": {"$ref": "#/components/schemas/Run"}}}}, "ies_sync"
    )
    assert renamed == {"Run": "ies_sync_Run"}
    assert components["schemas"]["ies_sync_Run"] == {"type": "integer"}
    assert components["schemas"]["Page"] == {"items": {"$ref": "#/components/schemas/ies_sync_Run"}}


def test_after_a_key_rotation_tokens_of_the_retired_key_still_verify_until_they_expire(tmp_path):
    before = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'g.db'}", demo=True))
    old_token = before.state.token_signer.issue(Principal("statewide", Role.STATEWIDE))
    after = create_app(
        Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'g.db'}",
            jwt_signing_key=SecretStr(TEST_KEY_PEM),
            jwt_retired_public_keys=[before.state.token_signer.public_key_pem],
        )
    )
    assert [key["kid"] for key in after.state.token_signer.jwks()["keys"]] == [
        after.state.token_signer.public_jwk["kid"],
        before.state.token_signer.public_jwk["kid"],
    ]
    assert asyncio.run(after.state.token_verifier.verify(old_token)).user_id == "statewide"
