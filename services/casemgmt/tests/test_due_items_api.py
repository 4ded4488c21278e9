"""A caseworker's due items: follow-ups due, plans awaiting agreement, needs assessments due and activities
past their planned completion, for the caller's locations only, soonest first."""

from datetime import date, timedelta

from isets_contracts.reference import Role
from isets_kit.testing import auth_headers
from services.casemgmt.tests.api_fixtures import STATEWIDE, make_client
from services.casemgmt.tests.placement_fixtures import STAFF_A, STAFF_B, job, place, started_activity


def due(client, headers=STATEWIDE, **query) -> list[tuple[str, str, str]]:
    answer = client.get("/due-items", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    return [(item["due_date"], item["kind"], item["customer_id"]) for item in answer.json()]


def customers_at_a_and_b(client) -> None:
    """c-a at LOC-A with a CW started 2022-08-01 past its planned completion and placed from 2022-08-08;
    c-b at LOC-B with a CW started 2026-01-05 running to 2099."""
    cw = started_activity(client, "c-a", "LOC-A", started_on=date(2022, 8, 1), planned_completion=date(2023, 6, 30))
    assert place(client, cw, job(client), customer_id="c-a").status_code == 201
    started_activity(client, "c-b", "LOC-B", started_on=date(2026, 1, 5), planned_completion=date(2099, 12, 31))


def test_due_items_list_each_kind_sorted_by_due_date(tmp_path):
    with make_client(tmp_path) as client:
        customers_at_a_and_b(client)
        items = due(client)
        assert items == sorted(items)
        today = date.today().isoformat()
        assert [i for i in items if i[2] == "c-a"] == [
            ("2022-08-31", "needs assessment", "c-a"),
            ("2022-09-07", "placement follow-up", "c-a"), ("2022-10-07", "placement follow-up", "c-a"),
            ("2022-11-06", "placement follow-up", "c-a"), ("2023-02-04", "placement follow-up", "c-a"),
            ("2023-05-05", "placement follow-up", "c-a"),
            ("2023-06-30", "activity past planned completion", "c-a"),
            (today, "plan agreement", "c-a"),
        ]
        answer = client.get("/due-items", headers=STATEWIDE).json()
        assert answer[0]["customer_name"] == "Tom Juan" and "needs assessment" in answer[0]["what"]


def test_due_items_are_scoped_to_the_callers_locations(tmp_path):
    with make_client(tmp_path) as client:
        customers_at_a_and_b(client)
        assert {i[2] for i in due(client)} == {"c-a", "c-b"}
        assert {i[2] for i in due(client, location="LOC-B")} == {"c-b"}
        assert {i[2] for i in due(client, STAFF_A)} == {"c-a"}
        assert {i[2] for i in due(client, STAFF_B)} == {"c-b"}
        assert client.get("/due-items", params={"location": "LOC-A"}, headers=STAFF_B).status_code == 403
        assert client.get("/due-items", headers=auth_headers(Role.CUSTOMER, customer_id="c-a")).status_code == 403


def test_a_verified_follow_up_and_a_recorded_needs_assessment_are_no_longer_due(tmp_path):
    with make_client(tmp_path) as client:
        start = date.today() - timedelta(days=30)
        cw = started_activity(client, "c-1", started_on=start)
        placed = place(client, cw, job(client), start, start + timedelta(days=150)).json()["id"]
        kinds = [i[1] for i in due(client, STAFF_A)]
        assert kinds.count("placement follow-up") == 1 and "needs assessment" in kinds  # the 30-day one; 60 is weeks away
        assert client.post(f"/plans/c-1/placements/{placed}/follow-ups/30/verify", headers=STAFF_A).status_code == 200
        recorded = client.post(
            "/plans/c-1/assessments", json={"assessment": "Needs assessment", "taken_on": date.today().isoformat()}, headers=STAFF_A
        )
        assert recorded.status_code == 201, recorded.text
        assert [i[1] for i in due(client, STAFF_A)] == ["plan agreement"]
