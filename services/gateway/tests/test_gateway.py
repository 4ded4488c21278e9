"""The gateway over HTTP, in process: SQLite database with migrations applied, a fake intake and ies_sync.

The app's lifespan is not run (it starts a Kafka broker); the tests apply migrations and seed directly.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import insert, update

from isets_contracts.reference import Role
from isets_kit.migrations import upgrade_to_head
from isets_kit.unit_of_work import utcnow
from gateway import service_layer
from gateway.adapters.orm import idempotency_keys
from gateway.demo import DEMO_PASSWORD, DEMO_USERS
from gateway.domain import CLAIM_LEASE, KEY_KEPT_FOR
from gateway.main import Settings, create_app, seed

MIGRATIONS = Path(__file__).resolve().parents[1] / "gateway" / "migrations"
INTAKE = "http://intake.test:8101"
IES_SYNC = "http://ies-sync.test:8106"

pytestmark = pytest.mark.asyncio(loop_scope="session")


@dataclass
class FakeUpstream:
    """Stands in for intake and ies_sync: records each request that reached it and answers `status`."""

    status: int = 201
    failure: Exception | None = None
    requests: list[httpx.Request] = field(default_factory=list)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.failure is not None:
            raise self.failure
        self.requests.append(request)
        return httpx.Response(self.status, json={"call": len(self.requests)})


@dataclass
class Harness:
    client: httpx.AsyncClient
    upstream: FakeUpstream
    app: object

    async def token(self, username: str, password: str = DEMO_PASSWORD) -> httpx.Response:
        return await self.client.post("/auth/token", data={"username": username, "password": password})

    async def auth(self, username: str = "statewide") -> dict[str, str]:
        return {"Authorization": f"Bearer {(await self.token(username)).json()['access_token']}"}


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(tmp_path):
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
        upstream_urls={"intake": INTAKE, "ies_sync": IES_SYNC},
        password_hash_rounds=4,
        seed_demo_users=True,
    )
    upstream = FakeUpstream()
    app = create_app(settings, transport=httpx.MockTransport(upstream))
    await upgrade_to_head(MIGRATIONS, settings.database_url)
    await seed(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client:
        yield Harness(client, upstream, app)
    await app.state.upstreams.aclose()
    await app.state.runtime.engine.dispose()


async def test_token_of_a_seeded_user_carries_role_and_locations(gateway):
    answer = await gateway.token("provider.a")
    assert answer.status_code == 200 and answer.json()["token_type"] == "bearer"
    principal = await gateway.app.state.token_verifier.verify(answer.json()["access_token"])
    assert (principal.user_id, principal.role, principal.locations) == ("provider.a", Role.PROVIDER_PARTNER, {"LOC-A"})
    me = await gateway.client.get("/auth/me", headers=await gateway.auth("provider.a"))
    assert me.json() == {
        "user_id": "provider.a",
        "role": "provider_partner",
        "name": "Provider Partner A",
        "locations": ["LOC-A"],
        "customer_id": None,
    }


@pytest.mark.parametrize("username,password", [("provider.a", "wrong-password"), ("nobody", DEMO_PASSWORD)])
async def test_bad_credentials_are_refused_alike(gateway, username, password):
    answer = await gateway.token(username, password)
    assert answer.status_code == 401
    assert answer.json() == {"detail": "incorrect username or password"}


async def test_seeding_again_adds_no_one(gateway):
    app = gateway.app
    added = await service_layer.add_missing_users(
        app.state.runtime.unit_of_work, app.state.passwords, DEMO_USERS, "another-password"
    )
    assert added == []
    assert (await gateway.token("idhs.admin")).status_code == 200


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token"])
async def test_forwarding_needs_a_valid_token(gateway, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    answer = await gateway.client.get("/api/customers", headers=headers)
    assert answer.status_code == 401
    assert gateway.upstream.requests == []


async def test_forwarding_passes_token_request_id_query_and_body_and_returns_the_upstream_answer(gateway):
    headers = await gateway.auth() | {"X-Request-ID": "req-42"}
    body = json.dumps({"note": "called the customer"}).encode()
    answer = await gateway.client.post(
        "/api/customers/C-7/notes?kind=call&kind=visit",
        content=body,
        headers=headers | {"Content-Type": "application/json"},
    )
    assert (answer.status_code, answer.headers["content-type"], answer.json()) == (201, "application/json", {"call": 1})
    assert answer.headers["X-Request-ID"] == "req-42"
    [sent] = gateway.upstream.requests
    assert str(sent.url) == f"{INTAKE}/customers/C-7/notes?kind=call&kind=visit"
    assert sent.headers["Authorization"] == headers["Authorization"]
    assert sent.headers["X-Request-ID"] == "req-42"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.content == body


async def test_extract_upload_reaches_ies_sync_whole_with_the_generated_request_id(gateway):
    extract = b"individual_number,first_name\n" + b"100000001,Tom\n" * 200_000  # ~3 MB
    answer = await gateway.client.post(
        "/api/ies/imports",
        params={"file_name": "week-47.csv"},
        content=extract,
        headers=await gateway.auth() | {"Content-Type": "text/csv"},
    )
    assert answer.status_code == 201
    [sent] = gateway.upstream.requests
    assert str(sent.url) == f"{IES_SYNC}/imports?file_name=week-47.csv"
    assert sent.content == extract
    assert sent.headers["X-Request-ID"] == answer.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "method,path,upstream_url",
    [
        ("GET", "/api/customers", f"{INTAKE}/customers"),
        ("DELETE", "/api/customers/C-7/plan/items/3", f"{INTAKE}/customers/C-7/plan/items/3"),
        ("GET", "/api/ies/imports/12", f"{IES_SYNC}/imports/12"),
        ("POST", "/api/ies/persons", f"{IES_SYNC}/persons"),
    ],
)
async def test_each_route_reaches_its_owning_service(gateway, method, path, upstream_url):
    gateway.upstream.status = 200
    answer = await gateway.client.request(method, path, headers=await gateway.auth())
    assert answer.status_code == 200
    assert [(r.method, str(r.url)) for r in gateway.upstream.requests] == [(method, upstream_url)]


async def post_keyed(gateway, key: str, path: str = "/api/customers/C-7/referrals", username: str = "statewide") -> httpx.Response:
    headers = await gateway.auth(username) | {"Idempotency-Key": key}
    return await gateway.client.post(path, json={"first_name": "Pat"}, headers=headers)


async def test_repeat_with_the_same_key_replays_the_first_answer_without_forwarding(gateway):
    first = await post_keyed(gateway, "key-1")
    again = await post_keyed(gateway, "key-1")
    assert len(gateway.upstream.requests) == 1
    assert "Idempotent-Replayed" not in first.headers
    assert (again.status_code, again.json(), again.headers["content-type"]) == (201, {"call": 1}, "application/json")
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_keys_belong_to_one_user(gateway):
    await post_keyed(gateway, "key-1", username="provider.a")
    other = await post_keyed(gateway, "key-1", username="provider.b")
    assert other.json() == {"call": 2} and "Idempotent-Replayed" not in other.headers


async def test_server_error_is_not_kept_so_a_retry_is_forwarded(gateway):
    gateway.upstream.status = 500
    await post_keyed(gateway, "key-1")
    gateway.upstream.status = 201
    retry = await post_keyed(gateway, "key-1")
    assert (retry.status_code, retry.json()) == (201, {"call": 2})


async def test_key_reused_for_another_path_is_refused(gateway):
    await post_keyed(gateway, "key-1")
    reused = await post_keyed(gateway, "key-1", path="/api/ies/persons")
    assert reused.status_code == 422
    assert reused.json()["detail"] == [{"field": "Idempotency-Key", "rule": "already used for POST /api/customers/C-7/referrals"}]
    assert len(gateway.upstream.requests) == 1


async def test_unreachable_service_answers_503_naming_it_and_frees_the_key(gateway):
    gateway.upstream.failure = httpx.ConnectError("connection refused")
    down = await post_keyed(gateway, "key-1")
    assert down.status_code == 503
    assert down.json()["detail"].startswith("intake is unreachable")
    gateway.upstream.failure = None
    retry = await post_keyed(gateway, "key-1")
    assert (retry.status_code, retry.json()) == (201, {"call": 1})


async def test_timed_out_request_keeps_its_key_claimed_because_the_service_may_have_acted(gateway):
    gateway.upstream.failure = httpx.ReadTimeout("no answer")
    timed_out = await post_keyed(gateway, "key-1", path="/api/ies/persons")
    assert timed_out.status_code == 504 and timed_out.json()["detail"].startswith("ies_sync did not answer in time")
    gateway.upstream.failure = None
    retry = await post_keyed(gateway, "key-1", path="/api/ies/persons")
    assert retry.status_code == 409
    assert gateway.upstream.requests == []


async def test_claim_abandoned_past_its_lease_is_taken_over(gateway):
    claimed_at = utcnow() - CLAIM_LEASE - timedelta(seconds=1)
    async with gateway.app.state.runtime.sessions.begin() as session:
        await session.execute(
            insert(idempotency_keys).values(
                user_id="statewide", key="key-1", method="POST", path="/api/customers/C-7/referrals", created_at=claimed_at
            )
        )
    taken_over = await post_keyed(gateway, "key-1")
    assert (taken_over.status_code, taken_over.json()) == (201, {"call": 1})
    async with gateway.app.state.runtime.sessions.begin() as session:
        await session.execute(update(idempotency_keys).values(status=None, created_at=utcnow()))
    assert (await post_keyed(gateway, "key-1")).status_code == 409


async def test_openapi_documents_each_forwarded_operation(gateway):
    spec = (await gateway.client.get("/openapi.json")).json()
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert len({op["operationId"] for op in operations}) == len(operations)
    assert set(spec["paths"]["/api/customers/{path}"]) == {"get", "post", "put", "patch", "delete"}
    upload = spec["paths"]["/api/ies/imports"]["post"]
    assert upload["summary"].startswith("Upload a weekly IES extract")
    assert "text/csv" in upload["requestBody"]["content"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in upload["parameters"]]
    assert spec["paths"]["/auth/token"]["post"]["summary"] == "Sign in (OAuth2 password flow)"


@pytest.mark.parametrize("path", ["/api/customers/%2E%2E/%2E%2E/metrics", "/api/ies/imports/%2e%2e/persons", "/api/customers/%2E/x"])
async def test_dot_segments_never_leave_the_forwarded_prefix(gateway, path):
    answer = await gateway.client.get(path, headers=await gateway.auth())
    assert answer.status_code == 404
    assert gateway.upstream.requests == []


async def test_odd_characters_in_a_path_are_forwarded_encoded_not_a_server_error(gateway):
    answer = await gateway.client.get("/api/customers/%10%C3%80x", headers=await gateway.auth())
    assert answer.status_code == 201
    assert gateway.upstream.requests[0].url.raw_path == b"/customers/%10%C3%80x"


async def test_keys_older_than_a_day_are_forgotten_and_the_key_works_afresh(gateway):
    first = await post_keyed(gateway, "key-old")
    await post_keyed(gateway, "key-recent")
    async with gateway.app.state.runtime.sessions.begin() as session:
        await session.execute(
            update(idempotency_keys)
            .where(idempotency_keys.c.key == "key-old")
            .values(created_at=utcnow() - KEY_KEPT_FOR - timedelta(seconds=1))
        )
    assert await service_layer.forget_old_keys(gateway.app.state.runtime.unit_of_work, utcnow()) == 1
    again = await post_keyed(gateway, "key-old")
    assert first.json() == {"call": 1} and again.json() == {"call": 3}  # forwarded anew, not replayed
    assert (await post_keyed(gateway, "key-recent")).headers.get("Idempotent-Replayed") == "true"
