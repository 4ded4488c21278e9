"""The Earnfare month sheet and the ABAWD 80-hour tracker through casemgmt's API: hours from verified
attendance only, a week spanning a month end split by month, the benefit hours from intake's event,
employment hours pro-rated, exactly 80 hours vs 79.75, and who may see what."""

from datetime import date
from decimal import Decimal

from isets_contracts.events import EarnfareBenefitChanged, EmploymentRecorded
from services.casemgmt.tests.api_fixtures import apply_event, make_client
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
)

SEPTEMBER_WEEK_1 = ("2026-09-06", ["2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10", "2026-09-11"])
SEPTEMBER_WEEK_2 = ("2026-09-13", ["2026-09-14", "2026-09-15", "2026-09-16", "2026-09-17", "2026-09-18"])


def benefit(client, customer_id: str, hours: int, amount: str, effective: date) -> None:
    apply_event(
        client,
        EarnfareBenefitChanged(customer_id=customer_id, benefit_amount=Decimal(amount), effective_date=effective, monthly_benefit_hours=hours),
        customer_id,
    )


def sheet(client, month: str, customer_id: str = "c-1", headers=STAFF_A) -> dict:
    answer = client.get(f"/plans/{customer_id}/earnfare/{month}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def abawd(client, until: str, months: int = 2, customer_id: str = "c-1", headers=STAFF_A) -> dict[str, dict]:
    answer = client.get(f"/plans/{customer_id}/abawd", params={"until": until, "months": months}, headers=headers)
    assert answer.status_code == 200, answer.text
    return {row["month"]: row for row in answer.json()}


def test_earnfare_sheet_numbers_come_from_verified_attendance_only(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1", "CW")
        tj = on_activity(client, "c-1", "TJ", first=False)
        benefit(client, "c-1", 14, "196.00", date(2025, 3, 1))
        benefit(client, "c-1", 13, "195.00", date(2026, 9, 1))
        week, on = SEPTEMBER_WEEK_1
        save_and_verify(client, "c-1", cw, week, eight_hour_days(*on[:2]) + days((on[2], "08:00", "12:00")))  # 20 h
        save_and_verify(client, "c-1", tj, week, days((on[3], "08:00", "13:00"), (on[4], "08:00", "13:00")))  # 10 h
        week, on = SEPTEMBER_WEEK_2
        assert save(client, "c-1", cw, week, eight_hour_days(*on)).status_code == 200  # saved, not verified
        september = sheet(client, "2026-09")
        assert {k: september[k] for k in (
            "benefit_amount", "community_workfare_hours", "community_workfare_target", "transitional_job_hours",
            "transitional_job_target", "total_hours", "work_off_hours", "stipend_hours", "minimum_wage", "stipend_issued",
        )} == {
            "benefit_amount": "195.00", "community_workfare_hours": "20.00", "community_workfare_target": 13,
            "transitional_job_hours": "10.00", "transitional_job_target": "35", "total_hours": "30.00",
            "work_off_hours": "13", "stipend_hours": "17.00", "minimum_wage": "15.00", "stipend_issued": "255.00",
        }
        assert (september["subsidised_days_remaining"], september["subsidised_limit_reached"]) == (183, False)
        assert sheet(client, "2026-08")["community_workfare_target"] == 14  # the benefit in effect then


def test_a_week_spanning_a_month_end_counts_hours_in_each_month_on_the_month_sheet_and_abawd(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        cw = on_activity(client, "c-1", "CW")
        # Sunday 30 August to Saturday 5 September: Monday in August, Tuesday and Wednesday in September.
        save_and_verify(client, "c-1", cw, "2026-08-30", eight_hour_days("2026-08-31", "2026-09-01", "2026-09-02"))
        assert (sheet(client, "2026-08")["community_workfare_hours"], sheet(client, "2026-09")["community_workfare_hours"]) == ("8.00", "16.00")
        months = abawd(client, "2026-09")
        assert (months["2026-08"]["attendance_hours"], months["2026-09"]["attendance_hours"]) == ("8.00", "16.00")


def test_abawd_month_of_exactly_80_hours_is_met_and_79_75_is_at_risk(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        for customer_id in ("c-1", "c-2"):
            jst = on_activity(client, customer_id, "JST")
            week, on = SEPTEMBER_WEEK_1
            save_and_verify(client, customer_id, jst, week, eight_hour_days(*on))
            week, on = SEPTEMBER_WEEK_2
            last_out = "16:00" if customer_id == "c-1" else "15:45"
            save_and_verify(client, customer_id, jst, week, eight_hour_days(*on[:4]) + days((on[4], "08:00", last_out)))
        met, short = abawd(client, "2026-09", customer_id="c-1")["2026-09"], abawd(client, "2026-09", customer_id="c-2")["2026-09"]
        assert (met["total_hours"], met["met"], met["hours_short"]) == ("80.00", True, "0.00")
        assert (short["total_hours"], short["met"], short["hours_short"]) == ("79.75", False, "0.25")
        at_risk = client.get("/abawd/at-risk", params={"month": "2026-09"}, headers=STAFF_A).json()
        assert [(row["customer_id"], row["total_hours"], row["days_left"]) for row in at_risk] == [("c-2", "79.75", 0)]


def test_abawd_counts_employment_hours_pro_rated_to_the_days_employed_in_the_month(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        on_activity(client, "c-1", "JST")
        apply_event(
            client,
            EmploymentRecorded(
                customer_id="c-1", employment_id="e-1", employer_name="Acme", job_title="Clerk",
                start_date=date(2026, 9, 16), hours_per_week=Decimal(35),
            ),
            "c-1",
        )
        months = abawd(client, "2026-10", months=3)
        # 15 of September's 30 days: 35 × 15 / 7 = 75; all 31 of October's: 155.
        assert [(m["employment_hours"], m["met"]) for m in months.values()] == [("0.00", False), ("75.00", False), ("155.00", True)]
        # The recorded employment still becomes a planned plan activity.
        assert "JR" in [a["code"] for a in client.get("/plans/c-1/activities", headers=STAFF_A).json()]


def test_the_abawd_worklist_lists_only_the_callers_locations_customers_and_is_for_staff(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        on_activity(client, "c-1", "JST")
        assert [r["customer_id"] for r in client.get("/abawd/at-risk", params={"month": "2026-09"}, headers=STAFF_A).json()] == ["c-1"]
        assert client.get("/abawd/at-risk", params={"month": "2026-09"}, headers=STAFF_B).json() == []
        assert client.get("/abawd/at-risk", headers=customer_headers("c-1")).status_code == 403


def test_month_sheets_of_a_customer_outside_the_callers_scope_are_404_and_a_customer_sees_their_own(tmp_path):
    with make_client(tmp_path) as client:
        offer_earnfare_and_jst(client)
        on_activity(client, "c-1", "CW")
        on_activity(client, "c-2", "CW")
        for url in ("/plans/c-1/earnfare/2026-09", "/plans/c-1/abawd"):
            assert client.get(url, headers=STAFF_B).status_code == 404
            assert client.get(url, headers=customer_headers("c-2")).status_code == 404
            assert client.get(url, headers=customer_headers("c-1")).status_code == 200
        for month in ("2026-13", "0000-01"):
            assert client.get(f"/plans/c-1/earnfare/{month}", headers=STAFF_A).status_code == 422
        assert client.get("/plans/c-1/earnfare/1999-12", headers=STAFF_A).json()["detail"][0]["field"] == "month"
