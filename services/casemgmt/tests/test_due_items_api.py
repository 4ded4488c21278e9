"""A caseworker's due items: follow-ups due, plans awaiting agreement, needs assessments due and activities
past their planned completion, for the caller's locations only, soonest first."""

from datetime import date, timedelta

import pytest

from isets_contracts.reference import Role
from isets_kit.testing import auth_headers
from services.casemgmt.tests.api_fixtures import STATEWIDE, make_client
from casemgmt.views import due_items
from services.casemgmt.tests.attendance_fixtures import eight_hour_days, save, verify
from services.casemgmt.tests.placement_fixtures import STAFF_A, STAFF_B, job, place, started_activity


def due(client, headers=STATEWIDE, **query) -> list[tuple[str, str, str]]:
    answer = client.get("/due-items", params=query, headers=headers)
    assert answer.status_code == 200, answer.text
    return [(item["due_date"], item["kind"], item["customer_id"]) for item in answer.json()]


@pytest.fixture
def on(monkeypatch):
    """The day the due items are worked out on."""
    return lambda day: monkeypatch.setattr(due_items, "today", lambda: day)


def customers_at_a_and_b(client) -> None:
    """c-a at LOC-A with a CW started 2022-08-01 past its planned completion and placed from 2022-08-08;
    c-b at LOC-B with a CW started 2026-01-05 running to 2099."""
    cw = started_activity(client, "c-a", "LOC-A", started_on=date(2022, 8, 1), planned_completion=date(2023, 6, 30))
    assert place(client, cw, job(client), customer_id="c-a").status_code == 201
    started_activity(client, "c-b", "LOC-B", started_on=date(2026, 1, 5), planned_completion=date(2099, 12, 31))


def test_due_items_list_each_kind_sorted_by_due_date(tmp_path, on):
    on(date(2026, 11, 10))  # not in a month's last week: no ABAWD month at risk yet
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


def test_a_verified_follow_up_and_a_recorded_needs_assessment_are_no_longer_due(tmp_path, on):
    start = date(2026, 10, 12)
    on(start + timedelta(days=30))
    with make_client(tmp_path) as client:
        cw = started_activity(client, "c-1", started_on=start)
        placed = place(client, cw, job(client), start, start + timedelta(days=150)).json()["id"]
        kinds = [i[1] for i in due(client, STAFF_A)]
        assert kinds.count("placement follow-up") == 1 and "needs assessment" in kinds  # the 30-day one; 60 is weeks away
        assert client.post(f"/plans/c-1/placements/{placed}/follow-ups/30/verify", headers=STAFF_A).status_code == 200
        recorded = client.post(
            "/plans/c-1/assessments", json={"assessment": "Needs assessment", "taken_on": "2026-11-10"}, headers=STAFF_A
        )
        assert recorded.status_code == 201, recorded.text
        assert [i[1] for i in due(client, STAFF_A)] == ["plan agreement"]


def test_a_week_of_attendance_saved_but_not_verified_is_due_on_its_saturday_once_the_week_is_over(tmp_path, on):
    with make_client(tmp_path) as client:
        cw = started_activity(client, "c-1", "LOC-A", started_on=date(2026, 8, 3), planned_completion=date(2026, 12, 31))
        assert save(client, "c-1", cw, "2026-09-06", eight_hour_days("2026-09-08")).status_code == 200
        assert save(client, "c-1", cw, "2026-09-13", eight_hour_days("2026-09-14")).status_code == 200
        on(date(2026, 9, 19))  # the second week's Saturday: that week is not over yet
        unverified = [i for i in due(client, headers=STAFF_A) if i[1] == "attendance to verify"]
        assert unverified == [("2026-09-12", "attendance to verify", "c-1")]
        assert verify(client, "c-1", cw, "2026-09-06").status_code == 200
        assert not [i for i in due(client, headers=STAFF_A) if i[1] == "attendance to verify"]


def test_an_abawd_month_under_80_hours_is_due_in_the_months_last_week_for_customers_taking_part(tmp_path, on):
    with make_client(tmp_path) as client:
        cw = started_activity(client, "c-1", "LOC-A", started_on=date(2026, 8, 3), planned_completion=date(2026, 12, 31))
        started_activity(client, "c-2", "LOC-A", started_on=date(2026, 8, 3), planned_completion=date(2026, 12, 31), offered_already=True)
        week = ("2026-09-06", "2026-09-13", "2026-09-20")
        for start in week:  # 3 weeks × 5 days × 8 h = 120 h for c-1
            sunday = date.fromisoformat(start)
            weekdays = [(sunday + timedelta(days=n)).isoformat() for n in range(1, 6)]
            assert save(client, "c-1", cw, start, eight_hour_days(*weekdays)).status_code == 200
            assert verify(client, "c-1", cw, start).status_code == 200
        on(date(2026, 9, 23))  # 8 days left: not yet
        assert not [i for i in due(client) if i[1] == "ABAWD month at risk"]
        on(date(2026, 9, 24))  # the last 7 days of September
        assert [i for i in due(client) if i[1] == "ABAWD month at risk"] == [("2026-09-30", "ABAWD month at risk", "c-2")]
        assert "0.00 of 80 ABAWD hours in September 2026" in [i["what"] for i in client.get("/due-items", headers=STATEWIDE).json()]
