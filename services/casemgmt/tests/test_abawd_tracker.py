"""The ABAWD 80-hour tracker (casemgmt.domain.abawd)."""

from datetime import date
from decimal import Decimal

from casemgmt.domain.abawd import Employment, abawd_month, employment_hours


def test_a_month_of_exactly_80_hours_counts():
    month = abawd_month(2026, 11, Decimal("80.00"), [])
    assert month.met and month.hours_short == 0


def test_a_month_of_79_75_hours_does_not_count():
    month = abawd_month(2026, 11, Decimal("79.75"), [])
    assert not month.met and month.hours_short == Decimal("0.25")


def test_employment_hours_are_weekly_hours_times_days_employed_in_the_month_over_7():
    # 20 h/week from 10 November to the end of November: 21 days → 60 h
    assert employment_hours(Employment(Decimal(20), date(2026, 11, 10)), 2026, 11) == Decimal("60.00")
    # employed 1–15 November at 21 h/week: 15 days → 45 h; other months count nothing
    ended = Employment(Decimal(21), date(2026, 10, 1), date(2026, 11, 15))
    assert employment_hours(ended, 2026, 11) == Decimal("45.00")
    assert employment_hours(ended, 2026, 12) == Decimal("0.00")
    assert employment_hours(Employment(Decimal(10), date(2026, 11, 1)), 2026, 11) == Decimal("42.86")


def test_attendance_and_employment_hours_add_up_against_80():
    month = abawd_month(2026, 11, Decimal("20.00"), [Employment(Decimal(20), date(2026, 11, 10))])
    assert (month.attendance_hours, month.employment_hours, month.total_hours) == (Decimal("20.00"), Decimal("60.00"), Decimal("80.00"))
    assert month.met


def test_days_left_in_the_month_count_today():
    month = abawd_month(2026, 11, Decimal(0), [])
    assert month.days_left(date(2026, 11, 25)) == 6
    assert month.days_left(date(2026, 11, 30)) == 1
    assert month.days_left(date(2026, 12, 1)) == 0
    assert month.days_left(date(2026, 10, 15)) == 30
