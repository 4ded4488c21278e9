"""The gateway over HTTP, in process: SQLite database with migrations applied, a fake intake and ies_sync.

The app's lifespan is not run (it starts a Kafka broker); the tests apply migrations and seed directly.
"""

import asyncio
import functools
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest
import pytest_asyncio
from faststream.specification import AsyncAPI
from sqlalchemy import delete, insert, select, update

from ies_sync.main import Settings as IesSyncSettings
from ies_sync.main import create_app as create_ies_sync_app
from intake.main import Settings as IntakeSettings
from intake.main import create_app as create_intake_app

from isets_contracts.reference import Role
from isets_kit.migrations import upgrade_to_head
from isets_kit.unit_of_work import utcnow
from gateway import service_layer
from gateway.adapters import auth_api
from gateway.adapters.orm import access_audit, idempotency_keys
from gateway.demo import DEMO_PASSWORD, DEMO_USERS
from gateway.domain import CLAIM_LEASE, KEY_KEPT_FOR, Access
from gateway.main import Settings, create_app, seed
from services.gateway.tests.upstream_double import UpstreamDouble

MIGRATIONS = Path(__file__).resolve().parents[1] / "gateway" / "migrations"
INTAKE = "http://intake.test:8101"
IES_SYNC = "http://ies-sync.test:8106"
UPSTREAM_TIMEOUT_SECONDS = 1.0

pytestmark = pytest.mark.asyncio(loop_scope="session")


@dataclass
class FakeUpstream:
    """Stands in for intake and ies_sync: records each request that reached it and answers `status`; a
    `silent` one answers nothing for longer than the gateway waits."""

    status: int = 201
    silent: bool = False
    requests: list[httpx.Request] = field(default_factory=list)
    headers: dict[str, str] | list[tuple[str, str]] = field(default_factory=dict)

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path in ("/openapi.json", "/asyncapi.json"):  # the services' own documents
            return httpx.Response(200, json=service_documents()[(request.url.host, request.url.path)])
        if self.silent:
            await asyncio.sleep(UPSTREAM_TIMEOUT_SECONDS * 3)
            return httpx.Response(504)
        self.requests.append(request)
        return httpx.Response(self.status, json={"call": len(self.requests)}, headers=self.headers)


@functools.cache
def service_documents() -> dict[tuple[str, str], dict]:
    """The real intake's and ies_sync's OpenAPI and AsyncAPI documents, as they serve them."""
    documents = {}
    for host, create_service_app, settings in (
        ("intake.test", create_intake_app, IntakeSettings),
        ("ies-sync.test", create_ies_sync_app, IesSyncSettings),
    ):
        service_app = create_service_app(settings(kafka_enabled=False))
        documents[(host, "/openapi.json")] = service_app.openapi()
        documents[(host, "/asyncapi.json")] = AsyncAPI(service_app.state.runtime.broker).to_specification().to_jsonable()
    return documents


@dataclass
class Harness:
    client: httpx.AsyncClient
    upstream: FakeUpstream
    app: object
    intake: UpstreamDouble

    async def token(self, username: str, password: str = DEMO_PASSWORD) -> httpx.Response:
        return await self.client.post("/auth/token", data={"username": username, "password": password})

    async def auth(self, username: str = "statewide") -> dict[str, str]:
        return {"Authorization": f"Bearer {(await self.token(username)).json()['access_token']}"}


