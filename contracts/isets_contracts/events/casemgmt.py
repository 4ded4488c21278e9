"""Events casemgmt produces. casemgmt owns this module: it changes only compatibly (schemas.py)."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, Field, StringConstraints

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.events.fields import CustomerId, LocationId, Name, RecordId, WeeklyHours
from isets_contracts.reference import (
    ActivityCode,
    ActivityKind,
    ActivityStatus,
    AssessmentType,
    GoalCategory,
    GoalStatus,
    GoalTerm,
    PlanAgreement,
    ProgramOffering,
)

_County = Annotated[str, StringConstraints(min_length=1, max_length=100)]
_GoalStatement = Annotated[str, StringConstraints(min_length=1, max_length=144)]
_ContractNumber = Annotated[str, StringConstraints(min_length=1, max_length=40)]
_FiscalYear = Annotated[int, Field(ge=2000, le=2100)]
_Score = Annotated[Decimal, Field(ge=0, le=1000, max_digits=7, decimal_places=2)]
_FunctioningLevel = Annotated[int, Field(ge=1, le=6)]


@event("casemgmt.activity.status_changed", topics.CASEMGMT)
class ActivityStatusChanged(Event):
    customer_id: CustomerId
    activity_id: RecordId
    activity_code: ActivityCode
    activity_name: Name
    kind: ActivityKind
    location: LocationId
    status: ActivityStatus
    effective_date: date
    start_date: date | None = None
    completion_date: date | None = None
    worksite_based: bool = False
    removed: bool = False


@event("casemgmt.provider.changed", topics.CASEMGMT)
class ProviderChanged(Event):
    """A provider (grantee) was registered or renamed."""

    provider_id: RecordId
    name: Name


@event("casemgmt.location.changed", topics.CASEMGMT)
class LocationChanged(Event):
    """A provider's location was opened, changed or closed (`open` false: no new referrals to it)."""

    location_id: LocationId
    provider_id: RecordId
    name: Name
    county: _County
    open: bool = True


@event("casemgmt.program_contract.changed", topics.CASEMGMT)
class ProgramContractChanged(Event):
    """An E&T program contract of a location: which activities the location may add to plans."""

    contract_id: RecordId
    contract_number: _ContractNumber
    fiscal_year: _FiscalYear
    provider_id: RecordId
    location_id: LocationId
    program_name: Name
    offering: ProgramOffering
    activities_offered: list[ActivityCode]
    removed: bool = False


@event("casemgmt.goal.changed", topics.CASEMGMT)
class GoalChanged(Event):
    customer_id: CustomerId
    goal_id: RecordId
    statement: _GoalStatement
    category: GoalCategory
    term: GoalTerm
    status: GoalStatus
    effective_date: date
    removed: bool = False


@event("casemgmt.plan_agreement.changed", topics.CASEMGMT)
class PlanAgreementChanged(Event):
    customer_id: CustomerId
    agreement: PlanAgreement
    effective_date: date
    reason: Name


@event("casemgmt.assessment.recorded", topics.CASEMGMT)
class AssessmentRecorded(Event):
    """An assessment's result. Initial universal and needs assessments set intake's assessment dates;
    TABE results carry the educational functioning level outcomes measures gains with."""

    customer_id: CustomerId
    assessment_id: RecordId
    assessment: AssessmentType
    name: Name
    taken_on: date
    subject: Name | None = None
    score: _Score | None = None
    educational_functioning_level: _FunctioningLevel | None = None


# --- attendance ---------------------------------------------------------------------------------
@event("casemgmt.attendance.verified", topics.CASEMGMT)
class AttendanceVerified(Event):
    """A week of attendance on an activity was verified (Submit and Verify), or re-opened.

    The latest event of an (activity_id, week_start) is that week's verified hours: consumers replace the
    week, never add to it. A re-opened week (`reopened` true) carries zero hours for each day it had, until
    staff verify it again; `verified_by`/`verified_at` then name who re-opened it and when."""

    customer_id: CustomerId
    activity_id: RecordId
    activity_code: ActivityCode
    kind: ActivityKind
    location: LocationId
    week_start: date  # a Sunday
    hours_by_day: dict[date, WeeklyHours]
    verified_by: Name
    verified_at: AwareDatetime
    reopened: bool = False
