"""The ABAWD 80-hour tracker (DOMAIN.md §4): per customer and calendar month, verified attendance hours on
SNAP E&T activities plus employment hours (weekly hours × days employed in the month / 7, to the cent)
against 80. Exactly 80 hours meets the requirement."""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENTS = Decimal("0.01")
REQUIRED_MONTHLY_HOURS = Decimal(80)


@dataclass(frozen=True)
class Employment:
    weekly_hours: Decimal
    start_date: date
    end_date: date | None = None


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def employment_hours(employment: Employment, year: int, month: int) -> Decimal:
    first, last = month_bounds(year, month)
    employed_from = max(first, employment.start_date)
    employed_to = min(last, employment.end_date) if employment.end_date else last
    days = max(0, (employed_to - employed_from).days + 1)
    return (employment.weekly_hours * days / 7).quantize(CENTS, ROUND_HALF_UP)


@dataclass(frozen=True)
class AbawdMonth:
    year: int
    month: int
    attendance_hours: Decimal
    employment_hours: Decimal

    @property
    def total_hours(self) -> Decimal:
        return self.attendance_hours + self.employment_hours

    @property
    def met(self) -> bool:
        return self.total_hours >= REQUIRED_MONTHLY_HOURS

    @property
    def hours_short(self) -> Decimal:
        return max(Decimal("0.00"), REQUIRED_MONTHLY_HOURS - self.total_hours)

    def days_left(self, today: date) -> int:
        """Days of the month still to come, today included (0 once the month is over)."""
        first, last = month_bounds(self.year, self.month)
        return max(0, (last - max(today, first)).days + 1)


def abawd_month(year: int, month: int, verified_snap_et_hours: Decimal, employments: Iterable[Employment]) -> AbawdMonth:
    worked = sum((employment_hours(e, year, month) for e in employments), Decimal("0.00"))
    return AbawdMonth(year, month, verified_snap_et_hours, worked)
