"""Earnfare benefit hours (DOMAIN.md §2): monthly benefit hours = benefit / state minimum wage, rounded down."""

from datetime import date
from decimal import ROUND_FLOOR, Decimal

# Illinois minimum wage for workers 18 and over, by effective date.
STATE_MINIMUM_WAGE = (
    (date(2023, 1, 1), Decimal("13.00")),
    (date(2024, 1, 1), Decimal("14.00")),
    (date(2025, 1, 1), Decimal("15.00")),
)


def minimum_wage_on(day: date) -> Decimal:
    wage = STATE_MINIMUM_WAGE[0][1]
    for effective, rate in STATE_MINIMUM_WAGE:
        if day >= effective:
            wage = rate
    return wage


def monthly_benefit_hours(benefit_amount: Decimal, minimum_wage: Decimal) -> int:
    return int((benefit_amount / minimum_wage).to_integral_value(rounding=ROUND_FLOOR))
