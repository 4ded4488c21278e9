"""Worksite placements through casemgmt's API: wage rules, subsidised days and the 6-month limit, follow-ups,
openings filled, status history and who may do what."""

from datetime import date, timedelta

from isets_contracts.reference import Role
from isets_kit.testing import auth_headers
from services.casemgmt.tests.api_fixtures import STATEWIDE, make_client
from services.casemgmt.tests.placement_fixtures import STAFF_A, STAFF_B, job, place, started_activity

CUSTOMER = auth_headers(Role.CUSTOMER, customer_id="c-1")


def change(client, placement_id, headers=STAFF_A, **fields):
    return client.patch(f"/plans/c-1/placements/{placement_id}", json=fields, headers=headers)


def refusal(answer, status: int = 422) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()["detail"][0]


def subsidised_days(client, year: int) -> dict:
    answer = client.get("/plans/c-1/placements/subsidised-days", params={"year": year}, headers=STAFF_A)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_an_hourly_wage_below_the_minimum_on_the_start_date_is_refused(tmp_path):
    with make_client(tmp_path) as client:
        cw = started_activity(client)
        refused = refusal(place(client, cw, job(client), hourly_wage="11.99"))
        assert refused["field"] == "hourly_wage" and "$12.00 on 2022-08-08" in refused["rule"]
        assert client.get("/plans/c-1/placements/minimum-wage", params={"on": "2022-08-08"}, headers=STAFF_A).json()["minimum_wage"] == "12.00"


def test_a_subsidised_wage_above_the_minimum_is_refused_also_when_changed(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client)
        assert refusal(place(client, cw, job_id, subsidised_wage="12.01"))["field"] == "subsidised_wage"
        placed = place(client, cw, job_id).json()
        assert placed["minimum_wage"] == "12.00"
        assert refusal(change(client, placed["id"], subsidised_wage="12.50"))["field"] == "subsidised_wage"
        assert change(client, placed["id"], subsidised_wage="12.00").json()["subsidised_wage"] == "12.00"


def test_a_placement_is_only_on_a_worksite_based_activity(tmp_path):
    with make_client(tmp_path) as client:
        started_activity(client)
        goal_id = client.get("/plans/c-1/goals", headers=STAFF_A).json()[0]["id"]
        jst = client.post("/plans/c-1/activities", json={"activity_code": "JST", "goal_id": goal_id}, headers=STAFF_A).json()["id"]
        refused = refusal(place(client, jst, job(client)))
        assert refused["field"] == "activity_id" and "not worksite-based" in refused["rule"]
        assert refusal(place(client, "no-such-activity", job(client, employer="Eagles")), 404)["field"] == "activity_id"


def test_subsidised_days_add_up_across_placements_35_plus_13_is_48(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client)
        first = place(client, cw, job_id, date(2022, 8, 8), date(2022, 9, 30)).json()["id"]
        assert change(client, first, status="Unsuccessful Completion", end_date="2022-09-11").status_code == 200
        second = place(client, cw, job_id, date(2022, 10, 3), date(2022, 12, 31)).json()["id"]
        completed = change(client, second, status="Successful Completion", end_date="2022-10-15").json()
        assert (completed["subsidised_days"], completed["end_date"]) == (13, "2022-10-15")
        assert subsidised_days(client, 2022) == {"year": 2022, "limit": 183, "total": 48, "this_year": 48, "remaining": 135}


