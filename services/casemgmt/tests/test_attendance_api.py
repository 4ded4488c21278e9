"""Attendance through casemgmt's API: weeks over the activity's span, Save / Submit and Verify / Re-open,
self-entry, group attendance, the AttendanceVerified events, and who may see what."""

from sqlalchemy import delete

from isets_kit.testing import outbox_events
from casemgmt.adapters.orm import locations, program_contracts
from services.casemgmt.tests.api_fixtures import make_client
from services.casemgmt.tests.attendance_fixtures import (
    STAFF_A,
    STAFF_B,
    customer_headers,
    days,
    eight_hour_days,
    offer_earnfare_and_jst,
    on_activity,
    save,
    save_and_verify,
    verify,
    week_url,
)

WEEK = "2026-09-06"  # Sunday to Saturday 12 September


def test_a_day_in_at_8_lunch_12_to_12_30_out_at_16_45_is_8_25_hours_and_the_weeks_cover_the_span(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1")
        saved = save(client, "c-1", cw, WEEK, days(("2026-09-07", "08:00", "12:00", "12:30", "16:45"), ("2026-09-08", "09:00", "13:00")))
        assert saved.status_code == 200, saved.text
        assert [d["hours"] for d in saved.json()["days"]] == ["8.25", "4.00"]
        assert (saved.json()["total_hours"], saved.json()["state"]) == ("12.25", "Saved")
        listed = client.get(week_url("c-1", cw), headers=STAFF_A).json()
        # 1 August 2026 is a Saturday: its week starts 26 July; 31 October is a Saturday too.
        assert (listed["weeks"][0]["week_start"], listed["weeks"][-1]["week_end"], len(listed["weeks"])) == ("2026-07-26", "2026-10-31", 14)
        assert (listed["hours_attended"], listed["hours_verified"]) == ("12.25", "0.00")
        verify(client, "c-1", cw, WEEK)
        assert client.get(week_url("c-1", cw), headers=STAFF_A).json()["hours_verified"] == "12.25"


def test_times_out_of_order_are_refused_naming_the_field(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1")
        refused = save(client, "c-1", cw, WEEK, days(("2026-09-07", "12:00", "08:00")))
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "check_out"
        outside = save(client, "c-1", cw, "2026-11-01", eight_hour_days("2026-11-02"))
        assert outside.status_code == 422 and outside.json()["detail"][0]["field"] == "week_start"
        not_sunday = save(client, "c-1", cw, "2026-09-07", eight_hour_days("2026-09-07"))
        assert not_sunday.status_code == 422 and not_sunday.json()["detail"][0]["field"] == "week"


def test_attendance_is_entered_only_on_a_started_activity(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        on_activity(client, "c-1")
        planned = on_activity(client, "c-1", code="JST", first=False, status="Planned/Not Started")
        refused = save(client, "c-1", planned, WEEK, eight_hour_days("2026-09-07"))
        assert refused.status_code == 409 and refused.json()["detail"][0]["field"] == "activity_id"


def test_self_entry_saves_the_customers_own_week_but_cannot_verify_it(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1")
        own = customer_headers("c-1")
        assert save(client, "c-1", cw, WEEK, eight_hour_days("2026-09-07"), headers=own).status_code == 200
        assert verify(client, "c-1", cw, WEEK, headers=own).status_code == 403
        week = client.get(week_url("c-1", cw), headers=own).json()["weeks"][6]
        assert (week["week_start"], week["state"], week["verified_by"]) == (WEEK, "Saved", None)
        assert outbox_events(client, "casemgmt.attendance.verified") == []


def test_self_entry_needs_a_service_provider_casemgmt_knows(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1")
        forget_location(client, "LOC-A")
        refused = save(client, "c-1", cw, WEEK, eight_hour_days("2026-09-07"), headers=customer_headers("c-1"))
        assert refused.status_code == 403 and refused.json()["detail"][0]["field"] == "service_provider"
        assert save(client, "c-1", cw, WEEK, eight_hour_days("2026-09-07")).status_code == 200


def forget_location(client, location: str) -> None:
    """The activity's location row gone (its contract too), as for an activity whose provider casemgmt never learnt."""

    async def forget():
        async with client.app.state.runtime.sessions() as session, session.begin():
            await session.execute(delete(program_contracts).where(program_contracts.c.location_id == location))
            await session.execute(delete(locations).where(locations.c.id == location))

    client.portal.call(forget)


def test_a_verified_week_is_reopened_only_by_staff_with_a_reason_kept_in_history(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1")
        save_and_verify(client, "c-1", cw, WEEK, eight_hour_days("2026-09-07", "2026-09-08"))
        reopen = week_url("c-1", cw, WEEK) + "/reopen"
        changed = save(client, "c-1", cw, WEEK, eight_hour_days("2026-09-09"))
        assert changed.status_code == 409
        assert client.post(reopen, json={"reason": "wrong day"}, headers=customer_headers("c-1")).status_code == 403
        assert client.post(reopen, json={"reason": "  "}, headers=STAFF_A).status_code == 422
        reopened = client.post(reopen, json={"reason": "wrong day"}, headers=STAFF_A)
        assert reopened.status_code == 200 and reopened.json()["state"] == "Saved"
        week = client.get(week_url("c-1", cw), headers=STAFF_A).json()["weeks"][6]
        assert [(h["action"], h["reason"]) for h in week["history"]] == [
            ("Saved", None), ("Verified", None), ("Re-opened", "wrong day")
        ]
        verified, reopened_event = [e["data"] for e in outbox_events(client, "casemgmt.attendance.verified")]
        assert verified["hours_by_day"] == {"2026-09-07": "8.00", "2026-09-08": "8.00"} and not verified["reopened"]
        assert reopened_event["hours_by_day"] == {"2026-09-07": "0", "2026-09-08": "0"} and reopened_event["reopened"]
        assert (verified["activity_code"], verified["kind"], verified["location"]) == ("CW", "SNAP E&T activity", "LOC-A")
        assert save(client, "c-1", cw, WEEK, eight_hour_days("2026-09-09")).status_code == 200


def test_group_attendance_with_one_bad_row_saves_the_others(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        for customer_id in ("c-1", "c-2", "c-3"):
            on_activity(client, customer_id)
        [cohort] = client.get("/attendance/cohorts", params={"location": "LOC-A", "activity_code": "CW"}, headers=STAFF_A).json()
        assert (cohort["activity_name"], cohort["customers"]) == ("Community Workfare", 3)
        url = f"/attendance/cohorts/LOC-A/CW/{WEEK}"
        rows = [
            {"customer_id": "c-1", "days": eight_hour_days("2026-09-07")},
            {"customer_id": "c-2", "days": days(("2026-09-07", "16:00", "08:00"))},
            {"customer_id": "c-3", "days": eight_hour_days("2026-09-07", "2026-09-08")},
            {"customer_id": "c-9", "days": eight_hour_days("2026-09-07")},
        ]
        answer = client.put(url, json={"rows": rows, "verify": True}, headers=STAFF_A)
        assert answer.status_code == 200, answer.text
        assert [(r["customer_id"], r["saved"], r["field"]) for r in answer.json()] == [
            ("c-1", True, None), ("c-2", False, "check_out"), ("c-3", True, None), ("c-9", False, "customer_id")
        ]
        week = {row["customer_id"]: row["week"] for row in client.get(url, headers=STAFF_A).json()}
        assert {cid: (w["state"], w["total_hours"]) for cid, w in week.items()} == {
            "c-1": ("Verified", "8.00"), "c-2": (None, "0"), "c-3": ("Verified", "16.00")
        }
        assert sorted(e["subject"] for e in outbox_events(client, "casemgmt.attendance.verified")) == ["c-1", "c-3"]


def test_group_attendance_is_for_staff_and_shows_only_their_locations_customers(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        on_activity(client, "c-1")
        assert client.get("/attendance/cohorts", headers=STAFF_B).json() == []
        assert client.get("/attendance/cohorts", headers=customer_headers("c-1")).status_code == 403
        rows = {"rows": [{"customer_id": "c-1", "days": eight_hour_days("2026-09-07")}]}
        refused = client.put(f"/attendance/cohorts/LOC-A/CW/{WEEK}", json=rows, headers=STAFF_B)
        assert refused.status_code == 403 and refused.json()["detail"][0]["field"] == "location"


def test_attendance_of_a_customer_outside_the_callers_scope_is_404_and_a_customer_sees_their_own(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1")
        on_activity(client, "c-2")
        assert client.get(week_url("c-1", cw), headers=STAFF_B).status_code == 404
        assert save(client, "c-1", cw, WEEK, eight_hour_days("2026-09-07"), headers=STAFF_B).status_code == 404
        assert client.get(week_url("c-1", cw), headers=customer_headers("c-2")).status_code == 404
        assert save(client, "c-1", cw, WEEK, eight_hour_days("2026-09-07"), headers=customer_headers("c-2")).status_code == 404
        assert client.get(week_url("c-1", cw), headers=customer_headers("c-1")).status_code == 200


def test_attendance_times_are_clock_times_of_the_day_without_offsets_or_seconds(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1")
        for check_in in ("08:00:00Z", "08:00+05:00", "08:00:30"):
            refused = save(client, "c-1", cw, WEEK, [{"day": "2026-09-07", "check_in": check_in, "check_out": "16:00"}])
            assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "days.0.check_in", check_in
        assert client.put(week_url("c-1", cw, "0001-01-01"), json={"days": []}, headers=STAFF_A).status_code == 422


def test_group_attendance_takes_one_row_per_customer(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        on_activity(client, "c-1")
        row = {"customer_id": "c-1", "days": eight_hour_days("2026-09-07")}
        refused = client.put(f"/attendance/cohorts/LOC-A/CW/{WEEK}", json={"rows": [row, row]}, headers=STAFF_A)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "rows"
