"""Bodies of worksite placements, their follow-ups and the customer's subsidised days."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from isets_kit.http import RequestBody
from casemgmt.domain.placements import PlacementStatus, PositionType
from casemgmt.adapters.schemas.common import Day

Wage = Annotated[Decimal, Field(ge=0, le=1000, max_digits=8, decimal_places=2)]
JobId = Annotated[int, Field(ge=1, le=2_147_483_647, description="a registered job: its worksite and employer come with it")]


class PlacementIn(RequestBody):
    job_id: JobId
    position_type: PositionType
    start_date: Day
    planned_due_date: Day
    hourly_wage: Wage = Field(description="at least the state minimum wage on the start date")
    subsidised_wage: Wage = Field(description="subsidised wage or training-wage match: at most the state minimum wage on the start date")
    employer_wage_match: Wage = Field(Decimal("0.00"), description="unsubsidised wage or employer wage match")
    status: PlacementStatus = Field(PlacementStatus.PLANNED, description="Planned/Not Started, or Started (Open) on the start date")


class PlacementChange(RequestBody):
    """Only the fields sent change. `status` Started (Open) starts it on `start_date`; a completion needs
    `end_date`; `inactive_date` and later `return_date` mark a span that counts no subsidised days."""

    job_id: JobId | None = None
    position_type: PositionType | None = None
    start_date: Day | None = Field(None, description="only while Planned/Not Started")
    planned_due_date: Day | None = None
    hourly_wage: Wage | None = None
    subsidised_wage: Wage | None = None
    employer_wage_match: Wage | None = None
    status: PlacementStatus | None = None
    end_date: Day | None = Field(None, description="with a Successful or Unsuccessful Completion")
    inactive_date: Day | None = None
    return_date: Day | None = None

    def changes(self) -> dict:
        return {name: value for name, value in self.model_dump(exclude_unset=True).items() if value is not None}


class PlacementStatusChange(BaseModel):
    status: PlacementStatus
    start_date: date | None
    inactive_date: date | None
    return_date: date | None
    subsidised_start: date | None
    subsidised_end: date | None
    updated_by: str
    updated_at: datetime


class FollowUpOut(BaseModel):
    days: int = Field(description="after the start: 30, 60, 90, 180 or 270")
    due: date
    reached: bool
    verified_by: str | None
    verified_on: date | None


class PlacementOut(BaseModel):
    id: str
    customer_id: str
    activity_id: str
    job_id: int
    job_title: str
    worksite_id: int
    worksite_name: str
    worksite_address: str
    employer_id: int
    employer_name: str
    position_type: PositionType
    status: PlacementStatus
    start_date: date
    planned_due_date: date
    end_date: date | None
    hourly_wage: Decimal
    subsidised_wage: Decimal
    employer_wage_match: Decimal
    minimum_wage: Decimal = Field(description="the state minimum wage on the start date")
    subsidised_start: date | None
    subsidised_end: date | None
    subsidised_days: int = Field(description="so far, inactive spans excluded")
    inactive_since: date | None
    status_history: list[PlacementStatusChange]
    follow_ups: list[FollowUpOut]


class SubsidisedDays(BaseModel):
    year: int
    limit: int = Field(description="subsidised days allowed in a calendar year (6 months)")
    total: int = Field(description="subsidised days so far across all the customer's placements")
    this_year: int = Field(description="subsidised days so far in `year`")
    remaining: int = Field(description="days left of `year`'s limit once every placement runs to its end")


class MinimumWage(BaseModel):
    on: date
    minimum_wage: Decimal
