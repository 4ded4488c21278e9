"""Writes the gateway's composed OpenAPI document to web/openapi.json (or prints it with `-`), built in
process from the services' apps: nothing is started, no network. `npm run api` then generates the web
app's typed client from it; tests/test_web_api_snapshot.py fails while the snapshot is out of date."""

import importlib
import json
import sys
from pathlib import Path

from isets_kit import registry
from gateway.adapters.upstream import GATEWAY
from gateway.main import create_app as gateway_app

SNAPSHOT = Path(__file__).resolve().parents[1] / "openapi.json"


def composed_document() -> dict:
    gateway = gateway_app()
    gateway.state.api_docs.service_docs = {
        service.name: importlib.import_module(f"{service.module}.main").create_app().openapi()
        for service in registry.services()
        if service.name != GATEWAY
    }
    return gateway.openapi()


def snapshot_text() -> str:
    return json.dumps(composed_document(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["-"]:
        sys.stdout.write(snapshot_text())
    else:
        SNAPSHOT.write_text(snapshot_text())
