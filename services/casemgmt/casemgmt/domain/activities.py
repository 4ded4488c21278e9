"""A customer's activities and services (DOMAIN.md §4): what may be added, started, completed and deleted.

Pure rules over plain records: the service layer loads the customer's activities, asks these functions,
and writes what they return."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from isets_contracts.reference import ACTIVITY_CATALOGUE, ActivityCode, ActivityKind, ActivityStatus
from isets_kit.errors import Conflict, RuleViolation

COMPLETED = frozenset({ActivityStatus.SUCCESSFUL, ActivityStatus.UNSUCCESSFUL})
# Statuses an activity reaches only by having started.
STARTED_OR_LATER = COMPLETED | {ActivityStatus.STARTED}
# Kinds offered everywhere; the others only where the location's contract offers them.
ALWAYS_OFFERED = frozenset({ActivityKind.SUPPORT_SERVICE, ActivityKind.REFERRAL_TO_SERVICE})
# Kinds that need a SNAP E&T activity Started/Open to be added or started.
NEED_OPEN_SNAP_ET = frozenset({ActivityKind.SUPPORT_SERVICE, ActivityKind.OTHER_ET})
# Employment of at least this many hours a week is Job Retention, below it Employment.
JOB_RETENTION_WEEKLY_HOURS = Decimal(20)


class ServiceProvider(StrEnum):
    GRANTEE = "Grantee"
    WIOA_PROVIDER = "WIOA provider"
    OTHER = "Other provider"


@dataclass
class Activity:
    id: str
    customer_id: str
    code: ActivityCode
    location: str
    status: ActivityStatus = ActivityStatus.PLANNED
    goal_id: str | None = None
    planned_start: date | None = None
    planned_completion: date | None = None
    actual_completion: date | None = None
    weekly_hours: Decimal = Decimal(0)
    notes: str = ""
    barriers_addressed: list[str] = field(default_factory=list)
    service_provider: ServiceProvider = ServiceProvider.GRANTEE
    provider_name: str | None = None
    provider_address: str | None = None
    ever_started: bool = False
    updated_by: str = ""
    updated_at: datetime | None = None

    @property
    def kind(self) -> ActivityKind:
        return ACTIVITY_CATALOGUE[self.code].kind

    @property
    def name(self) -> str:
        return ACTIVITY_CATALOGUE[self.code].name

    @property
    def worksite_based(self) -> bool:
        return ACTIVITY_CATALOGUE[self.code].worksite_based

    @property
    def wioa_funded(self) -> bool:
        return False  # never, in SNAP E&T

    @property
    def open(self) -> bool:
        return self.status is ActivityStatus.STARTED


def has_open_snap_et(activities: list[Activity]) -> bool:
    return any(a.kind is ActivityKind.SNAP_ET and a.open for a in activities)


def why_not_addable(code: ActivityCode, offered: set[ActivityCode], others: list[Activity]) -> str | None:
    """Why `code` cannot be added to this customer's plan now (None: it can)."""
    kind = ACTIVITY_CATALOGUE[code].kind
    if kind not in ALWAYS_OFFERED and code not in offered:
        return f"{code.value} is not offered by the location's E&T program contract"
    if kind in NEED_OPEN_SNAP_ET and not has_open_snap_et(others):
        return f"a {kind.value} needs a SNAP E&T activity Started/Open first"
    return None


def check_addable(code: ActivityCode, offered: set[ActivityCode], others: list[Activity]) -> None:
    reason = why_not_addable(code, offered, others)
    if reason is not None:
        raise RuleViolation("activity_code", reason)


def check_activity(activity: Activity, others: list[Activity], before: Activity | None) -> Activity:
    """The activity as it may be saved (after `before`, None when new), or the broken rule.

    `others`: the customer's other activities as they are now."""
    if activity.status is ActivityStatus.EVALUATED_NOT_REQUIRED:
        # Evaluated/Not Required: no time is spent on it.
        activity = replace(activity, planned_start=activity.planned_completion, weekly_hours=Decimal(0))
    if activity.service_provider is ServiceProvider.OTHER and not (activity.provider_name and activity.provider_address):
        raise RuleViolation("provider_name", "an other provider needs a name and an address")
    if activity.service_provider is not ServiceProvider.OTHER:
        activity = replace(activity, provider_name=None, provider_address=None)
    if (
        activity.planned_start is not None
        and activity.planned_completion is not None
        and activity.planned_completion < activity.planned_start
    ):
        raise RuleViolation("planned_completion", "is before the planned start")
    if before is not None and before.status in COMPLETED:
        if activity.status not in COMPLETED:
            raise Conflict("status", "a completed activity stays completed (it keeps its dates)")
        for name in ("planned_start", "planned_completion", "actual_completion"):
            if getattr(activity, name) != getattr(before, name):
                raise Conflict(name, "a completed activity keeps its dates")
    if before is not None and before.ever_started and activity.status is ActivityStatus.PLANNED:
        raise Conflict("status", "an activity that started cannot go back to Planned/Not Started")
    if activity.actual_completion is not None and activity.planned_start is not None and activity.actual_completion < activity.planned_start:
        raise RuleViolation("actual_completion", "is before the activity's start")
    starting = activity.status in STARTED_OR_LATER and (before is None or before.status not in STARTED_OR_LATER)
    if activity.status in STARTED_OR_LATER and activity.goal_id is None:
        raise RuleViolation("goal_id", "an activity needs a goal before it can start")
    if activity.status is ActivityStatus.STARTED and (before is None or not before.open):
        if activity.kind in NEED_OPEN_SNAP_ET and not has_open_snap_et(others):
            raise RuleViolation("status", f"a {activity.kind.value} can start only while a SNAP E&T activity is Started/Open")
        if activity.kind is ActivityKind.SUPPORT_SERVICE and any(o.code is activity.code and o.open for o in others):
            raise Conflict("activity_code", f"a {activity.name} support service is already open")
    if activity.status in COMPLETED and activity.actual_completion is None:
        raise RuleViolation("actual_completion", "required when the activity is completed")
    if activity.status not in COMPLETED:
        activity = replace(activity, actual_completion=None)
    return replace(activity, ever_started=activity.ever_started or starting)


def check_deletable(activity: Activity) -> None:
    if activity.ever_started:
        raise Conflict("activity_id", "only an activity that never started can be deleted")


def employment_activity_code(weekly_hours: Decimal) -> ActivityCode:
    """The activity recorded employment becomes: Job Retention at 20 hours a week or more, else Employment."""
    return ActivityCode.JOB_RETENTION if weekly_hours >= JOB_RETENTION_WEEKLY_HOURS else ActivityCode.EMPLOYMENT
