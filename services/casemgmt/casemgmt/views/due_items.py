"""What caseworkers have due, for the customers at their locations: placement follow-ups, plans awaiting
the customer's agreement, needs assessments, activities past their planned completion, attendance weeks
saved but not verified after they ended, and ABAWD months at risk; soonest first.

Each kind of item is one query in DUE_ITEM_QUERIES; another kind is one more query appended there."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, Connection, exists, func, select

from isets_contracts.reference import ActivityStatus, AssessmentType, PlanAgreement
from isets_kit.auth import Principal
from isets_kit.errors import Forbidden
from casemgmt import policy
from casemgmt.adapters.orm import (
    activities, activity_status_history, assessment_results, assignments, attendance_weeks, customers, jobs,
    placement_follow_ups, placements, plan_agreements,
)
from casemgmt.domain.abawd import abawd_month, month_bounds
from casemgmt.domain.attendance import WeekState
from casemgmt.clock import today
from casemgmt.views.month_sheets import SNAP_ET_CODES, abawd_months

FOLLOW_UP_NOTICE = timedelta(days=7)  # a follow-up shows as due a week before its date
# An ABAWD month under 80 hours shows in its last week: earlier, most customers are still short of it.
ABAWD_NOTICE = timedelta(days=7)
WEEK = timedelta(days=7)
NEEDS_ASSESSMENT_WITHIN = timedelta(days=30)  # of the first activity start

Scope = Callable[[ColumnElement], ColumnElement[bool]]  # a condition on a customer id column
DueItemQuery = Callable[[Connection, Scope, date], list[dict]]


def _item(kind: str, row, what: str, due: date) -> dict:
    return {"kind": kind, "customer_id": row.customer_id, "customer_name": f"{row.first_name} {row.last_name}", "what": what, "due_date": due}


def _named(*columns):
    return select(*columns, customers.c.first_name, customers.c.last_name)


def follow_ups_due(connection: Connection, scope: Scope, on: date) -> list[dict]:
    rows = connection.execute(
        _named(placements.c.customer_id, placement_follow_ups.c.days, placement_follow_ups.c.due, jobs.c.title)
        .join(placements, placement_follow_ups.c.placement_id == placements.c.id)
        .join(jobs, placements.c.job_id == jobs.c.id)
        .join(customers, placements.c.customer_id == customers.c.id)
        .where(placement_follow_ups.c.verified_on.is_(None), placement_follow_ups.c.due <= on + FOLLOW_UP_NOTICE, scope(placements.c.customer_id))
    )
    return [_item("placement follow-up", row, f"{row.days}-day follow-up of the placement as {row.title}", row.due) for row in rows]


def agreements_pending(connection: Connection, scope: Scope, on: date) -> list[dict]:
    rows = connection.execute(
        _named(plan_agreements.c.customer_id, plan_agreements.c.updated_at)
        .join(customers, plan_agreements.c.customer_id == customers.c.id)
        .where(plan_agreements.c.agreement == PlanAgreement.PENDING, scope(plan_agreements.c.customer_id))
    )
    return [_item("plan agreement", row, "the plan awaits the customer's agreement", row.updated_at.date()) for row in rows]


def needs_assessments_due(connection: Connection, scope: Scope, on: date) -> list[dict]:
    """Customers with an activity started and no needs assessment result: due 30 days after the first start."""
    first_start = func.min(activity_status_history.c.effective_date).label("first_start")
    rows = connection.execute(
        _named(activities.c.customer_id, first_start)
        .join(activity_status_history, activity_status_history.c.activity_id == activities.c.id)
        .join(customers, activities.c.customer_id == customers.c.id)
        .where(
            activity_status_history.c.status == ActivityStatus.STARTED,
            ~exists().where(assessment_results.c.customer_id == activities.c.customer_id, assessment_results.c.assessment == AssessmentType.NEEDS),
            scope(activities.c.customer_id),
        )
        .group_by(activities.c.customer_id, customers.c.first_name, customers.c.last_name)
    )
    return [
        _item("needs assessment", row, f"needs assessment: first activity started {row.first_start.isoformat()}", row.first_start + NEEDS_ASSESSMENT_WITHIN)
        for row in rows
    ]


def activities_overdue(connection: Connection, scope: Scope, on: date) -> list[dict]:
    rows = connection.execute(
        _named(activities.c.customer_id, activities.c.code, activities.c.planned_completion)
        .join(customers, activities.c.customer_id == customers.c.id)
        .where(activities.c.status == ActivityStatus.STARTED, activities.c.planned_completion < on, scope(activities.c.customer_id))
    )
    return [
        _item("activity past planned completion", row, f"{row.code.value} is Started/Open past its planned completion", row.planned_completion)
        for row in rows
    ]


def attendance_weeks_unverified(connection: Connection, scope: Scope, on: date) -> list[dict]:
    """Weeks saved but not verified once their Saturday has passed: due that Saturday."""
    rows = connection.execute(
        _named(attendance_weeks.c.customer_id, attendance_weeks.c.week_start, activities.c.code)
        .join(activities, attendance_weeks.c.activity_id == activities.c.id)
        .join(customers, attendance_weeks.c.customer_id == customers.c.id)
        .where(attendance_weeks.c.state == WeekState.SAVED, attendance_weeks.c.week_start <= on - WEEK, scope(attendance_weeks.c.customer_id))
    )
    return [
        _item("attendance to verify", row, f"{row.code.value} attendance of the week of {row.week_start.isoformat()} is not verified", row.week_start + WEEK - timedelta(days=1))
        for row in rows
    ]


def abawd_months_at_risk(connection: Connection, scope: Scope, on: date) -> list[dict]:
    """In a month's last week, customers with a SNAP E&T activity Started/Open and under 80 hours so far."""
    first, last = month_bounds(on.year, on.month)
    if on < last - ABAWD_NOTICE + timedelta(days=1):
        return []
    taking_part = (
        select(activities.c.customer_id)
        .where(activities.c.status == ActivityStatus.STARTED, activities.c.code.in_(SNAP_ET_CODES), scope(activities.c.customer_id))
        .distinct()
    )
    tracked = abawd_months(connection, taking_part, on.year, on.month)
    rows = connection.execute(_named(customers.c.id.label("customer_id")).where(customers.c.id.in_(taking_part)))
    items = []
    for row in rows:
        month = tracked.get(row.customer_id) or abawd_month(on.year, on.month, Decimal("0.00"), [])
        if not month.met:
            items.append(_item("ABAWD month at risk", row, f"{month.total_hours} of 80 ABAWD hours in {first:%B %Y}", last))
    return items


DUE_ITEM_QUERIES: list[DueItemQuery] = [
    follow_ups_due, agreements_pending, needs_assessments_due, activities_overdue, attendance_weeks_unverified,
    abawd_months_at_risk,
]


def _scope(principal: Principal, location: str | None) -> Scope:
    if location is None:
        return lambda customer_id: policy.in_scope(principal, customer_id)
    if principal.location_scoped and location not in principal.locations:
        raise Forbidden("location", f"{location} is not one of your locations")
    return lambda customer_id: exists().where(
        assignments.c.customer_id == customer_id, assignments.c.location == location, assignments.c.exited_on.is_(None)
    )


def due_items(connection: Connection, principal: Principal, location: str | None) -> list[dict]:
    """The caller's due items (at `location` only, if given), by due date."""
    policy.check_staff(principal, "the due items list")
    scope, on = _scope(principal, location), today()
    found: list[dict] = []
    for query in DUE_ITEM_QUERIES:
        found += query(connection, scope, on)
    return sorted(found, key=lambda item: (item["due_date"], item["kind"], item["customer_id"]))
