"""The gateway on the real stack (PostgreSQL, Kafka, every service): its composed API fuzzed through it,
and the access audit's chain checked in its own PostgreSQL database."""

import asyncio
import sys
from collections import Counter

import asyncpg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from isets_kit.unit_of_work import utcnow
from gateway import service_layer
from gateway.domain import Access
from gateway.main import Settings, create_app
from tests.helpers import login, wait_until

pytestmark = pytest.mark.kafka
ROLES = ("statewide", "provider.a", "idhs.admin")
EXAMPLES = 5  # per operation, role-independent, for valid and for invalid input: about a minute in all
FORWARDED = ("/api/customers/{customer_id}", "/api/ies/imports/{run_id}")


def composed_document(gateway) -> dict | None:
    """Once the gateway has every service's document (it fetches them at start and retries until they answer)."""
    document = gateway.get("/openapi.json").json()
    return document if all(path in document["paths"] for path in FORWARDED) else None


@pytest.fixture(scope="module")
def role_headers(gateway):
    return {role: login(gateway, role) for role in ROLES}


def test_no_route_through_the_gateway_answers_a_server_error_for_any_role(stack, gateway, role_headers):
    """Every operation of the gateway's composed document, valid and invalid input, as several roles."""
    wait_until(lambda: composed_document(gateway), timeout=30, message="the gateway's composed OpenAPI")
    # Sign-in is left out: failed sign-ins from this address would be throttled, and the other tests sign in
    # from it too (the gateway's own tests send it every kind of bad input).
    schema = schemathesis.openapi.from_url(f"{stack.url('gateway')}/openapi.json").exclude(path="/auth/token")
    statuses, failures, operations = Counter(), [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
            def call_as_every_role(case):
                for role, headers in role_headers.items():
                    response = case.call(headers=headers)
                    statuses[response.status_code] += 1
                    if response.status_code >= 500:
                        failures.append(f"{role}: {case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")

            try:
                call_as_every_role()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
                if mode is GenerationMode.POSITIVE:
                    raise
    print(
        f"schemathesis through the gateway: {operations} operations, {statuses.total()} calls, by status {sorted(statuses.items())}",
        file=sys.stderr,
    )
    assert operations >= 25
    assert not failures, "\n".join(sorted(set(failures))[:30])


def test_audit_verification_fails_after_a_row_is_edited_in_the_database(stack, gateway, role_headers):
    admin = role_headers["idhs.admin"]
    gateway.get("/api/customers/audit-probe", headers=role_headers["provider.a"])  # 404, and recorded
    verified = gateway.post("/api/audit/verify", headers=admin).json()
    assert verified["ok"] is True and verified["checked"] >= 1
    [entry] = gateway.get("/api/audit/customers/audit-probe", headers=admin).json()
    assert (entry["user_id"], entry["route"], entry["status"]) == ("provider.a", "/api/customers/{customer_id}", 404)

    async def edit(user_id: str) -> None:
        connection = await asyncpg.connect(stack.database_urls["gateway"].replace("+asyncpg", ""))
        try:
            await connection.execute(
                "UPDATE access_audit SET user_id = $1 WHERE position = $2", user_id, entry["position"]
            )
        finally:
            await connection.close()

    asyncio.run(edit("someone.else"))
    try:
        broken = gateway.post("/api/audit/verify", headers=admin).json()
        assert broken == {
            "ok": False,
            "checked": entry["position"] - 1,
            "first_broken_position": entry["position"],
            "problem": "fields do not match its hash",
        }
    finally:
        asyncio.run(edit("provider.a"))
    assert gateway.post("/api/audit/verify", headers=admin).json()["ok"] is True


def test_a_request_for_a_hostile_customer_id_is_audited_escaped_and_blocks_no_later_entry(gateway, role_headers):
    """PostgreSQL refuses NUL in text: the id is stored with its control characters escaped, so the entry (and
    every entry queued behind it) is written and the chain stays whole."""
    admin = role_headers["idhs.admin"]
    assert gateway.get("/api/customers/nul%00probe", headers=role_headers["provider.a"]).status_code == 422
    gateway.get("/api/customers/after-nul-probe", headers=role_headers["provider.a"])
    verified = gateway.post("/api/audit/verify", headers=admin, timeout=20).json()
    assert verified["ok"] is True
    [entry] = gateway.get("/api/audit/customers/nul%5Cx00probe", headers=admin).json()
    assert (entry["customer_id"], entry["status"]) == ("nul\\x00probe", 422)
    assert len(gateway.get("/api/audit/customers/after-nul-probe", headers=admin).json()) == 1


def test_concurrent_appends_from_two_gateways_form_one_chain(stack, gateway, role_headers):
    """Appends are serialised on the chain's head (PostgreSQL advisory lock): two gateways appending at
    once never link two entries to the same predecessor."""

    async def append_from_two_gateways() -> None:
        apps = [create_app(Settings(database_url=stack.database_urls["gateway"], demo=True)) for _ in range(2)]
        try:
            await asyncio.gather(
                *(
                    service_layer.append_accesses(
                        app.state.runtime.unit_of_work,
                        [
                            Access(f"writer.{n}", "statewide", "GET", "/api/customers/{customer_id}", f"C-{n}-{i}", 200, "r", utcnow())
                            for i in range(3)
                        ],
                    )
                    for n, app in enumerate(apps)
                    for _ in range(10)
                )
            )
        finally:
            for app in apps:
                await app.state.runtime.engine.dispose()

    asyncio.run(append_from_two_gateways())
    verified = gateway.post("/api/audit/verify", headers=role_headers["idhs.admin"]).json()
    assert verified["ok"] is True and verified["checked"] >= 60
