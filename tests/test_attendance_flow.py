"""Attendance and its month sheets end to end through the gateway on the real broker and PostgreSQL: an
Earnfare benefit set in intake reaches casemgmt's month sheet as its target; a verified week is announced on
casemgmt's topic and reaches the ABAWD tracker, with employment hours from an EmploymentRecorded event."""

import json
from datetime import date
from decimal import Decimal

import pytest

from ies_sync.synthetic import person
from isets_contracts import Envelope, topics
from isets_contracts.events import EmploymentRecorded
from tests.helpers import fresh_individual_numbers, login, program_contract, send_referral, wait_until
from tests.kafka_tools import produce, read_all
from tests.test_ies_to_intake import profile_of

pytestmark = pytest.mark.kafka

WEEK = "2026-09-06"
DAYS = [{"day": f"2026-09-{d:02d}", "check_in": "08:00", "lunch_start": "12:00", "lunch_end": "12:30", "check_out": "16:45"} for d in (7, 8)]


def test_an_earnfare_benefit_and_verified_attendance_reach_the_month_sheet_and_the_abawd_tracker(gateway, statewide, infrastructure):
    number = fresh_individual_numbers(1)
    assert gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide).json()["decision"] == "new"
    customer = profile_of(gateway, statewide, str(number))
    cid = customer["id"]
    program_contract(gateway, statewide, "LOC-A", "CW", "TJ")
    staff = login(gateway, "provider.a")
    sent = send_referral(gateway, statewide, cid, "LOC-A", customer["dhs_office"], program="Earnfare")
    assert sent.status_code == 201, sent.text
    accept = {"version": sent.json()["version"], "snap_et_eligible": True}
    assert gateway.post(f"/api/customers/{cid}/referrals/1/accept", json=accept, headers=staff).status_code == 200
    plan = f"/api/plans/{cid}"
    goals = wait_until(lambda: (g := gateway.get(f"{plan}/goals", headers=staff)).status_code == 200 and g.json(), message="the plan")

    admin = login(gateway, "idhs.admin")
    benefit = gateway.post(f"/api/customers/{cid}/earnfare-benefit", json={"benefit_amount": "196.00", "effective_date": "2026-08-01"}, headers=admin)
    assert benefit.status_code == 201, benefit.text
    hours = benefit.json()["monthly_benefit_hours"]  # computed by intake, carried by its event
    assert hours == 13  # 196.00 / 15.00 an hour, rounded down
    wait_until(
        lambda: gateway.get(f"{plan}/earnfare/2026-09", headers=staff).json()["community_workfare_target"] == hours,
        message="the benefit hours on casemgmt's month sheet",
    )

    cw = gateway.post(
        f"{plan}/activities",
        json={"activity_code": "CW", "goal_id": goals[0]["id"], "status": "Started/Open", "planned_start": "2026-08-01", "planned_completion": "2026-10-31"},
        headers=staff,
    )
    assert cw.status_code == 201, cw.text
    week = f"{plan}/activities/{cw.json()['id']}/attendance/{WEEK}"
    assert gateway.put(week, json={"days": DAYS}, headers=staff).status_code == 200
    verified = gateway.post(f"{week}/verify", headers=staff)
    assert verified.status_code == 200 and verified.json()["total_hours"] == "16.50", verified.text

    sheet = gateway.get(f"{plan}/earnfare/2026-09", headers=staff).json()
    assert (sheet["community_workfare_hours"], sheet["stipend_hours"], sheet["stipend_issued"]) == ("16.50", "3.50", "52.50")

    def announced():
        found = [json.loads(record.value) for record in read_all(infrastructure, topics.CASEMGMT)]
        return [e for e in found if e["type"] == "casemgmt.attendance.verified" and e["subject"] == cid]

    [event] = wait_until(announced, message="AttendanceVerified on casemgmt's topic")
    assert event["data"]["hours_by_day"] == {"2026-09-07": "8.25", "2026-09-08": "8.25"}

    employment = EmploymentRecorded(
        customer_id=cid, employment_id=f"e-{number}", employer_name="Acme", job_title="Clerk",
        start_date=date(2026, 9, 1), hours_per_week=Decimal(14),
    )
    produce(infrastructure, topics.EMPLOYMENT, [(cid.encode(), Envelope.wrap(employment, source="test", subject=cid).model_dump_json().encode())])

    def september():
        months = gateway.get(f"{plan}/abawd", params={"until": "2026-09", "months": 1}, headers=staff).json()
        return months[0]["employment_hours"] == "60.00" and months[0]

    tracked = wait_until(september, message="the employment hours on the ABAWD tracker")
    # 16.50 verified SNAP E&T hours + 14 a week × 30 days / 7 = 76.50: short of 80, on the worklist.
    assert (tracked["attendance_hours"], tracked["total_hours"], tracked["met"]) == ("16.50", "76.50", False)
    at_risk = gateway.get("/api/abawd/at-risk", params={"month": "2026-09"}, headers=staff).json()
    assert cid in [row["customer_id"] for row in at_risk]