def test_a_placement_change_past_the_6_month_limit_is_refused_with_the_remaining_days(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client)
        assert place(client, cw, job_id, date(2022, 1, 3), date(2022, 5, 31)).status_code == 201  # 149 days
        refused = refusal(place(client, cw, job_id, date(2022, 6, 1), date(2022, 12, 31)))
        assert refused["field"] == "start_date" and "34 days remain" in refused["rule"]
        planned = place(client, cw, job_id, date(2022, 6, 1), date(2022, 12, 31), status="Planned/Not Started").json()["id"]
        refused = refusal(change(client, planned, status="Started (Open)"))
        assert "34 days remain" in refused["rule"]
        assert change(client, planned, planned_due_date="2022-07-04").status_code == 200
        assert change(client, planned, status="Started (Open)").json()["status"] == "Started (Open)"
        assert subsidised_days(client, 2022)["remaining"] == 0
        assert "34 days remain and this placement would use 35" in refusal(change(client, planned, planned_due_date="2022-07-05"))["rule"]


def test_a_return_after_an_inactive_span_is_checked_against_the_6_month_limit(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client)
        first = place(client, cw, job_id, date(2022, 1, 3), date(2022, 7, 3)).json()["id"]  # 182 days
        assert change(client, first, inactive_date="2022-02-01").status_code == 200
        place(client, cw, job_id, date(2022, 3, 1), date(2022, 3, 31))  # fits while the first is inactive
        refused = refusal(change(client, first, return_date="2022-03-01"))
        assert refused["field"] == "return_date" and "days remain" in refused["rule"]


def test_inactive_and_return_dates_are_kept_in_the_status_history_and_inactive_days_do_not_count(tmp_path):
    with make_client(tmp_path) as client:
        cw = started_activity(client)
        placed = place(client, cw, job(client), date(2022, 8, 8), date(2022, 12, 31)).json()["id"]
        inactive = change(client, placed, inactive_date="2022-08-20").json()
        assert inactive["inactive_since"] == "2022-08-20"
        back = change(client, placed, return_date="2022-08-25").json()
        assert back["inactive_since"] is None
        assert [(h["status"], h["inactive_date"], h["return_date"]) for h in back["status_history"]] == [
            ("Started (Open)", None, None), ("Started (Open)", "2022-08-20", None), ("Started (Open)", "2022-08-20", "2022-08-25"),
        ]
        done = change(client, placed, status="Successful Completion", end_date="2022-09-11").json()
        assert done["subsidised_days"] == 35 - 5
        log = [entry["what"] for entry in client.get("/plans/c-1/update-log", headers=STAFF_A).json()]
        assert any(what.startswith("placement added on CW") for what in log)
        assert any("return_date" in what for what in log)


def test_follow_up_dates_for_the_seed_start_2022_08_08(tmp_path):
    with make_client(tmp_path) as client:
        placed = place(client, started_activity(client), job(client)).json()
        assert [(f["days"], f["due"]) for f in placed["follow_ups"]] == [
            (30, "2022-09-07"), (60, "2022-10-07"), (90, "2022-11-06"), (180, "2023-02-04"), (270, "2023-05-05"),
        ]
        [listed] = client.get(f"/plans/c-1/activities/{placed['activity_id']}/placements", headers=STAFF_A).json()
        assert listed["follow_ups"] == placed["follow_ups"] and listed["worksite_address"] == "1 Main St, Springfield, IL 62701"


def test_a_follow_up_is_verified_only_once_reached_only_by_staff_and_only_once(tmp_path):
    with make_client(tmp_path) as client:
        start = date.today() - timedelta(days=40)
        placed = place(client, started_activity(client), job(client), start, start + timedelta(days=200)).json()["id"]
        verify = "/plans/c-1/placements/{}/follow-ups/{}/verify"
        assert "not reached until" in refusal(client.post(verify.format(placed, 60), headers=STAFF_A))["rule"]
        assert client.post(verify.format(placed, 30), headers=CUSTOMER).status_code == 403
        verified = client.post(verify.format(placed, 30), headers=STAFF_A)
        assert verified.status_code == 200, verified.text
        first = verified.json()["follow_ups"][0]
        assert (first["verified_on"], first["reached"]) == (date.today().isoformat(), True) and first["verified_by"]
        assert client.post(verify.format(placed, 30), headers=STAFF_A).status_code == 409
        assert refusal(client.post(verify.format(placed, 45), headers=STAFF_A))["field"] == "follow_up"


