"""The dated Illinois minimum wage table (casemgmt.domain.minimum_wage)."""

from datetime import date
from decimal import Decimal

import pytest

from isets_kit.errors import RuleViolation
from casemgmt.domain.minimum_wage import minimum_wage_on


@pytest.mark.parametrize(
    ("day", "wage"),
    [
        (date(2020, 1, 1), "9.25"),
        (date(2020, 6, 30), "9.25"),
        (date(2020, 7, 1), "10.00"),
        (date(2021, 1, 1), "11.00"),
        (date(2022, 8, 8), "12.00"),
        (date(2023, 12, 31), "13.00"),
        (date(2024, 1, 1), "14.00"),
        (date(2025, 1, 1), "15.00"),
        (date(2031, 5, 1), "15.00"),
    ],
)
def test_the_state_minimum_wage_is_the_rate_in_effect_on_the_day(day, wage):
    assert minimum_wage_on(day) == Decimal(wage)


def test_a_day_before_the_table_is_refused_naming_the_field():
    with pytest.raises(RuleViolation) as refused:
        minimum_wage_on(date(2019, 12, 31), "start_date")
    assert refused.value.field == "start_date"
