"""The web app's typed client is generated from web/openapi.json: the snapshot must be the gateway's
composed document as the code builds it now, so a changed API breaks the build instead of the user."""

from pathlib import Path

from web.scripts.openapi_snapshot import SNAPSHOT, snapshot_text


def test_committed_openapi_snapshot_is_the_gateways_composed_document():
    assert SNAPSHOT == Path(__file__).resolve().parent.parent / "web" / "openapi.json"
    assert SNAPSHOT.read_text() == snapshot_text(), (
        "the gateway's API changed: run `.venv/bin/python web/scripts/openapi_snapshot.py` and `npm run api` in web/, "
        "then commit web/openapi.json and web/src/api/schema.d.ts"
    )
