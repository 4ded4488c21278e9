"""Attendance on a customer's activity, group attendance for a cohort, and the month sheets built on
verified attendance: the Earnfare month sheet and the ABAWD 80-hour tracker."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from isets_contracts.reference import ActivityCode
from isets_kit.http import input_guard
from isets_kit.text import plain_text
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.common import DATE_BOUNDS
from casemgmt.adapters.schemas.attendance import (
    AbawdAtRisk,
    AbawdMonthOut,
    ActivityAttendance,
    Cohort,
    CohortMember,
    CohortWeekIn,
    EarnfareMonthSheetOut,
    ReopenIn,
    RowOutcomeOut,
    WeekIn,
    WeekOut,
)
from casemgmt.service_layer import attendance
from casemgmt.clock import today
from casemgmt.views import attendance as views
from casemgmt.views import month_sheets
from casemgmt.views.attendance import week_view

ActivityId = Annotated[str, Path(min_length=1, max_length=40)]
WeekStart = Annotated[date, Path(description="the week's Sunday", **DATE_BOUNDS)]
Location = Annotated[str, Path(min_length=1, max_length=40)]
MONTH = r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"  # year 0 has no calendar
Month = Annotated[str, Path(pattern=MONTH, description="yyyy-mm")]

plans = APIRouter(prefix="/plans", tags=["attendance"], dependencies=[input_guard])
cohorts = APIRouter(prefix="/attendance", tags=["attendance"], dependencies=[input_guard])
abawd = APIRouter(prefix="/abawd", tags=["month sheets"], dependencies=[input_guard])
ATTENDANCE = "/{customer_id}/activities/{activity_id}/attendance"


@plans.get(ATTENDANCE, response_model=ActivityAttendance)
async def activity_attendance(reads: Reads, customer_id: CustomerId, activity_id: ActivityId, principal: Caller):
    """The Sunday-to-Saturday weeks of the activity's span with totals, hours attended and verified."""
    return await reads(views.activity_attendance, principal, customer_id, activity_id)


@plans.put(ATTENDANCE + "/{week_start}", response_model=WeekOut)
async def save_week(
    uow: UnitOfWorkFactory, customer_id: CustomerId, activity_id: ActivityId, week_start: WeekStart, body: WeekIn, principal: Caller
):
    """Save a week (unverified): the days sent replace those entered before. A customer may save their own."""
    week = await attendance.save_week(uow, principal, customer_id, activity_id, week_start, [d.entry() for d in body.days])
    return week_view(week_start, week, [])


@plans.post(ATTENDANCE + "/{week_start}/verify", response_model=WeekOut)
async def verify_week(uow: UnitOfWorkFactory, customer_id: CustomerId, activity_id: ActivityId, week_start: WeekStart, principal: Caller):
    """Submit and Verify (staff only)."""
    week = await attendance.verify_week(uow, principal, customer_id, activity_id, week_start)
    return week_view(week_start, week, [])


@plans.post(ATTENDANCE + "/{week_start}/reopen", response_model=WeekOut)
async def reopen_week(
    uow: UnitOfWorkFactory, customer_id: CustomerId, activity_id: ActivityId, week_start: WeekStart, body: ReopenIn, principal: Caller
):
    """Re-open a verified week (staff only), with a reason kept in its history."""
    week = await attendance.reopen_week(uow, principal, customer_id, activity_id, week_start, body.reason)
    return week_view(week_start, week, [])


@plans.get("/{customer_id}/earnfare/{month}", response_model=EarnfareMonthSheetOut)
async def earnfare_month_sheet(reads: Reads, customer_id: CustomerId, month: Month, principal: Caller):
    """Community Workfare and Transitional Job hours from verified attendance, the stipend and the subsidised days."""
    return await reads(month_sheets.earnfare_month_sheet, principal, customer_id, *month_sheets.parse_month(month))


@plans.get("/{customer_id}/abawd", response_model=list[AbawdMonthOut])
async def abawd_tracker(
    reads: Reads, customer_id: CustomerId, principal: Caller,
    months: int = Query(6, ge=1, le=36), until: str | None = Query(None, pattern=MONTH, description="the last month (default: this month)"),
):
    """The customer's hours toward the ABAWD work requirement (80 a month), oldest month first."""
    last = month_sheets.parse_month(until) if until else (today().year, today().month)
    return await reads(month_sheets.abawd_tracker, principal, customer_id, last, months)


@cohorts.get("/cohorts", response_model=list[Cohort])
async def list_cohorts(
    reads: Reads, principal: Caller,
    location: plain_text(max_length=40) | None = None, activity_code: ActivityCode | None = None,
):
    """Customers on the same activity at one location (Started/Open, dated), for group attendance."""
    return await reads(views.cohorts, principal, location, activity_code)


@cohorts.get("/cohorts/{location}/{activity_code}/{week_start}", response_model=list[CohortMember])
async def cohort_week(reads: Reads, location: Location, activity_code: ActivityCode, week_start: WeekStart, principal: Caller):
    return await reads(views.cohort_week, principal, location, activity_code, week_start)


@cohorts.put("/cohorts/{location}/{activity_code}/{week_start}", response_model=list[RowOutcomeOut])
async def save_cohort_week(
    uow: UnitOfWorkFactory, location: Location, activity_code: ActivityCode, week_start: WeekStart, body: CohortWeekIn, principal: Caller
):
    """One week for many customers: each row is checked and saved on its own; a bad row is answered with its
    field and rule, and the others are saved."""
    rows = {row.customer_id: [d.entry() for d in row.days] for row in body.rows}
    return await attendance.save_cohort_week(uow, principal, location, activity_code, week_start, rows, body.verify)


@abawd.get("/at-risk", response_model=list[AbawdAtRisk])
async def abawd_at_risk(reads: Reads, principal: Caller, month: str | None = Query(None, pattern=MONTH)):
    """Customers enrolled at the caller's locations under 80 hours in the month (default: this month)."""
    year, number = month_sheets.parse_month(month) if month else (today().year, today().month)
    return await reads(month_sheets.abawd_at_risk, principal, year, number)
