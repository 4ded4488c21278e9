"""Month sheets from verified attendance: the Earnfare month sheet, the ABAWD 80-hour tracker of a customer
and the caseworker's worklist of customers under 80 hours. A week spanning a month end counts each day in
its own month; only verified weeks count."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, select

from isets_contracts.reference import ACTIVITY_CATALOGUE, ActivityCode, ActivityKind
from isets_kit.auth import Principal
from casemgmt import policy
from casemgmt.adapters.orm import activities, assignments, attendance_days, attendance_weeks, customers, earnfare_benefits, employments
from casemgmt.domain.abawd import AbawdMonth, Employment, abawd_month, month_bounds
from casemgmt.domain.attendance import AttendanceDay, WeekState
from casemgmt.domain.earnfare import month_sheet
from casemgmt.service_layer.placements import stored_placements
from casemgmt.clock import today

SNAP_ET_CODES = [code for code, entry in ACTIVITY_CATALOGUE.items() if entry.kind is ActivityKind.SNAP_ET]
EARNFARE_CODES = [ActivityCode.COMMUNITY_WORKFARE, ActivityCode.TRANSITIONAL_JOB]


def verified_hours(
    connection: Connection, who, first: date, last: date, codes: list[ActivityCode]
) -> dict[tuple[str, ActivityCode], Decimal]:
    """Hours of verified days from `first` to `last` on activities of `codes`, per customer (of `who`: ids,
    or a query of them) and code."""
    query = (
        select(attendance_days, activities.c.code)
        .join(
            attendance_weeks,
            (attendance_weeks.c.activity_id == attendance_days.c.activity_id) & (attendance_weeks.c.week_start == attendance_days.c.week_start),
        )
        .join(activities, activities.c.id == attendance_days.c.activity_id)
        .where(
            attendance_weeks.c.state == WeekState.VERIFIED, attendance_days.c.day.between(first, last), activities.c.code.in_(codes)
        )
    )
    query = query.where(attendance_days.c.customer_id.in_(who))
    totals: dict[tuple[str, ActivityCode], Decimal] = defaultdict(Decimal)
    for row in connection.execute(query):
        day = AttendanceDay(row.day, row.check_in, row.check_out, row.lunch_start, row.lunch_end)
        totals[(row.customer_id, row.code)] += day.hours
    return totals


def parse_month(text: str) -> tuple[int, int]:
    year, month = text.split("-")
    return int(year), int(month)


def _month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


# --- the Earnfare month sheet ----------------------------------------------------------------------
def earnfare_month_sheet(connection: Connection, principal: Principal, customer_id: str, year: int, month: int) -> dict:
    first, last = month_bounds(year, month)
    policy.check_customer_seen(connection, principal, customer_id)
    hours = verified_hours(connection, [customer_id], first, last, EARNFARE_CODES)
    benefit = connection.execute(
        select(earnfare_benefits)
        .where(earnfare_benefits.c.customer_id == customer_id, earnfare_benefits.c.effective_date <= last)
        .order_by(earnfare_benefits.c.effective_date.desc())
        .limit(1)
    ).one_or_none()
    subsidised_days = sum(p.placement.subsidised_days(last, year) for p in stored_placements(connection, [customer_id]))
    sheet = month_sheet(
        year, month,
        community_workfare_hours=hours.get((customer_id, ActivityCode.COMMUNITY_WORKFARE), Decimal("0.00")),
        transitional_job_hours=hours.get((customer_id, ActivityCode.TRANSITIONAL_JOB), Decimal("0.00")),
        monthly_benefit_hours=benefit.monthly_benefit_hours if benefit else 0,
        subsidised_days_used=subsidised_days,
    )
    return {
        "customer_id": customer_id, "month": _month_text(year, month),
        "benefit_amount": benefit.benefit_amount if benefit else None,
        "benefit_effective_date": benefit.effective_date if benefit else None,
        "community_workfare_hours": sheet.community_workfare_hours, "community_workfare_target": sheet.community_workfare_target,
        "transitional_job_hours": sheet.transitional_job_hours, "transitional_job_target": sheet.transitional_job_target,
        "total_hours": sheet.total_hours, "work_off_hours": sheet.work_off_hours, "stipend_hours": sheet.stipend_hours,
        "minimum_wage": sheet.minimum_wage, "stipend_issued": sheet.stipend_issued,
        "subsidised_days_used": sheet.subsidised_days_used, "subsidised_days_remaining": sheet.subsidised_days_remaining,
        "subsidised_limit_reached": sheet.subsidised_limit_reached,
    }


# --- the ABAWD 80-hour tracker ---------------------------------------------------------------------
def _employments(connection: Connection, who, first: date, last: date) -> dict[str, list[Employment]]:
    query = select(employments).where(employments.c.start_date <= last, (employments.c.end_date.is_(None)) | (employments.c.end_date >= first))
    query = query.where(employments.c.customer_id.in_(who))
    found: dict[str, list[Employment]] = defaultdict(list)
    for row in connection.execute(query):
        found[row.customer_id].append(Employment(row.weekly_hours, row.start_date, row.end_date))
    return found


def abawd_view(tracked: AbawdMonth, on: date) -> dict:
    return {
        "month": _month_text(tracked.year, tracked.month), "attendance_hours": tracked.attendance_hours,
        "employment_hours": tracked.employment_hours, "total_hours": tracked.total_hours, "met": tracked.met,
        "hours_short": tracked.hours_short, "days_left": tracked.days_left(on),
    }


def months_back(until: tuple[int, int], count: int) -> list[tuple[int, int]]:
    """The (year, month) of the `count` calendar months ending with `until`, oldest first."""
    index = until[0] * 12 + until[1] - 1
    return [(n // 12, n % 12 + 1) for n in range(index - count + 1, index + 1)]


def abawd_months(connection: Connection, who, year: int, month: int) -> dict[str, AbawdMonth]:
    """The month of every customer of `who` (ids, or a query of them) with hours in it."""
    first, last = month_bounds(year, month)
    hours = verified_hours(connection, who, first, last, SNAP_ET_CODES)
    attended: dict[str, Decimal] = defaultdict(Decimal)
    for (customer_id, _code), counted in hours.items():
        attended[customer_id] += counted
    worked = _employments(connection, who, first, last)
    return {
        customer_id: abawd_month(year, month, attended.get(customer_id, Decimal("0.00")), worked.get(customer_id, []))
        for customer_id in set(attended) | set(worked)
    }


def _nothing(year: int, month: int) -> AbawdMonth:
    return abawd_month(year, month, Decimal("0.00"), [])


def abawd_tracker(
    connection: Connection, principal: Principal, customer_id: str, until: tuple[int, int], months: int
) -> list[dict]:
    on = today()
    policy.check_customer_seen(connection, principal, customer_id)
    rows = []
    for year, month in months_back(until, months):
        tracked = abawd_months(connection, [customer_id], year, month).get(customer_id) or _nothing(year, month)
        rows.append(abawd_view(tracked, on))
    return rows


def abawd_at_risk(connection: Connection, principal: Principal, year: int, month: int) -> list[dict]:
    """Customers enrolled at the caller's locations under 80 hours in the month, fewest hours first."""
    policy.check_role(principal, policy.EDITORS)
    on = today()
    enrolled_in_scope = (
        select(customers.c.id)
        .where(policy.in_scope(principal, customers.c.id))
        .where(customers.c.id.in_(select(assignments.c.customer_id).where(assignments.c.exited_on.is_(None))))
    )
    tracked = abawd_months(connection, enrolled_in_scope, year, month)
    names = select(customers.c.id, customers.c.first_name, customers.c.last_name).where(customers.c.id.in_(enrolled_in_scope))
    at_risk = [
        {"customer_id": row.id, "first_name": row.first_name, "last_name": row.last_name}
        | abawd_view(tracked.get(row.id) or _nothing(year, month), on)
        for row in connection.execute(names)
    ]
    return sorted(
        (row for row in at_risk if not row["met"]),
        key=lambda r: (r["total_hours"], r["last_name"], r["first_name"], r["customer_id"]),
    )
