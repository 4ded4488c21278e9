"""intake's reads are views: the profile reads no form snapshots, the list counts what it finds."""

import pytest
from sqlalchemy import event

from isets_contracts.reference import Role
from isets_kit.testing import auth_headers
from services.intake.tests.api_fixtures import STATEWIDE, make_client, refer_and_accept, register, send_referral


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        yield test_client


def _statements_of(client, do) -> list[str]:
    seen: list[str] = []
    engine = client.app.state.runtime.read_engine.sync_engine

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        do()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_profile_read_loads_no_referral_form_snapshots_nor_open_activities(client):
    customer_id = register(client, "100001")
    refer_and_accept(client, customer_id, "LOC-A")
    send_referral(client, customer_id, "LOC-B")

    def read():
        answer = client.get(f"/customers/{customer_id}", headers=STATEWIDE)
        assert answer.status_code == 200, answer.text
        assert answer.json()["providers_with_pending_referral"] == ["LOC-B"]

    statements = _statements_of(client, read)
    assert statements, "the profile is read through the read engine"
    assert not [s for s in statements if "referral_record" in s or "open_snap_activity" in s]


def test_profile_of_a_pending_referral_location_is_read_through_the_view_too(client):
    customer_id = register(client, "100002")
    send_referral(client, customer_id, "LOC-B")
    answer = client.get(f"/customers/{customer_id}", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-B"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["access"] == "pending referral"


def test_customer_list_without_filters_counts_every_customer(client):
    for number in ("100003", "100004", "100005"):
        register(client, number)
    page = client.get("/customers", params={"page_size": 2}, headers=STATEWIDE).json()
    assert page["total"] == 3
    assert len(page["items"]) == 2
