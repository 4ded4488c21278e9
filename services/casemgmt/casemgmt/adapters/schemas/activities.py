"""Bodies of a customer's activities and services."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from isets_contracts.reference import ActivityCode, ActivityKind, ActivityStatus
from isets_kit.http import RequestBody
from isets_kit.text import free_text, plain_text
from casemgmt.domain.activities import ServiceProvider
from casemgmt.adapters.schemas.common import Day

WeeklyHours = Annotated[Decimal, Field(ge=0, le=168, max_digits=5, decimal_places=2)]
Barriers = Annotated[list[plain_text(max_length=200)], Field(max_length=20)]
Notes = free_text(max_length=4000, min_length=0)
Id = plain_text(max_length=40)


class ActivityFields(RequestBody):
    goal_id: Id | None = Field(None, description="required before the activity can start")
    planned_start: Day | None = None
    planned_completion: Day | None = None
    actual_completion: Day | None = Field(None, description="required when the activity is completed")
    weekly_hours: WeeklyHours = Decimal(0)
    notes: Notes = ""
    barriers_addressed: Barriers = []
    service_provider: ServiceProvider = ServiceProvider.GRANTEE
    provider_name: plain_text(max_length=200) | None = Field(None, description="for an other provider")
    provider_address: plain_text(max_length=400) | None = Field(None, description="for an other provider")


class ActivityIn(ActivityFields):
    activity_code: ActivityCode
    status: ActivityStatus = ActivityStatus.PLANNED
    location: plain_text(max_length=40) | None = Field(None, description="which of the customer's locations (default: the oldest enrolment)")
    effective_date: Day | None = Field(None, description="of the status (default today)")


class ActivityChange(RequestBody):
    """Only the fields sent change."""

    status: ActivityStatus | None = None
    effective_date: Day | None = Field(None, description="of a status change (default today)")
    goal_id: Id | None = None
    planned_start: Day | None = None
    planned_completion: Day | None = None
    actual_completion: Day | None = None
    weekly_hours: WeeklyHours | None = None
    notes: Notes | None = None
    barriers_addressed: Barriers | None = None
    service_provider: ServiceProvider | None = None
    provider_name: plain_text(max_length=200) | None = None
    provider_address: plain_text(max_length=400) | None = None

    def changes(self) -> dict:
        """The fields sent; null clears only what may be empty."""
        sent = self.model_dump(exclude_unset=True, exclude={"effective_date"})
        return {name: value for name, value in sent.items() if value is not None or name in _CLEARABLE}


_CLEARABLE = {"goal_id", "planned_start", "planned_completion", "actual_completion", "provider_name", "provider_address"}


class StatusHistoryEntry(BaseModel):
    status: ActivityStatus
    effective_date: date
    changed_by: str
    changed_at: datetime


class ActivityOut(BaseModel):
    id: str
    code: ActivityCode
    name: str
    kind: ActivityKind
    location: str
    status: ActivityStatus
    goal_id: str | None
    planned_start: date | None
    planned_completion: date | None
    actual_completion: date | None
    weekly_hours: Decimal
    wioa_funded: bool
    worksite_based: bool
    notes: str
    barriers_addressed: list[str]
    service_provider: ServiceProvider
    provider_name: str | None
    provider_address: str | None
    status_history: list[StatusHistoryEntry] = []
    updated_by: str
    updated_at: datetime


class ActivityOption(BaseModel):
    code: ActivityCode
    name: str
    kind: ActivityKind
    location: str
    addable: bool
    why_not: str | None