@pytest_asyncio.fixture(loop_scope="session")
async def gateway(tmp_path):
    service_documents()  # before the gateway's app: building the services' apps configures logging for them
    upstream = FakeUpstream()
    intake = await UpstreamDouble(upstream, INTAKE).start()
    ies_sync = await UpstreamDouble(upstream, IES_SYNC).start()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
        upstream_urls={"intake": intake.url, "ies_sync": ies_sync.url},
        upstream_timeout_seconds=UPSTREAM_TIMEOUT_SECONDS,
        password_hash_rounds=4,
        seed_demo_users=True,
        demo=True,
    )
    app = create_app(settings)
    await upgrade_to_head(MIGRATIONS, settings.database_url)
    await seed(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://gateway.test") as client:
        yield Harness(client, upstream, app, intake)
    await app.state.audit.stop()
    await app.state.upstreams.aclose()
    await app.state.runtime.engine.dispose()
    await intake.stop()
    await ies_sync.stop()


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


async def test_a_body_sent_without_a_content_type_is_forwarded_without_one(gateway):
    answer = await gateway.client.post("/api/customers/C-7/notes", content=b'{"note": "x"}', headers=await gateway.auth())
    assert answer.status_code == 201
    [sent] = gateway.upstream.requests
    assert "content-type" not in sent.headers and sent.content == b'{"note": "x"}'


async def test_a_header_the_service_sends_twice_is_passed_back_with_both_values(gateway):
    gateway.upstream.status = 200
    gateway.upstream.headers = [("Link", '</customers?page=1>; rel="prev"'), ("Link", '</customers?page=3>; rel="next"')]
    answer = await gateway.client.get("/api/customers", headers=await gateway.auth())
    assert answer.headers["link"] == '</customers?page=1>; rel="prev", </customers?page=3>; rel="next"'


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
    await gateway.intake.stop()
    down = await post_keyed(gateway, "key-1")
    assert down.status_code == 503
    assert down.json()["detail"].startswith("intake is unreachable")
    await gateway.intake.start()
    retry = await post_keyed(gateway, "key-1")
    assert (retry.status_code, retry.json()) == (201, {"call": 1})


async def test_timed_out_request_keeps_its_key_claimed_because_the_service_may_have_acted(gateway):
    gateway.upstream.silent = True
    timed_out = await post_keyed(gateway, "key-1", path="/api/ies/persons")
    assert timed_out.status_code == 504 and timed_out.json()["detail"].startswith("ies_sync did not answer in time")
    gateway.upstream.silent = False
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


# --- tokens and sign-in ---


async def test_token_answer_says_when_it_expires(gateway):
    answer = (await gateway.token("statewide")).json()
    assert answer["expires_in"] == gateway.app.state.settings.token_ttl_seconds
    claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == answer["expires_in"]
    assert (claims["iss"], claims["aud"]) == ("isets-gateway", "isets")


async def test_jwks_publishes_the_public_key_that_verifies_its_tokens(gateway):
    token = (await gateway.token("provider.a")).json()["access_token"]
    [key] = (await gateway.client.get("/.well-known/jwks.json")).json()["keys"]
    assert key["kid"] == jwt.get_unverified_header(token)["kid"] and "d" not in key
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["EdDSA"], audience="isets", issuer="isets-gateway")
    assert claims["sub"] == "provider.a"
    discovery = (await gateway.client.get("/.well-known/openid-configuration")).json()
    assert discovery["issuer"] == "isets-gateway"
    assert discovery["jwks_uri"] == "http://gateway.test/.well-known/jwks.json"


@pytest.mark.parametrize("field", ["username", "password"])
async def test_control_characters_in_the_sign_in_form_are_refused_naming_the_field(gateway, field):
    form = {"username": "statewide", "password": DEMO_PASSWORD} | {field: "state\x00wide"}
    answer = await gateway.client.post("/auth/token", data=form)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == field


async def test_failed_sign_ins_are_throttled_per_user_name_until_the_window_passes(gateway, monkeypatch):
    settings = gateway.app.state.settings
    for _ in range(settings.login_failures_per_user):
        assert (await gateway.token("provider.a", "wrong-password")).status_code == 401
    throttled = await gateway.token("provider.a")  # even the right password waits
    assert throttled.status_code == 429
    wait = int(throttled.headers["Retry-After"])
    assert 0 < wait <= settings.login_failure_window_seconds
    assert (await gateway.token("provider.b")).status_code == 200  # another user is not held up
    later = utcnow() + timedelta(seconds=wait)
    monkeypatch.setattr(auth_api, "utcnow", lambda: later)
    assert (await gateway.token("provider.a")).status_code == 200


async def test_failed_sign_ins_are_throttled_per_client_address(gateway):
    settings = gateway.app.state.settings
    for attempt in range(settings.login_failures_per_address):
        assert (await gateway.token(f"nobody{attempt}", "wrong-password")).status_code == 401
    throttled = await gateway.token("statewide")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0


