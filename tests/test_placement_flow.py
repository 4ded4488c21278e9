"""A worksite placement end to end through the gateway on the real broker and PostgreSQL: a customer referred
and accepted at a location, with a Community Workfare activity started, is placed at a registered job from
2022-08-08; the follow-up dates come back, the job's opening is filled and the follow-ups are due items."""

from datetime import date

import pytest

from ies_sync.synthetic import person
from tests.helpers import fresh_individual_numbers, login, program_contract, wait_until
from tests.test_ies_to_intake import profile_of
from tests.test_plan_flow import refer_and_accept

pytestmark = pytest.mark.kafka


def test_a_customer_with_a_started_cw_activity_is_placed_at_a_worksite_and_gets_the_follow_up_dates(gateway, statewide):
    number = fresh_individual_numbers(1)
    assert gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide).json()["decision"] == "new"
    customer = profile_of(gateway, statewide, str(number))
    cid = customer["id"]
    program_contract(gateway, statewide, "LOC-A", "CW")
    staff = login(gateway, "provider.a")
    refer_and_accept(gateway, statewide, staff, customer, "LOC-A")
    plan = f"/api/plans/{cid}"

    def enrolment_goals():
        answer = gateway.get(f"{plan}/goals", headers=staff)
        return answer.status_code == 200 and answer.json()

    goal_id = wait_until(enrolment_goals, message="the enrolment goal in casemgmt")[0]["id"]
    cw = gateway.post(
        f"{plan}/activities",
        json={"activity_code": "CW", "goal_id": goal_id, "status": "Started/Open", "planned_start": str(date.today()), "planned_completion": "2027-06-30"},
        headers=staff,
    )
    assert cw.status_code == 201, cw.text

    employer = gateway.post("/api/employers", json={"name": "Young Drycleaners", "contact_name": "Pat Young"}, headers=staff).json()
    worksite = gateway.post(
        f"/api/employers/{employer['id']}/worksites",
        json={"name": "Main St", "street": "1 Main St", "city": "Springfield", "zip_code": "62701", "county": "Sangamon"},
        headers=staff,
    ).json()
    job = gateway.post(f"/api/worksites/{worksite['id']}/jobs", json={"title": "Laundry Worker", "openings": 2}, headers=staff).json()
    placed = gateway.post(
        f"{plan}/activities/{cw.json()['id']}/placements",
        json={
            "job_id": job["id"], "position_type": "Part-time", "start_date": "2022-08-08", "planned_due_date": "2022-12-31",
            "hourly_wage": "12.50", "subsidised_wage": "12.00", "status": "Started (Open)",
        },
        headers=staff,
    )
    assert placed.status_code == 201, placed.text
    assert (placed.json()["minimum_wage"], placed.json()["employer_name"]) == ("12.00", "Young Drycleaners")
    assert [f["due"] for f in placed.json()["follow_ups"]] == ["2022-09-07", "2022-10-07", "2022-11-06", "2023-02-04", "2023-05-05"]
    assert gateway.get(f"/api/jobs/{job['id']}", headers=staff).json()["openings_filled"] == 1

    due = gateway.get("/api/due-items", params={"location": "LOC-A"}, headers=staff)
    assert due.status_code == 200, due.text
    mine = [item for item in due.json() if item["customer_id"] == cid]
    assert [item["due_date"] for item in mine if item["kind"] == "placement follow-up"][:1] == ["2022-09-07"]
