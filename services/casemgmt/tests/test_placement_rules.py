"""Worksite placement rules (casemgmt.domain.placements): wages, statuses, subsidised days, the yearly limit, follow-ups."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from isets_kit.errors import Conflict, Forbidden, RuleViolation
from casemgmt.domain.attendance import Actor
from casemgmt.domain.placements import (
    SUBSIDISED_DAYS_PER_YEAR,
    Placement,
    PlacementStatus,
    PositionType,
    check_wages,
    follow_up_due_dates,
    subsidised_days_remaining,
    total_subsidised_days,
)

STAFF = Actor("provider.a", staff=True)
CUSTOMER = Actor("c-1", staff=False)
AT = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def placement(start=date(2022, 8, 8), planned_due=date(2022, 12, 31), hourly="15.00", subsidised="9.00") -> Placement:
    return Placement(
        job_id=1, position_type=PositionType.FULL_TIME, start_date=start, planned_due_date=planned_due,
        hourly_wage=Decimal(hourly), subsidised_wage=Decimal(subsidised), employer_wage_match=Decimal("0.00"),
    )


def started(start: date, planned_due: date, others=()) -> Placement:
    p = placement(start, planned_due)
    p.start(start, STAFF, AT, others)
    return p


def test_the_minimum_wage_for_a_placement_is_the_state_minimum_on_its_start_date():
    assert placement(start=date(2022, 8, 8)).minimum_wage == Decimal("12.00")
    assert check_wages(date(2024, 3, 1), Decimal("14.00"), Decimal("14.00")) == Decimal("14.00")


def test_an_hourly_wage_below_the_minimum_is_refused():
    with pytest.raises(RuleViolation) as refused:
        placement(hourly="11.99")
    assert refused.value.field == "hourly_wage" and "12.00" in refused.value.rule


def test_a_subsidised_wage_above_the_minimum_is_refused():
    with pytest.raises(RuleViolation) as refused:
        placement(subsidised="12.01")
    assert refused.value.field == "subsidised_wage"


def test_a_planned_placement_counts_no_subsidised_days():
    assert placement().subsidised_days(as_of=date(2022, 12, 14)) == 0


def test_subsidised_days_count_from_started_open_both_days_included():
    # the guide's placement: Started (Open) 8/8/2022, 129 subsidised days on 12/14/2022
    assert started(date(2022, 8, 8), date(2022, 12, 31)).subsidised_days(as_of=date(2022, 12, 14)) == 129


def test_completion_ends_the_subsidised_days():
    p = started(date(2022, 8, 8), date(2022, 12, 31))
    p.complete(True, date(2022, 9, 11), STAFF, AT)
    assert p.status is PlacementStatus.SUCCESSFUL and p.end_date == date(2022, 9, 11)
    assert p.subsidised_days(as_of=date(2022, 12, 14)) == 35


def test_subsidised_days_add_up_across_placements_35_plus_13_is_48():
    first = started(date(2022, 8, 8), date(2022, 9, 30))
    first.complete(False, date(2022, 9, 11), STAFF, AT)
    second = started(date(2022, 10, 3), date(2022, 12, 31))
    second.complete(True, date(2022, 10, 15), STAFF, AT)
    assert (first.subsidised_days(date(2022, 12, 1)), second.subsidised_days(date(2022, 12, 1))) == (35, 13)
    assert total_subsidised_days([first, second], as_of=date(2022, 12, 1)) == 48


def test_inactive_spans_do_not_count_and_the_status_history_keeps_inactive_and_return_dates():
    p = started(date(2022, 8, 8), date(2022, 12, 31))
    p.go_inactive(date(2022, 8, 15), STAFF, AT)
    assert p.subsidised_days(as_of=date(2022, 8, 20)) == 7  # 8/8..8/14
    p.come_back(date(2022, 8, 25), STAFF, AT)  # inactive 8/15..8/24: 10 days
    assert p.subsidised_days(as_of=date(2022, 9, 11)) == 35 - 10
    with pytest.raises(RuleViolation):
        p.go_inactive(date(2022, 8, 20), STAFF, AT)  # inside the span already counted out
    assert [(c.status, c.inactive_date, c.return_date) for c in p.history] == [
        (PlacementStatus.STARTED, None, None),
        (PlacementStatus.STARTED, date(2022, 8, 15), None),
        (PlacementStatus.STARTED, date(2022, 8, 15), date(2022, 8, 25)),
    ]
    assert p.history[0].subsidised_start == date(2022, 8, 8) and p.history[0].updated_by == "provider.a"


def test_statuses_move_planned_to_started_to_completed_only():
    p = placement()
    with pytest.raises(Conflict):
        p.complete(True, date(2022, 9, 1), STAFF, AT)
    p.start(date(2022, 8, 8), STAFF, AT)
    with pytest.raises(Conflict):
        p.start(date(2022, 8, 9), STAFF, AT)
    with pytest.raises(RuleViolation):
        p.complete(True, date(2022, 8, 1), STAFF, AT)
    p.complete(False, date(2022, 9, 1), STAFF, AT)
    assert p.status is PlacementStatus.UNSUCCESSFUL


def test_the_six_month_limit_is_183_subsidised_days_per_calendar_year_with_the_remaining_days_in_the_error():
    first = started(date(2023, 1, 1), date(2023, 5, 31))  # 151 days
    assert subsidised_days_remaining([first], 2023) == SUBSIDISED_DAYS_PER_YEAR - 151 == 32
    second = placement(date(2023, 8, 1), date(2023, 9, 1))  # would be 32 days: fits exactly
    second.start(date(2023, 8, 1), STAFF, AT, [first])
    third = placement(date(2023, 10, 2), date(2023, 10, 2))
    with pytest.raises(RuleViolation) as refused:
        third.start(date(2023, 10, 2), STAFF, AT, [first, second])
    assert refused.value.field == "start_date" and "0 days remain" in refused.value.rule
    assert third.status is PlacementStatus.PLANNED and third.subsidised_start is None


def test_lengthening_a_placement_past_the_limit_is_refused_and_kept_unchanged():
    first = started(date(2023, 1, 1), date(2023, 5, 31))
    second = started(date(2023, 8, 1), date(2023, 8, 31), [first])
    with pytest.raises(RuleViolation) as refused:
        second.change_planned_due_date(date(2023, 9, 2), [first])
    assert refused.value.field == "planned_due_date" and "32 days remain" in refused.value.rule
    assert second.planned_due_date == date(2023, 8, 31)
    second.change_planned_due_date(date(2023, 9, 1), [first])


def test_the_limit_restarts_each_calendar_year():
    first = started(date(2022, 7, 1), date(2022, 12, 30))  # 183 days of 2022
    nxt = placement(date(2022, 12, 31), date(2023, 6, 30))
    with pytest.raises(RuleViolation) as refused:
        nxt.start(date(2022, 12, 31), STAFF, AT, [first])  # one day left in 2022 is taken; 2023 is fresh
    assert "calendar year 2022" in refused.value.rule
    started(date(2023, 1, 1), date(2023, 7, 2), [first])


def test_follow_ups_fall_due_30_60_90_180_270_days_after_the_seed_start():
    assert follow_up_due_dates(date(2022, 8, 8)) == [
        date(2022, 9, 7), date(2022, 10, 7), date(2022, 11, 6), date(2023, 2, 4), date(2023, 5, 5)
    ]


def test_follow_ups_of_a_31_january_start_in_a_leap_year():
    assert follow_up_due_dates(date(2024, 1, 31)) == [
        date(2024, 3, 1), date(2024, 3, 31), date(2024, 4, 30), date(2024, 7, 29), date(2024, 10, 27)
    ]


def test_a_follow_up_is_verified_only_once_reached_and_only_by_staff():
    p = started(date(2022, 8, 8), date(2022, 12, 31))
    assert [f.due for f in p.follow_ups] == follow_up_due_dates(date(2022, 8, 8))
    with pytest.raises(RuleViolation) as refused:
        p.verify_follow_up(30, date(2022, 9, 6), STAFF)
    assert "2022-09-07" in refused.value.rule
    with pytest.raises(Forbidden):
        p.verify_follow_up(30, date(2022, 9, 7), CUSTOMER)
    verified = p.verify_follow_up(30, date(2022, 9, 7), STAFF)
    assert (verified.verified_by, verified.verified_on) == ("provider.a", date(2022, 9, 7))
    with pytest.raises(Conflict):
        p.verify_follow_up(30, date(2022, 9, 8), STAFF)


def test_a_planned_placement_has_no_follow_ups_to_verify():
    with pytest.raises(RuleViolation):
        placement().verify_follow_up(30, date(2022, 9, 7) + timedelta(days=400), STAFF)
