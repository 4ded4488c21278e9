"""The Customer Services Report through the gateway on PostgreSQL: a cell of the matrix, its rows edited in
bulk (one bad row refused, the other saved) and its CSV exported, edited and imported back."""

import csv
import io
from datetime import date

import pytest

from ies_sync.synthetic import person
from tests.helpers import fresh_individual_numbers, login, program_contract, wait_until
from tests.test_ies_to_intake import profile_of
from tests.test_plan_flow import refer_and_accept

pytestmark = pytest.mark.kafka
REPORT = "/api/reports/customer-services"


def test_a_cohort_is_bulk_updated_from_the_report_and_round_tripped_through_csv(gateway, statewide):
    program_contract(gateway, statewide, "LOC-A", "JST", "WRT")
    staff = login(gateway, "provider.a")
    number = fresh_individual_numbers(2)
    start = date(2031, 1, 1 + number % 28)  # this test's activities alone start on this day
    activity_ids = []
    for offset in range(2):
        assert gateway.post("/api/ies/persons", json=person(offset, 2, number), headers=statewide).json()["decision"] == "new"
        customer = profile_of(gateway, statewide, str(number + offset))
        refer_and_accept(gateway, statewide, staff, customer, "LOC-A")
        plan = f"/api/plans/{customer['id']}"
        goals = wait_until(lambda plan=plan: (answer := gateway.get(f"{plan}/goals", headers=staff)).status_code == 200 and answer.json(), message="enrolment goal")
        added = gateway.post(
            f"{plan}/activities",
            json={"activity_code": "WRT", "goal_id": goals[0]["id"], "planned_start": str(start), "planned_completion": "2031-06-30"},
            headers=staff,
        )
        assert added.status_code == 201, added.text
        activity_ids.append(added.json()["id"])

    window = {"service_provider": "LOC-A", "start_from": str(start), "start_to": str(start)}
    matrix = gateway.get(REPORT, params=window, headers=staff)
    assert matrix.status_code == 200, matrix.text
    wrt = next(row for row in matrix.json()["rows"] if row["activity_code"] == "WRT")
    assert (wrt["not_started"], wrt["customers_with"]) == (2, 2)

    cell = gateway.get(f"{REPORT}/cell", params=window | {"activity_code": "WRT", "status": "Planned/Not Started"}, headers=staff).json()
    version_of = {row["activity_id"]: row["version"] for row in cell["items"]}
    assert sorted(version_of) == sorted(activity_ids)
    rows = [
        {"activity_id": activity_ids[0], "version": version_of[activity_ids[0]], "status": "Started/Open", "weekly_hours": "10"},
        {"activity_id": activity_ids[1], "planned_due": "2030-01-01"},  # before the start
    ]
    outcomes = gateway.post(f"{REPORT}/bulk", json={"rows": rows}, headers=staff).json()
    assert [(o["outcome"], o["field"]) for o in outcomes] == [("ok", None), ("refused", "planned_due")]

    exported = gateway.get(f"{REPORT}/cell.csv", params=window | {"activity_code": "WRT", "status": "with"}, headers=staff)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(exported.text)))
    for line in lines:
        line["weekly_hours"] = "oops" if line["activity_id"] == activity_ids[1] else "15"
    edited = io.StringIO()
    writer = csv.DictWriter(edited, fieldnames=list(lines[0]))
    writer.writeheader()
    writer.writerows(lines)
    answer = gateway.post(f"{REPORT}/import", files={"file": ("wrt.csv", edited.getvalue().encode(), "text/csv")}, headers=staff)
    assert answer.status_code == 200, answer.text
    result = {row["activity_id"]: row for row in csv.DictReader(io.StringIO(answer.text))}
    assert (result[activity_ids[0]]["outcome"], result[activity_ids[1]]["outcome"]) == ("ok", "refused")
    assert result[activity_ids[1]]["field"] == "weekly_hours"
    after = gateway.get(f"{REPORT}/cell", params=window | {"activity_code": "WRT", "status": "Started/Open"}, headers=staff).json()
    assert [(row["activity_id"], row["weekly_hours"]) for row in after["items"]] == [(activity_ids[0], "15.00")]
