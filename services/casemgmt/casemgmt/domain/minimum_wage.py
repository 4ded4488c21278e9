"""The Illinois state minimum wage (workers 18 and over) by effective date: a placement's minimum wage is
the rate on its start date, an Earnfare month's the rate on the month's first day."""

from bisect import bisect_right
from datetime import date
from decimal import Decimal

from isets_kit.errors import RuleViolation

ILLINOIS_MINIMUM_WAGE: tuple[tuple[date, Decimal], ...] = (
    (date(2020, 1, 1), Decimal("9.25")),
    (date(2020, 7, 1), Decimal("10.00")),
    (date(2021, 1, 1), Decimal("11.00")),
    (date(2022, 1, 1), Decimal("12.00")),
    (date(2023, 1, 1), Decimal("13.00")),
    (date(2024, 1, 1), Decimal("14.00")),
    (date(2025, 1, 1), Decimal("15.00")),
)
_EFFECTIVE_DATES = [effective for effective, _ in ILLINOIS_MINIMUM_WAGE]


def minimum_wage_on(day: date, field: str = "start_date") -> Decimal:
    """The rate in effect on `day`; a day before the table starts is refused, naming `field`."""
    index = bisect_right(_EFFECTIVE_DATES, day)
    if index == 0:
        raise RuleViolation(field, f"no state minimum wage is known before {_EFFECTIVE_DATES[0].isoformat()}")
    return ILLINOIS_MINIMUM_WAGE[index - 1][1]
