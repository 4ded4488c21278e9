import uuid

from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import MetaData

from isets_kit import context
from isets_kit.errors import RuleViolation
from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import ServiceSettings


def _client(tmp_path) -> TestClient:
    router = APIRouter()

    @router.get("/correlation")
    async def correlation():
        return {"correlation_id": context.correlation_id.get()}

    @router.get("/refused")
    async def refused():
        raise RuleViolation("thing", "is refused")

    settings = ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", demo=True)
    app = ServiceRuntime("contexted", settings, MetaData(), tmp_path, messaging=False).create_app([router], title="r")
    return TestClient(app)


def test_request_id_is_the_correlation_id_while_handled_and_is_answered_back(tmp_path):
    client = _client(tmp_path)
    answer = client.get("/correlation", headers={"X-Request-ID": "req-9"})
    assert answer.json() == {"correlation_id": "req-9"}
    assert answer.headers["X-Request-ID"] == "req-9"
    assert context.correlation_id.get() is None


def test_a_request_without_request_id_gets_a_new_one_answered_back(tmp_path):
    client = _client(tmp_path)
    first, second = client.get("/correlation"), client.get("/correlation", headers={"X-Request-ID": ""})
    for answer in (first, second):
        assert answer.headers["X-Request-ID"] == answer.json()["correlation_id"]
        uuid.UUID(answer.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_error_answers_carry_the_request_id_once(tmp_path):
    client = _client(tmp_path)
    for path in ("/refused", "/no/such/route"):
        answer = client.get(path, headers={"X-Request-ID": "req-err"})
        assert answer.status_code in (404, 422)
        assert answer.headers.get_list("X-Request-ID") == ["req-err"]
