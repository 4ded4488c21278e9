from fastapi import APIRouter, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy import MetaData

from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import ServiceSettings


def test_requests_are_counted_and_timed_by_route_template_and_status(tmp_path):
    router = APIRouter()

    @router.get("/things/{thing_id}")
    async def thing(thing_id: str):
        if thing_id == "missing":
            raise HTTPException(404, "no such thing")
        return {"id": thing_id}

    settings = ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'm.db'}", demo=True)
    app = ServiceRuntime("metered", settings, MetaData(), tmp_path, messaging=False).create_app([router], title="m")
    client = TestClient(app)
    assert client.get("/things/Juanita").status_code == 200
    assert client.get("/things/missing").status_code == 404
    assert client.get("/no/such/route").status_code == 404
    metrics = client.get("/metrics").text
    assert 'isets_http_requests_total{method="GET",route="/things/{thing_id}",service="metered",status="200"} 1.0' in metrics
    assert 'isets_http_requests_total{method="GET",route="/things/{thing_id}",service="metered",status="404"} 1.0' in metrics
    assert 'isets_http_requests_total{method="GET",route="unmatched",service="metered",status="404"} 1.0' in metrics
    assert 'isets_http_request_duration_seconds_count{method="GET",route="/things/{thing_id}",service="metered",status="200"} 1.0' in metrics
    assert "Juanita" not in metrics