# --- what the gateway sees of forwarded requests ---


@pytest.mark.parametrize("query", ["name=Ju%00an", "name=Juan%0A", "na%00me=Juan"])
async def test_control_characters_in_query_values_are_refused_naming_the_field(gateway, query):
    answer = await gateway.client.get(f"/api/customers?{query}", headers=await gateway.auth())
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] in ("name", "query")
    assert gateway.upstream.requests == []


async def test_logs_name_the_route_template_never_query_values_or_path_values(gateway, caplog):
    await gateway.app.state.api_docs.load()
    headers = await gateway.auth()
    with caplog.at_level(logging.DEBUG):
        await gateway.client.get("/api/customers?name=Juanita&page=1", headers=headers)
        await gateway.client.delete("/api/customers/C-7/resource-team/juanita.perez@example.org", headers=headers)
    # Not the test's own client (httpx logs each URL it calls).
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name != "httpx")
    assert "forwarded DELETE /api/customers/{customer_id}/resource-team/{email} to intake" in logged
    assert "Juanita" not in logged and "juanita.perez" not in logged and "C-7" not in logged


async def test_export_answers_stream_back_with_file_name_version_and_paging_headers(gateway):
    gateway.upstream.status = 200
    gateway.upstream.headers = {
        "Content-Disposition": 'attachment; filename="customers.csv"',
        "ETag": '"v7"',
        "X-Total-Count": "1234",
        "Link": '</customers?page=2>; rel="next"',
    }
    answer = await gateway.client.get("/api/customers/export.csv", headers=await gateway.auth())
    assert answer.headers["content-disposition"] == 'attachment; filename="customers.csv"'
    assert (answer.headers["etag"], answer.headers["x-total-count"]) == ('"v7"', "1234")
    assert answer.headers["link"] == '</customers?page=2>; rel="next"'


# --- the composed API document ---


async def test_openapi_lists_every_intake_and_ies_sync_route_with_its_request_body(gateway):
    await gateway.app.state.api_docs.load()
    spec = (await gateway.client.get("/openapi.json")).json()
    for host, prefix in (("intake.test", "/api"), ("ies-sync.test", "/api/ies")):
        service_paths = service_documents()[(host, "/openapi.json")]["paths"]
        for path, operations in service_paths.items():
            if path in ("/healthz", "/readyz", "/metrics"):
                continue
            for method, operation in operations.items():
                forwarded = spec["paths"][prefix + path][method]
                assert forwarded.get("requestBody") == _renamed(operation.get("requestBody"), spec)
                assert forwarded["responses"]["200" if "200" in operation["responses"] else next(iter(operation["responses"]))]
    assert spec["paths"]["/api/customers/{customer_id}"]["patch"]["requestBody"]["content"]["application/json"]
    assert "Idempotency-Key" in [p["name"] for p in spec["paths"]["/api/customers/{customer_id}/referrals"]["post"]["parameters"]]
    for own in ("/auth/token", "/.well-known/jwks.json", "/api/audit/customers/{customer_id}", "/api/audit/verify", "/asyncapi.json"):
        assert own in spec["paths"]
    assert not [path for path in spec["paths"] if "{rest" in path]
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert len({op["operationId"] for op in operations}) == len(operations)
    schemas = spec["components"]["schemas"]
    assert all(ref.rsplit("/", 1)[1] in schemas for ref in _refs(spec))


def _renamed(body, spec):
    return body  # the two services' schema names do not clash today; a clash is renamed (test below)


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


async def test_asyncapi_index_holds_every_messaging_services_events(gateway):
    await gateway.app.state.api_docs.load()
    index = (await gateway.client.get("/asyncapi.json")).json()
    assert set(index["services"]) == {"intake", "ies_sync"}
    assert all(document["asyncapi"].startswith("3.") for document in index["services"].values())


async def test_metrics_count_requests_by_route_template_and_status(gateway):
    await gateway.app.state.api_docs.load()
    gateway.upstream.status = 200
    await gateway.client.get("/api/customers/C-7", headers=await gateway.auth())
    metrics = (await gateway.client.get("/metrics")).text
    assert 'isets_http_requests_total{method="GET",route="/api/customers/{customer_id}",service="gateway",status="200"}' in metrics
    assert 'isets_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/customers/{customer_id}"' in metrics
    assert "C-7" not in metrics


