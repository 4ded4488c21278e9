"""Worksite placements on CW, TJ, OJT and INT activities (DOMAIN.md §4, guide 004 "Worksite Placements").

Wages are checked against the state minimum wage on the placement's start date: the hourly wage at
least the minimum, the subsidised wage (or training-wage match) at most the minimum.

Subsidised days count from Started (Open) to completion, both days included (the guide's seed: started
2022-08-08, 129 days on 2022-12-14); Planned/Not Started counts nothing; days from an inactive date up
to the day before the return date do not count. They add up across a customer's placements (35 + 13 = 48).

"6 months of subsidised wages per calendar year" is counted as SUBSIDISED_DAYS_PER_YEAR = 183 days
(half of 365, rounded up) of subsidised days falling in each calendar year, summed over all the
customer's placements. A change is checked against what the placements will have used by their
subsidised end (or end, or planned due date), so a placement cannot be planned past the limit.

Follow-ups fall due 30, 60, 90, 180 and 270 days after the start; staff verify each once it is reached.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from isets_kit.errors import Conflict, Forbidden, RuleViolation
from casemgmt.domain.attendance import Actor
from casemgmt.domain.minimum_wage import minimum_wage_on

SUBSIDISED_DAYS_PER_YEAR = 183
FOLLOW_UP_DAYS = (30, 60, 90, 180, 270)


class PlacementStatus(StrEnum):
    PLANNED = "Planned/Not Started"
    STARTED = "Started (Open)"
    SUCCESSFUL = "Successful Completion"
    UNSUCCESSFUL = "Unsuccessful Completion"


COMPLETED = frozenset({PlacementStatus.SUCCESSFUL, PlacementStatus.UNSUCCESSFUL})


class PositionType(StrEnum):
    FULL_TIME = "Full-time"
    PART_TIME = "Part-time"


def check_wages(start_date: date, hourly_wage: Decimal, subsidised_wage: Decimal) -> Decimal:
    """The minimum wage for a placement starting on `start_date`, once its wages are within the rules."""
    minimum = minimum_wage_on(start_date)
    if hourly_wage < minimum:
        raise RuleViolation("hourly_wage", f"the hourly wage must be at least the state minimum wage of ${minimum} on {start_date.isoformat()}")
    if subsidised_wage > minimum:
        raise RuleViolation("subsidised_wage", f"the subsidised wage must be at most the state minimum wage of ${minimum} on {start_date.isoformat()}")
    if subsidised_wage < 0:
        raise RuleViolation("subsidised_wage", "the subsidised wage cannot be negative")
    return minimum


def follow_up_due_dates(start: date) -> list[date]:
    return [start + timedelta(days=days) for days in FOLLOW_UP_DAYS]


@dataclass(frozen=True)
class StatusChange:
    status: PlacementStatus
    start_date: date | None
    inactive_date: date | None
    return_date: date | None
    subsidised_start: date | None
    subsidised_end: date | None
    updated_at: datetime
    updated_by: str


@dataclass
class InactiveSpan:
    inactive_date: date
    return_date: date | None = None


@dataclass
class FollowUp:
    days: int
    due: date
    verified_by: str | None = None
    verified_on: date | None = None


@dataclass
class Placement:
    job_id: int
    position_type: PositionType
    start_date: date
    planned_due_date: date
    hourly_wage: Decimal
    subsidised_wage: Decimal
    employer_wage_match: Decimal
    minimum_wage: Decimal = field(init=False)  # the state minimum on the start date
    status: PlacementStatus = PlacementStatus.PLANNED
    end_date: date | None = None
    subsidised_start: date | None = None
    subsidised_end: date | None = None
    inactive_spans: list[InactiveSpan] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.planned_due_date < self.start_date:
            raise RuleViolation("planned_due_date", "the planned due date is before the start date")
        self.minimum_wage = check_wages(self.start_date, self.hourly_wage, self.subsidised_wage)

    def _record(self, actor: Actor, at: datetime, inactive: date | None = None, returned: date | None = None) -> None:
        self.history.append(
            StatusChange(self.status, self.start_date, inactive, returned, self.subsidised_start, self.subsidised_end, at, actor.name)
        )

    def start(self, on: date, actor: Actor, at: datetime, others: Sequence["Placement"] = ()) -> None:
        """Started (Open): the start date begins the subsidised days and the follow-ups."""
        if self.status is not PlacementStatus.PLANNED:
            raise Conflict("status", f"the placement is {self.status.value}, not {PlacementStatus.PLANNED.value}")
        if on > self.planned_due_date:
            raise RuleViolation("start_date", "the start date is after the planned due date")
        minimum_wage = check_wages(on, self.hourly_wage, self.subsidised_wage)
        earlier = self.start_date, self.subsidised_start
        self.start_date, self.subsidised_start = on, on
        try:
            check_subsidy_limit(self, others, "start_date")
        except RuleViolation:
            self.start_date, self.subsidised_start = earlier
            raise
        self.status, self.minimum_wage = PlacementStatus.STARTED, minimum_wage
        self.follow_ups = [FollowUp(days, due) for days, due in zip(FOLLOW_UP_DAYS, follow_up_due_dates(on), strict=True)]
        self._record(actor, at)

    def go_inactive(self, on: date, actor: Actor, at: datetime) -> None:
        self._check_open("inactive_date", on)
        if self.inactive_spans and self.inactive_spans[-1].return_date is None:
            raise Conflict("inactive_date", "the placement is already inactive")
        if self.inactive_spans and on < self.inactive_spans[-1].return_date:
            raise RuleViolation("inactive_date", "the inactive date is before the last return date")
        self.inactive_spans.append(InactiveSpan(on))
        self._record(actor, at, inactive=on)

    def come_back(self, on: date, actor: Actor, at: datetime) -> None:
        self._check_open("return_date", on)
        if not self.inactive_spans or self.inactive_spans[-1].return_date is not None:
            raise Conflict("return_date", "the placement is not inactive")
        span = self.inactive_spans[-1]
        if on <= span.inactive_date:
            raise RuleViolation("return_date", "the return date must be after the inactive date")
        span.return_date = on
        self._record(actor, at, inactive=span.inactive_date, returned=on)

    def complete(self, successful: bool, on: date, actor: Actor, at: datetime) -> None:
        """Successful or Unsuccessful Completion: ends the subsidised days on `on`."""
        self._check_open("end_date", on)
        self.status = PlacementStatus.SUCCESSFUL if successful else PlacementStatus.UNSUCCESSFUL
        self.end_date = self.subsidised_end = on
        self._record(actor, at)

    def change_planned_due_date(self, planned_due: date, others: Sequence["Placement"] = ()) -> None:
        if planned_due < self.start_date:
            raise RuleViolation("planned_due_date", "the planned due date is before the start date")
        earlier, self.planned_due_date = self.planned_due_date, planned_due
        try:
            check_subsidy_limit(self, others, "planned_due_date")
        except RuleViolation:
            self.planned_due_date = earlier
            raise

    def _check_open(self, field_name: str, on: date) -> None:
        if self.status is not PlacementStatus.STARTED:
            raise Conflict("status", f"the placement is {self.status.value}, not {PlacementStatus.STARTED.value}")
        if on < self.start_date:
            raise RuleViolation(field_name, "the date is before the placement's start date")

    def subsidised_days(self, as_of: date, year: int | None = None) -> int:
        """Subsidised days up to `as_of` (or the completion), within `year` if given."""
        if self.subsidised_start is None:
            return 0
        last = min(as_of, self.subsidised_end) if self.subsidised_end else as_of
        return _counted_days(self.subsidised_start, last, self.inactive_spans, year)

    def projected_subsidised_days(self, year: int) -> int:
        """Subsidised days in `year` once the placement runs to its subsidised end, end or planned due date."""
        if self.subsidised_start is None:
            return 0
        last = self.subsidised_end or self.end_date or self.planned_due_date
        return _counted_days(self.subsidised_start, last, self.inactive_spans, year)

    def verify_follow_up(self, days: int, on: date, actor: Actor) -> FollowUp:
        if not actor.staff:
            raise Forbidden("follow_up", "only staff verify a follow-up")
        follow_up = next((f for f in self.follow_ups if f.days == days), None)
        if follow_up is None:
            raise RuleViolation("follow_up", f"no {days}-day follow-up: the placement has not started, or follow-ups are at {', '.join(map(str, FOLLOW_UP_DAYS))} days")
        if on < follow_up.due:
            raise RuleViolation("follow_up", f"the {days}-day follow-up is not reached until {follow_up.due.isoformat()}")
        if follow_up.verified_on is not None:
            raise Conflict("follow_up", f"the {days}-day follow-up was verified on {follow_up.verified_on.isoformat()}")
        follow_up.verified_by, follow_up.verified_on = actor.name, on
        return follow_up


def _counted_days(first: date, last: date, inactive_spans: list[InactiveSpan], year: int | None) -> int:
    if year is not None:
        first, last = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
    days = (last - first).days + 1
    if days <= 0:
        return 0
    for span in inactive_spans:
        # inactive from the inactive date through the day before the return (still inactive: through `last`)
        gap_first = max(first, span.inactive_date)
        gap_last = min(last, span.return_date - timedelta(days=1) if span.return_date else last)
        days -= max(0, (gap_last - gap_first).days + 1)
    return days


def total_subsidised_days(placements: list[Placement], as_of: date) -> int:
    """Days in subsidised employment across all the customer's placements (35 + 13 = 48)."""
    return sum(placement.subsidised_days(as_of) for placement in placements)


def subsidised_days_remaining(placements: list[Placement], year: int) -> int:
    used = sum(placement.projected_subsidised_days(year) for placement in placements)
    return max(0, SUBSIDISED_DAYS_PER_YEAR - used)


def check_subsidy_limit(placement: Placement, others: Sequence[Placement], field_name: str) -> None:
    """Refuse a change after which the customer's placements would pass 183 subsidised days in a calendar
    year, naming the days that remain."""
    if placement.subsidised_start is None:
        return
    last = placement.subsidised_end or placement.end_date or placement.planned_due_date
    for year in range(placement.subsidised_start.year, last.year + 1):
        used_elsewhere = sum(other.projected_subsidised_days(year) for other in others if other is not placement)
        wanted = placement.projected_subsidised_days(year)
        if used_elsewhere + wanted > SUBSIDISED_DAYS_PER_YEAR:
            remaining = max(0, SUBSIDISED_DAYS_PER_YEAR - used_elsewhere)
            raise RuleViolation(
                field_name,
                f"subsidised wages are limited to {SUBSIDISED_DAYS_PER_YEAR} days (6 months) in calendar year {year}; "
                f"{remaining} days remain and this placement would use {wanted}",
            )
