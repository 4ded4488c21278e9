"""The gateway's wiring without a running event loop: start-up checks and the composition of API documents."""

import pytest
from fastapi.testclient import TestClient

from isets_kit.settings import DemoKeyRefused
from gateway.adapters.api_docs import ApiDocs
from gateway.main import Settings, create_app


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
