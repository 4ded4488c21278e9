"""The Earnfare month sheet (casemgmt.domain.earnfare)."""

from datetime import date
from decimal import Decimal

from casemgmt.domain.earnfare import month_sheet


def test_month_sheet_numbers_stipend_hours_times_the_minimum_wage_to_the_cent():
    # the seed's customer: 14 monthly benefit hours at $14.00 (2024)
    sheet = month_sheet(2024, 3, Decimal("14.00"), Decimal("20.25"), monthly_benefit_hours=14, subsidised_days_used=40)
    assert (sheet.community_workfare_hours, sheet.community_workfare_target) == (Decimal("14.00"), 14)
    assert (sheet.transitional_job_hours, sheet.transitional_job_target) == (Decimal("20.25"), Decimal(35))
    assert sheet.minimum_wage == Decimal("14.00")
    assert sheet.total_hours == Decimal("34.25")
    assert sheet.stipend_hours == Decimal("20.25")  # total − CW
    assert sheet.stipend_issued == Decimal("283.50")
    assert sheet.stipend_issued.as_tuple().exponent == -2


def test_the_minimum_wage_is_the_months_rate():
    assert month_sheet(2023, 12, Decimal(0), Decimal(10), 14, 0).minimum_wage == Decimal("13.00")
    assert month_sheet(2025, 1, Decimal(0), Decimal("10.33"), 14, 0).stipend_issued == Decimal("154.95")


def test_cw_hours_beyond_the_benefit_hours_are_not_work_off_and_earn_stipend():
    sheet = month_sheet(2024, 3, Decimal("16.50"), Decimal("35.00"), monthly_benefit_hours=14, subsidised_days_used=0)
    assert sheet.work_off_hours == Decimal("14")
    assert sheet.stipend_hours == Decimal("37.50")
    assert sheet.stipend_issued == Decimal("525.00")


def test_cw_hours_short_of_the_target_earn_no_stipend():
    sheet = month_sheet(2024, 3, Decimal("10.00"), Decimal("0"), monthly_benefit_hours=14, subsidised_days_used=0)
    assert sheet.stipend_hours == 0 and sheet.stipend_issued == Decimal("0.00")


def test_the_sheet_shows_the_six_month_subsidised_limit():
    sheet = month_sheet(2024, 9, Decimal(0), Decimal(0), 14, subsidised_days_used=150)
    assert (sheet.subsidised_days_remaining, sheet.subsidised_limit_reached) == (33, False)
    full = month_sheet(2024, 9, Decimal(0), Decimal(0), 14, subsidised_days_used=183)
    assert (full.subsidised_days_remaining, full.subsidised_limit_reached) == (0, True)
    assert month_sheet(2024, 9, Decimal(0), Decimal(0), 14, 0).month == date(2024, 9, 1)
