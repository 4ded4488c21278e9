"""Attendance rules (casemgmt.domain.attendance): a day's hours, weeks, verification, re-opening, self-entry, groups."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from isets_kit.errors import Conflict, Forbidden, RuleViolation
from casemgmt.domain.attendance import (
    Actor,
    AttendanceDay,
    AttendanceWeek,
    WeekAction,
    check_self_entry_allowed,
    enter_group_week,
    hours_attended_and_verified,
    hours_by_month,
    week_start,
    weeks_of_span,
)

STAFF = Actor("provider.a", staff=True)
CUSTOMER = Actor("c-1", staff=False)
AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def workday(day: date, check_in=time(8, 0), lunch=(time(12, 0), time(12, 30)), check_out=time(16, 45)) -> AttendanceDay:
    return AttendanceDay(day, check_in, check_out, *lunch)


def week(first_day=date(2026, 11, 22), start=date(2026, 11, 1), planned_end=date(2026, 12, 31)) -> AttendanceWeek:
    return AttendanceWeek(first_day, start, planned_end)


def test_a_day_in_at_8_lunch_12_to_12_30_out_at_16_45_is_8_25_hours():
    assert workday(date(2026, 11, 23)).hours == Decimal("8.25")


def test_a_day_without_lunch_counts_in_to_out():
    assert AttendanceDay(date(2026, 11, 23), time(9, 0), time(13, 20)).hours == Decimal("4.33")


@pytest.mark.parametrize(
    ("day", "field"),
    [
        (AttendanceDay(date(2026, 11, 23), time(16, 0), time(8, 0)), "check_out"),
        (AttendanceDay(date(2026, 11, 23), time(8, 0), time(8, 0)), "check_out"),
        (AttendanceDay(date(2026, 11, 23), time(8, 0), time(16, 0), time(12, 0), None), "lunch_end"),
        (AttendanceDay(date(2026, 11, 23), time(8, 0), time(16, 0), time(12, 30), time(12, 0)), "lunch_end"),
        (AttendanceDay(date(2026, 11, 23), time(8, 0), time(16, 0), time(7, 30), time(8, 30)), "lunch_start"),
        (AttendanceDay(date(2026, 11, 23), time(8, 0), time(16, 0), time(15, 30), time(16, 30)), "lunch_start"),
    ],
)
def test_times_are_validated_out_after_in_and_lunch_inside_the_day(day, field):
    with pytest.raises(RuleViolation) as refused:
        day.check()
    assert refused.value.field == field


def test_weeks_run_sunday_to_saturday_and_are_listed_for_the_activitys_span():
    assert week_start(date(2021, 12, 1)) == date(2021, 11, 28)  # a Wednesday's week starts the Sunday before
    assert week_start(date(2021, 11, 28)) == date(2021, 11, 28)
    # the guide's activity: planned 12/1/2021 to 12/8/2021 shows the weeks of 11/28 and 12/5
    assert weeks_of_span(date(2021, 12, 1), date(2021, 12, 8)) == [date(2021, 11, 28), date(2021, 12, 5)]


def test_a_week_that_does_not_start_on_a_sunday_is_refused():
    with pytest.raises(RuleViolation):
        week(first_day=date(2026, 11, 23))


def test_the_week_total_adds_the_days():
    attended = week()
    attended.enter([workday(date(2026, 11, 23)), workday(date(2026, 11, 24)), workday(date(2026, 11, 25), check_out=time(12, 0), lunch=(None, None))], STAFF, AT)
    assert attended.total_hours == Decimal("20.50")


def test_a_week_spanning_a_month_end_is_split_by_month():
    attended = week(first_day=date(2026, 11, 29))  # Sunday 29 November to Saturday 5 December
    days = [workday(date(2026, 11, 30)), workday(date(2026, 12, 1)), workday(date(2026, 12, 2))]
    attended.enter(days, STAFF, AT)
    assert hours_by_month(attended.days.values()) == {(2026, 11): Decimal("8.25"), (2026, 12): Decimal("16.50")}


def test_days_outside_the_week_or_the_activitys_span_are_refused():
    with pytest.raises(RuleViolation):
        week().enter([workday(date(2026, 11, 29))], STAFF, AT)
    with pytest.raises(RuleViolation):
        week(start=date(2026, 11, 24)).enter([workday(date(2026, 11, 23))], STAFF, AT)


def test_save_keeps_the_week_unverified_and_submit_and_verify_records_who_and_when():
    attended = week()
    attended.enter([workday(date(2026, 11, 23))], STAFF, AT)
    assert not attended.verified and attended.verified_by is None
    attended.enter([workday(date(2026, 11, 24))], STAFF, AT, verify=True)
    assert attended.verified and (attended.verified_by, attended.verified_at) == ("provider.a", AT)
    assert [change.action for change in attended.history] == [WeekAction.SAVED, WeekAction.SAVED, WeekAction.VERIFIED]


def test_self_entry_is_saved_but_never_verified():
    attended = week()
    with pytest.raises(Forbidden):
        attended.enter([workday(date(2026, 11, 23))], CUSTOMER, AT, verify=True)
    assert attended.days == {}
    attended.enter([workday(date(2026, 11, 23))], CUSTOMER, AT)
    with pytest.raises(Forbidden):
        attended.verify(CUSTOMER, AT)
    assert not attended.verified


def test_self_entry_needs_a_service_provider_on_the_activity():
    check_self_entry_allowed(has_service_provider=True)
    with pytest.raises(Forbidden):
        check_self_entry_allowed(has_service_provider=False)


def test_a_verified_week_is_changed_only_after_staff_reopen_it_with_a_reason_kept_in_history():
    attended = week()
    attended.enter([workday(date(2026, 11, 23))], STAFF, AT, verify=True)
    with pytest.raises(Conflict):
        attended.enter([workday(date(2026, 11, 24))], STAFF, AT)
    with pytest.raises(Forbidden):
        attended.reopen(CUSTOMER, AT, "wrong day")
    with pytest.raises(RuleViolation):
        attended.reopen(STAFF, AT, "  ")
    attended.reopen(STAFF, AT, "check-out typed wrong")
    assert not attended.verified and attended.verified_by is None
    assert attended.history[-1].action is WeekAction.REOPENED and attended.history[-1].reason == "check-out typed wrong"
    attended.enter([workday(date(2026, 11, 23), check_out=time(17, 0))], STAFF, AT)
    assert attended.total_hours == Decimal("8.50")


def test_hours_attended_count_every_week_and_hours_verified_only_verified_weeks():
    saved, verified = week(), week(first_day=date(2026, 11, 29))
    saved.enter([workday(date(2026, 11, 23))], STAFF, AT)
    verified.enter([workday(date(2026, 11, 30)), workday(date(2026, 12, 1))], STAFF, AT, verify=True)
    assert hours_attended_and_verified([saved, verified]) == (Decimal("24.75"), Decimal("16.50"))


def test_group_attendance_with_one_bad_row_saves_the_others():
    weeks = {"c-1": week(), "c-2": week(), "c-3": week()}
    rows = {
        "c-1": [workday(date(2026, 11, 23))],
        "c-2": [workday(date(2026, 11, 23)), AttendanceDay(date(2026, 11, 24), time(16, 0), time(8, 0))],
        "c-3": [workday(date(2026, 11, 23)), workday(date(2026, 11, 24))],
        "c-4": [workday(date(2026, 11, 23))],
    }
    outcomes = {o.customer_id: o for o in enter_group_week(weeks, rows, STAFF, AT, verify=True)}
    assert outcomes["c-1"].saved and outcomes["c-3"].saved
    assert not outcomes["c-2"].saved and outcomes["c-2"].field == "check_out" and "2026-11-24" in outcomes["c-2"].rule
    assert not outcomes["c-4"].saved and outcomes["c-4"].field == "customer_id"
    assert weeks["c-1"].total_hours == Decimal("8.25") and weeks["c-3"].total_hours == Decimal("16.50")
    assert weeks["c-2"].days == {} and not weeks["c-2"].verified  # the bad row keeps none of its days
