"""Bad input gets a 4xx, never a server error: every intake route fuzzed from its own OpenAPI document."""

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from services.intake.tests.api_fixtures import STATEWIDE, make_client, refer_and_accept, register

# Started at import, because schemathesis reads the OpenAPI document while collecting the tests.
_client = make_client(Path(tempfile.mkdtemp(prefix="intake-fuzz-")))
_client.__enter__()
refer_and_accept(_client, register(_client, "400000001"), "LOC-A")
schema = schemathesis.openapi.from_asgi("/openapi.json", _client.app).exclude(path="/readyz")  # 503 without a broker


@pytest.fixture(scope="module", autouse=True)
def _stop_the_app():
    yield
    _client.__exit__(None, None, None)


@schema.parametrize()
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_route_answers_a_server_error_for_any_input(case):
    response = case.call(headers=STATEWIDE)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
