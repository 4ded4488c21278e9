"""Bodies of attendance: a week's days, Submit and Verify, re-open, group attendance; and the month sheets."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from isets_contracts.reference import ActivityCode, ActivityStatus
from isets_kit.http import RequestBody
from isets_kit.text import free_text, plain_text
from casemgmt.domain.attendance import AttendanceDay, WeekAction, WeekState
from casemgmt.adapters.schemas.common import Day

CustomerRef = plain_text(max_length=64)


def _wall_clock(moment: time) -> time:
    if moment.tzinfo is not None or moment.second or moment.microsecond:
        raise ValueError("a time of day as HH:MM, without seconds or an offset")
    return moment


# The times a sheet shows, in the activity's local day: no offsets, whole minutes.
ClockTime = Annotated[time, AfterValidator(_wall_clock)]


class DayIn(RequestBody):
    day: Day
    check_in: ClockTime
    lunch_start: ClockTime | None = None
    lunch_end: ClockTime | None = None
    check_out: ClockTime

    def entry(self) -> AttendanceDay:
        return AttendanceDay(self.day, self.check_in, self.check_out, self.lunch_start, self.lunch_end)


Days = Annotated[list[DayIn], Field(max_length=7)]


class WeekIn(RequestBody):
    days: Days


class ReopenIn(RequestBody):
    reason: free_text(max_length=400)


class CohortRowIn(RequestBody):
    customer_id: CustomerRef
    days: Days


def _one_row_per_customer(rows: list[CohortRowIn]) -> list[CohortRowIn]:
    customers = [row.customer_id for row in rows]
    if len(set(customers)) != len(customers):
        raise ValueError("each customer has one row")
    return rows


class CohortWeekIn(RequestBody):
    rows: Annotated[list[CohortRowIn], Field(min_length=1, max_length=500), AfterValidator(_one_row_per_customer)]
    verify: bool = Field(False, description="Submit and Verify every row that saves")


class DayOut(BaseModel):
    day: date
    check_in: time
    lunch_start: time | None
    lunch_end: time | None
    check_out: time
    hours: Decimal


class WeekChangeOut(BaseModel):
    action: WeekAction
    by: str
    at: datetime
    reason: str | None


class WeekOut(BaseModel):
    week_start: date
    week_end: date
    state: WeekState | None = Field(description="null: nothing entered yet")
    total_hours: Decimal
    verified_by: str | None
    verified_at: datetime | None
    days: list[DayOut]
    history: list[WeekChangeOut]


class ActivityAttendance(BaseModel):
    activity_id: str
    activity_code: ActivityCode
    activity_name: str
    status: ActivityStatus
    planned_start: date
    planned_completion: date
    hours_attended: Decimal
    hours_verified: Decimal
    weeks: list[WeekOut]


class Cohort(BaseModel):
    location: str
    activity_code: ActivityCode
    activity_name: str
    customers: int


class CohortMember(BaseModel):
    customer_id: str
    first_name: str
    last_name: str
    activity_id: str
    planned_start: date
    planned_completion: date
    week: WeekOut


class RowOutcomeOut(BaseModel):
    customer_id: str
    saved: bool
    field: str | None
    rule: str | None


class EarnfareMonthSheetOut(BaseModel):
    customer_id: str
    month: str
    benefit_amount: Decimal | None = Field(description="the Earnfare benefit in effect by the month's end (null: none known)")
    benefit_effective_date: date | None
    community_workfare_hours: Decimal = Field(description="from verified CW attendance")
    community_workfare_target: int = Field(description="the monthly benefit hours")
    transitional_job_hours: Decimal = Field(description="from verified TJ attendance")
    transitional_job_target: Decimal
    total_hours: Decimal
    work_off_hours: Decimal
    stipend_hours: Decimal
    minimum_wage: Decimal
    stipend_issued: Decimal
    subsidised_days_used: int
    subsidised_days_remaining: int
    subsidised_limit_reached: bool


class AbawdMonthOut(BaseModel):
    month: str
    attendance_hours: Decimal = Field(description="verified attendance on SNAP E&T activities")
    employment_hours: Decimal = Field(description="weekly hours × days employed in the month / 7")
    total_hours: Decimal
    met: bool = Field(description="80 hours or more")
    hours_short: Decimal
    days_left: int = Field(description="days of the month still to come, today included")


class AbawdAtRisk(AbawdMonthOut):
    customer_id: str
    first_name: str
    last_name: str