# --- access audit ---


async def audit_rows(gateway) -> list:
    await gateway.app.state.audit.flush()
    async with gateway.app.state.runtime.sessions() as session:
        return (await session.execute(select(access_audit).order_by(access_audit.c.position))).all()


async def test_every_forwarded_request_is_recorded_with_user_route_customer_and_status(gateway):
    await gateway.app.state.api_docs.load()
    gateway.upstream.status = 200
    await gateway.client.get("/api/customers/C-7", headers=await gateway.auth("provider.a") | {"X-Request-ID": "req-1"})
    await gateway.client.get("/api/customers?name=Juanita", headers=await gateway.auth())
    first, second = await audit_rows(gateway)
    assert (first.user_id, first.role, first.method, first.route, first.customer_id, first.status, first.correlation_id) == (
        "provider.a", "provider_partner", "GET", "/api/customers/{customer_id}", "C-7", 200, "req-1"
    )
    assert (second.route, second.customer_id) == ("/api/customers", None)
    assert first.at.tzinfo is not None and second.previous_hash == first.hash


async def test_auditors_list_a_customers_access_history_and_others_may_not(gateway):
    await gateway.app.state.api_docs.load()
    gateway.upstream.status = 200
    await gateway.client.get("/api/customers/C-7", headers=await gateway.auth("provider.a"))
    await gateway.client.get("/api/customers/C-8", headers=await gateway.auth("provider.a"))
    history = await gateway.client.get("/api/audit/customers/C-7", headers=await gateway.auth("idhs.admin"))
    assert [(entry["user_id"], entry["route"]) for entry in history.json()] == [("provider.a", "/api/customers/{customer_id}")]
    refused = await gateway.client.get("/api/audit/customers/C-7", headers=await gateway.auth("provider.a"))
    assert refused.status_code == 403
    assert refused.json()["detail"].endswith("allowed: IDHS admin, statewide staff")


async def test_audit_verification_finds_the_first_edited_entry(gateway):
    await gateway.app.state.api_docs.load()
    for customer in ("C-1", "C-2", "C-3"):
        await gateway.client.get(f"/api/customers/{customer}", headers=await gateway.auth())
    verified = await gateway.client.post("/api/audit/verify", headers=await gateway.auth("idhs.admin"))
    assert verified.json() == {"ok": True, "checked": 3, "first_broken_position": None, "problem": None}
    async with gateway.app.state.runtime.sessions.begin() as session:
        await session.execute(update(access_audit).where(access_audit.c.position == 2).values(user_id="someone.else"))
    broken = await gateway.client.post("/api/audit/verify", headers=await gateway.auth("statewide"))
    assert broken.json() == {"ok": False, "checked": 1, "first_broken_position": 2, "problem": "fields do not match its hash"}


async def test_audit_verification_finds_a_removed_entry(gateway):
    for customer in ("C-1", "C-2", "C-3"):
        await gateway.client.get(f"/api/customers/{customer}", headers=await gateway.auth())
    await audit_rows(gateway)
    async with gateway.app.state.runtime.sessions.begin() as session:
        await session.execute(delete(access_audit).where(access_audit.c.position == 2))
    broken = (await gateway.client.post("/api/audit/verify", headers=await gateway.auth("statewide"))).json()
    assert (broken["ok"], broken["first_broken_position"], broken["problem"]) == (False, 2, "entry missing")


async def test_queued_audit_entries_are_written_on_a_clean_shutdown(gateway):
    writer = gateway.app.state.audit
    writer.record(Access("statewide", "statewide", "GET", "/api/customers/{customer_id}", "C-9", 200, "r", utcnow()))
    await writer.stop()
    assert [row.customer_id for row in await audit_rows(gateway)] == ["C-9"]


async def test_openapi_documents_the_extract_upload_as_a_csv_body(gateway):
    await gateway.app.state.api_docs.load()
    upload = (await gateway.client.get("/openapi.json")).json()["paths"]["/api/ies/imports"]["post"]
    assert "text/csv" in upload["requestBody"]["content"]
