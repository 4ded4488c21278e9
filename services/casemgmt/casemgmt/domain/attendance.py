"""Attendance on an activity (DOMAIN.md §4): weeks Sunday to Saturday over the activity's span; per day
check-in, lunch start and end, check-out → hours; `Save` keeps a week unverified, `Submit and Verify`
(staff only) verifies it with who and when; staff re-open a verified week with a reason kept in history.
A customer may enter their own attendance when the activity has a service provider, never verify it."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from isets_kit.errors import Conflict, DomainError, Forbidden, RuleViolation
from casemgmt.domain.activities import Activity

CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Actor:
    """Who enters or verifies: staff, or the customer entering their own attendance."""

    name: str
    staff: bool


@dataclass(frozen=True)
class AttendanceDay:
    day: date
    check_in: time
    check_out: time
    lunch_start: time | None = None
    lunch_end: time | None = None

    def check(self) -> None:
        on = self.day.isoformat()
        if self.check_out <= self.check_in:
            raise RuleViolation("check_out", f"check-out on {on} must be after check-in")
        if (self.lunch_start is None) != (self.lunch_end is None):
            missing = "lunch_end" if self.lunch_end is None else "lunch_start"
            raise RuleViolation(missing, f"lunch on {on} needs both a start and an end")
        if self.lunch_start is not None and self.lunch_end is not None:
            if self.lunch_end <= self.lunch_start:
                raise RuleViolation("lunch_end", f"lunch end on {on} must be after lunch start")
            if self.lunch_start < self.check_in or self.lunch_end > self.check_out:
                raise RuleViolation("lunch_start", f"lunch on {on} must lie between check-in and check-out")

    @property
    def hours(self) -> Decimal:
        minutes = _minutes(self.check_out) - _minutes(self.check_in)
        if self.lunch_start is not None and self.lunch_end is not None:
            minutes -= _minutes(self.lunch_end) - _minutes(self.lunch_start)
        return (Decimal(minutes) / 60).quantize(CENTS, ROUND_HALF_UP)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def week_start(day: date) -> date:
    """The Sunday of the week holding `day`."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def weeks_of_span(start: date, planned_end: date) -> list[date]:
    """The Sundays of every week the activity's span touches, first to last."""
    if planned_end < start:
        raise RuleViolation("planned_end", "the planned end date is before the start date")
    first, last = week_start(start), week_start(planned_end)
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def hours_by_month(days: Iterable[AttendanceDay]) -> dict[tuple[int, int], Decimal]:
    """Hours per (year, month): a week spanning a month end is split by the month of each day."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for day in days:
        totals[(day.day.year, day.day.month)] += day.hours
    return dict(totals)


def check_takes_attendance(activity: Activity) -> None:
    if activity.planned_start is None or activity.planned_completion is None:
        raise Conflict("activity_id", "attendance is kept on an activity with start and planned end dates")


def check_open_for_attendance(activity: Activity) -> None:
    check_takes_attendance(activity)
    if not activity.open:
        raise Conflict("activity_id", "attendance is entered on an activity that is Started/Open")


def check_self_entry_allowed(has_service_provider: bool) -> None:
    if not has_service_provider:
        raise Forbidden("service_provider", "a customer may enter their own attendance only on an activity with a service provider")


class WeekState(StrEnum):
    SAVED = "Saved"
    VERIFIED = "Verified"


class WeekAction(StrEnum):
    SAVED = "Saved"
    VERIFIED = "Verified"
    REOPENED = "Re-opened"


@dataclass(frozen=True)
class WeekChange:
    action: WeekAction
    by: str
    at: datetime
    reason: str | None = None


@dataclass
class AttendanceWeek:
    """One activity's attendance for one Sunday-to-Saturday week, inside the activity's span."""

    first_day: date
    activity_start: date
    activity_planned_end: date
    days: dict[date, AttendanceDay] = field(default_factory=dict)
    state: WeekState = WeekState.SAVED
    verified_by: str | None = None
    verified_at: datetime | None = None
    history: list[WeekChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.first_day != week_start(self.first_day):
            raise RuleViolation("week", f"a week starts on a Sunday; {self.first_day.isoformat()} is not one")

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=6)

    @property
    def total_hours(self) -> Decimal:
        return sum((day.hours for day in self.days.values()), Decimal("0.00"))

    @property
    def verified(self) -> bool:
        return self.state is WeekState.VERIFIED

    def enter(self, days: Iterable[AttendanceDay], actor: Actor, at: datetime, *, verify: bool = False) -> None:
        """Save the given days (replacing those entered before); `verify` is Submit and Verify. All days are
        checked before any is kept."""
        if verify and not actor.staff:
            raise Forbidden("verify", "only staff verify attendance; a customer's own entry stays unverified")
        if self.verified:
            raise Conflict("week", f"the week of {self.first_day.isoformat()} is verified; staff re-open it to change it")
        entered: dict[date, AttendanceDay] = {}
        for day in days:
            day.check()
            if not self.first_day <= day.day <= self.last_day:
                raise RuleViolation("day", f"{day.day.isoformat()} is not in the week of {self.first_day.isoformat()}")
            if not self.activity_start <= day.day <= self.activity_planned_end:
                raise RuleViolation("day", f"{day.day.isoformat()} is outside the activity's start and planned end dates")
            if day.day in entered:
                raise RuleViolation("day", f"{day.day.isoformat()} is entered twice")
            entered[day.day] = day
        self.days.update(entered)
        self.history.append(WeekChange(WeekAction.SAVED, actor.name, at))
        if verify:
            self.verify(actor, at)

    def verify(self, actor: Actor, at: datetime) -> None:
        if not actor.staff:
            raise Forbidden("verify", "only staff verify attendance; a customer's own entry stays unverified")
        if self.verified:
            raise Conflict("week", f"the week of {self.first_day.isoformat()} is already verified")
        self.state, self.verified_by, self.verified_at = WeekState.VERIFIED, actor.name, at
        self.history.append(WeekChange(WeekAction.VERIFIED, actor.name, at))

    def reopen(self, actor: Actor, at: datetime, reason: str) -> None:
        if not actor.staff:
            raise Forbidden("reopen", "only staff re-open a verified week")
        if not self.verified:
            raise Conflict("week", f"the week of {self.first_day.isoformat()} is not verified")
        if not reason.strip():
            raise RuleViolation("reason", "re-opening a verified week needs a reason")
        self.state, self.verified_by, self.verified_at = WeekState.SAVED, None, None
        self.history.append(WeekChange(WeekAction.REOPENED, actor.name, at, reason.strip()))


def hours_attended_and_verified(weeks: Iterable[AttendanceWeek]) -> tuple[Decimal, Decimal]:
    """An activity's hours attended (every entered day) and hours verified (days of verified weeks)."""
    attended = verified = Decimal("0.00")
    for week in weeks:
        attended += week.total_hours
        if week.verified:
            verified += week.total_hours
    return attended, verified


@dataclass(frozen=True)
class RowOutcome:
    """One customer's row of a group week: saved, or refused with the field and rule."""

    customer_id: str
    saved: bool
    field: str | None = None
    rule: str | None = None


def enter_group_week(
    weeks: Mapping[str, AttendanceWeek],
    rows: Mapping[str, Iterable[AttendanceDay]],
    actor: Actor,
    at: datetime,
    *,
    verify: bool = False,
) -> list[RowOutcome]:
    """One week for a cohort: each customer's row is checked and saved on its own, so one bad row is
    reported and never loses the others."""
    outcomes = []
    for customer_id, days in rows.items():
        week = weeks.get(customer_id)
        try:
            if week is None:
                raise RuleViolation("customer_id", f"customer {customer_id} is not on this activity")
            week.enter(list(days), actor, at, verify=verify)
        except DomainError as refused:
            outcomes.append(RowOutcome(customer_id, False, refused.field, refused.rule))
        else:
            outcomes.append(RowOutcome(customer_id, True))
    return outcomes
