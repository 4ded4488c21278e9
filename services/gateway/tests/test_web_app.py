"""The gateway serves the built web app at / and composes the customer overview from intake's routes.

In process: SQLite database with migrations applied, a fake intake answering the overview's sections."""

import json
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from gateway.demo import DEMO_PASSWORD
from gateway.main import Settings, create_app, seed
from services.gateway.tests.upstream_double import UpstreamDouble
from isets_kit.migrations import upgrade_to_head

MIGRATIONS = Path(__file__).resolve().parents[1] / "gateway" / "migrations"
INTAKE = "http://intake.test:8101"
PROFILE = {"access": "full", "id": "c-1", "first_name": "Ada"}
REFERRALS = [{"number": 1, "referred_to": "LOC-B"}]

pytestmark = pytest.mark.asyncio(loop_scope="session")


class FakeIntake:
    def __init__(self):
        self.status = 200
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/customers/c-1":
            return httpx.Response(self.status, json=PROFILE if self.status == 200 else {"detail": [{"field": "customer_id", "rule": "no customer c-1"}]})
        if request.url.path == "/customers/c-1/referrals":
            return httpx.Response(self.status, json=REFERRALS if self.status == 200 else {"detail": "no"})
        return httpx.Response(404, json={"detail": "not found"})


@pytest.fixture
def build(tmp_path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<html>the app</html>")
    (dist / "assets" / "index-abc.js").write_text("console.log('app')")
    return dist


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(tmp_path, build):
    intake = FakeIntake()
    served = await UpstreamDouble(intake, INTAKE).start()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
        upstream_urls={"intake": served.url, "ies_sync": served.url},
        password_hash_rounds=4,
        seed_demo_users=True,
        demo=True,
        web_dir=build,
    )
    app = create_app(settings)
    await upgrade_to_head(MIGRATIONS, settings.database_url)
    await seed(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client:
        token = (await client.post("/auth/token", data={"username": "statewide", "password": DEMO_PASSWORD})).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client, intake, app
    await app.state.audit.stop()
    await app.state.upstreams.aclose()
    await app.state.runtime.engine.dispose()
    await served.stop()


@pytest.mark.parametrize("path", ["/", "/customers", "/customers/c-1", "/imports/7"])
async def test_client_routes_of_the_web_app_answer_its_index_html(gateway, path):
    client, _, _ = gateway
    answer = await client.get(path)
    assert answer.status_code == 200 and answer.text == "<html>the app</html>"
    assert answer.headers["cache-control"] == "no-cache"


async def test_built_assets_are_served_as_files_and_cached_for_good(gateway):
    client, _, _ = gateway
    answer = await client.get("/assets/index-abc.js")
    assert answer.text == "console.log('app')" and "immutable" in answer.headers["cache-control"]


@pytest.mark.parametrize("path", ["/api/nothing-here", "/auth/nothing", "/.well-known/nothing", "/metricsx/../metrics/x", "/docs/x"])
async def test_gateway_paths_never_fall_back_to_the_web_app(gateway, path):
    client, _, _ = gateway
    answer = await client.get(path)
    assert answer.text != "<html>the app</html>"


async def test_gateways_own_routes_stay_its_own(gateway):
    client, _, _ = gateway
    assert (await client.get("/.well-known/jwks.json")).json()["keys"]
    assert (await client.get("/healthz")).status_code == 200
    assert "text/html" in (await client.get("/docs")).headers["content-type"]


async def test_files_outside_the_build_are_never_served(gateway, build):
    client, _, _ = gateway
    (build.parent / "secret.txt").write_text("secret")
    answer = await client.get("/%2E%2E/secret.txt")
    assert "secret" not in answer.text


async def test_overview_composes_profile_and_referrals_with_the_callers_token(gateway):
    client, intake, _ = gateway
    answer = await client.get("/api/customers/c-1/overview")
    assert answer.status_code == 200
    assert answer.json() == {"profile": PROFILE, "referrals": REFERRALS}
    assert {request.url.path for request in intake.requests} == {"/customers/c-1", "/customers/c-1/referrals"}
    assert all(request.headers["authorization"] == client.headers["authorization"] for request in intake.requests)


async def test_overview_of_a_customer_the_service_refuses_answers_its_refusal(gateway):
    client, intake, _ = gateway
    intake.status = 404
    answer = await client.get("/api/customers/c-1/overview")
    assert answer.status_code == 404
    assert answer.json() == {"detail": [{"field": "customer_id", "rule": "no customer c-1"}]}


async def test_overview_answers_502_when_a_section_is_not_json(gateway):
    client, intake, _ = gateway
    intake.status = 204
    answer = await client.get("/api/customers/c-1/overview")
    assert answer.status_code == 502 and answer.json()["detail"].startswith("intake gave no JSON for the overview")


async def test_overview_needs_a_token(gateway):
    client, intake, _ = gateway
    answer = await client.get("/api/customers/c-1/overview", headers={"Authorization": ""})
    assert answer.status_code == 401 and intake.requests == []


async def test_overview_is_recorded_in_the_access_audit(gateway):
    client, _, app = gateway
    await client.get("/api/customers/c-1/overview")
    await app.state.audit.flush()
    history = await client.get("/api/audit/customers/c-1")
    routes = [entry["route"] for entry in history.json()]
    assert "/api/customers/{customer_id}/overview" in routes


async def test_overview_is_typed_in_the_composed_openapi_document():
    document = json.loads((Path(__file__).resolve().parents[3] / "web" / "openapi.json").read_text())
    operation = document["paths"]["/api/customers/{customer_id}/overview"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CustomerOverview"}
    overview = document["components"]["schemas"]["CustomerOverview"]["properties"]
    assert overview["referrals"]["items"] == {"$ref": "#/components/schemas/ReferralOut"}
    assert {"$ref": "#/components/schemas/Profile"} in overview["profile"]["oneOf"]


@pytest.mark.parametrize("customer_id", ["a?b=c", "a#b", "a%00b", "a b"])
async def test_overview_sends_the_customer_id_on_encoded_so_it_never_changes_the_path(gateway, customer_id):
    client, intake, _ = gateway
    await client.get(f"/api/customers/{customer_id.replace('?', '%3F').replace('#', '%23')}/overview")
    assert intake.requests and all(request.url.query == b"" for request in intake.requests)
    assert all(request.url.path.startswith("/customers/a") for request in intake.requests)
    assert {request.url.path.count("/") for request in intake.requests} == {2, 3}
