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
    engine = client.app.state.runtime.reads.sync_engine

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        do()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


@pytest.fixture
def referred_twice(client) -> str:
    """A customer at LOC-A (referral 1, accepted) with a pending referral to LOC-B (referral 2)."""
    customer_id = register(client, "100001")
    refer_and_accept(client, customer_id, "LOC-A")
    send_referral(client, customer_id, "LOC-B")
    return customer_id


def test_profile_read_loads_no_referral_form_snapshots_nor_open_activities(client, referred_twice):
    customer_id = referred_twice

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


def test_profile_read_from_rows_answers_the_same_json_as_the_aggregate(client):
    customer_id = register(client, "100006")
    refer_and_accept(client, customer_id, "LOC-A", program="Earnfare")
    send_referral(client, customer_id, "LOC-B")
    for name, email in (("Ana Ruiz", "ana@dhs.example"), ("Bo Lee", "bo@dhs.example")):
        assert client.post(f"/customers/{customer_id}/resource-team", json={"name": name, "email": email}, headers=STATEWIDE).status_code == 201
    assert client.delete(f"/customers/{customer_id}/resource-team/ana@dhs.example", headers=STATEWIDE).status_code == 200
    admin = auth_headers(Role.IDHS_ADMIN)
    for amount, effective in (("209.99", "2024-03-01"), ("300.00", "2025-02-01")):
        of_aggregate = client.post(
            f"/customers/{customer_id}/earnfare-benefit", json={"benefit_amount": amount, "effective_date": effective}, headers=admin
        )
        assert of_aggregate.status_code == 201, of_aggregate.text

    of_rows = client.get(f"/customers/{customer_id}", headers=STATEWIDE).json()
    assert of_rows == of_aggregate.json()
    assert of_rows["providers_with_pending_referral"] == ["LOC-B"] and [c["email"] for c in of_rows["resource_team"]] == ["bo@dhs.example"]
    assert len(of_rows["status_history"]) > 1 and len(of_rows["benefit_history"]) == 2 and of_rows["eligibility_history"]


def test_referrals_read_loads_no_form_snapshots_and_a_pending_location_sees_only_its_referral(client, referred_twice):
    customer_id = referred_twice

    def read():
        answer = client.get(f"/customers/{customer_id}/referrals", headers=STATEWIDE)
        assert answer.status_code == 200, answer.text
        assert [(r["referred_to"], [c["record_number"] for c in r["records"]]) for r in answer.json()] == [
            ("LOC-A", ["1.1", "1.2"]),
            ("LOC-B", ["2.1"]),
        ]
        assert answer.json()[0]["records"][0]["historical_reference"] is True

    statements = _statements_of(client, read)
    assert statements and not [s for s in statements if "form" in s]
    pending_only = client.get(f"/customers/{customer_id}/referrals", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-B"))
    assert [r["referred_to"] for r in pending_only.json()] == ["LOC-B"]