def test_openings_filled_count_the_placements_started_at_the_job(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client, openings=8)

        def filled():
            return client.get(f"/jobs/{job_id}", headers=STATEWIDE).json()["openings_filled"]

        planned = place(client, cw, job_id, date(2022, 8, 8), date(2022, 9, 30), status="Planned/Not Started").json()["id"]
        assert filled() == 0
        assert change(client, planned, status="Started (Open)").status_code == 200
        place(client, cw, job_id, date(2022, 10, 3), date(2022, 12, 31))
        assert filled() == 2
        assert change(client, planned, status="Successful Completion", end_date="2022-09-11").status_code == 200
        assert filled() == 1


def test_placements_are_scoped_to_the_callers_locations_and_staff_only(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client)
        assert place(client, cw, job_id, headers=STAFF_B).status_code == 404
        assert place(client, cw, job_id, headers=CUSTOMER).status_code == 403
        placed = place(client, cw, job_id).json()["id"]
        assert client.get("/plans/c-1/placements", headers=STAFF_B).status_code == 404
        assert client.get("/plans/c-1/placements", headers=CUSTOMER).status_code == 403
        assert change(client, placed, headers=STAFF_B, hourly_wage="16.00").status_code == 404
        assert [p["id"] for p in client.get("/plans/c-1/placements", headers=STATEWIDE).json()] == [placed]


def test_a_started_placement_keeps_its_start_date_and_cannot_go_back_to_planned(tmp_path):
    with make_client(tmp_path) as client:
        placed = place(client, started_activity(client), job(client)).json()["id"]
        assert refusal(change(client, placed, start_date="2022-08-09"))["field"] == "start_date"
        assert refusal(change(client, placed, status="Planned/Not Started"))["field"] == "status"
        assert refusal(change(client, placed, status="Successful Completion"))["field"] == "end_date"
        assert refusal(change(client, placed, end_date="2022-09-11"))["field"] == "end_date"


def test_the_earnfare_month_sheet_counts_the_subsidised_days_of_the_year_up_to_the_months_end(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client)
        assert place(client, cw, job_id, date(2022, 8, 8), date(2022, 12, 31)).status_code == 201
        september = client.get("/plans/c-1/earnfare/2022-09", headers=STAFF_A).json()
        assert (september["subsidised_days_used"], september["subsidised_days_remaining"]) == (54, 129)  # 24 in August + 30
        assert client.get("/plans/c-1/earnfare/2022-07", headers=STAFF_A).json()["subsidised_days_used"] == 0


def test_a_completion_whose_end_date_passes_the_6_month_limit_is_refused(tmp_path):
    with make_client(tmp_path) as client:
        cw, job_id = started_activity(client), job(client)
        placed = place(client, cw, job_id, date(2026, 1, 5), date(2026, 2, 5)).json()["id"]
        refused = refusal(change(client, placed, status="Successful Completion", end_date="2026-12-31"))
        assert refused["field"] == "end_date" and "days remain" in refused["rule"]
        assert subsidised_days(client, 2026)["remaining"] == 183 - 32  # nothing of the refused change was kept
        assert change(client, placed, status="Successful Completion", end_date="2026-02-05").status_code == 200


def test_the_minimum_wage_for_a_placement_is_read_only_for_a_customer_in_the_callers_scope(tmp_path):
    with make_client(tmp_path) as client:
        started_activity(client)
        on = {"on": "2025-03-01"}
        assert client.get("/plans/c-1/placements/minimum-wage", params=on, headers=STAFF_A).json()["minimum_wage"] == "15.00"
        assert client.get("/plans/c-1/placements/minimum-wage", params=on, headers=STAFF_B).status_code == 404
        assert client.get("/plans/c-1/placements/minimum-wage", params=on, headers=CUSTOMER).status_code == 403
