"""Attendance as staff and the customer read it: an activity's weeks over its span with hours attended and
verified; the cohorts for group attendance and one cohort's week."""

from datetime import date, timedelta

from sqlalchemy import Connection, func, select

from isets_contracts.reference import ACTIVITY_CATALOGUE, ActivityCode, ActivityStatus
from isets_kit.auth import Principal
from casemgmt import policy
from casemgmt.adapters.orm import activities, attendance_week_history, customers
from casemgmt.domain.activities import Activity
from casemgmt.domain.attendance import AttendanceWeek, check_takes_attendance, hours_attended_and_verified, weeks_of_span
from casemgmt.service_layer.attendance import cohort, plan_activity, saved_weeks


def week_view(first_day: date, week: AttendanceWeek | None, history: list[dict]) -> dict:
    days = sorted(week.days.values(), key=lambda d: d.day) if week else []
    return {
        "week_start": first_day,
        "week_end": first_day + timedelta(days=6),
        "state": week.state if week else None,
        "total_hours": week.total_hours if week else 0,
        "verified_by": week.verified_by if week else None,
        "verified_at": week.verified_at if week else None,
        "days": [vars(day) | {"hours": day.hours} for day in days],
        "history": history,
    }


def _histories(connection: Connection, activity_id: str) -> dict[date, list[dict]]:
    rows = connection.execute(
        select(attendance_week_history).where(attendance_week_history.c.activity_id == activity_id).order_by(attendance_week_history.c.id)
    )
    found: dict[date, list[dict]] = {}
    for row in rows:
        found.setdefault(row.week_start, []).append({"action": row.action, "by": row.by, "at": row.at, "reason": row.reason})
    return found


def attendance_view(activity: Activity, weeks: dict[date, AttendanceWeek], histories: dict[date, list[dict]]) -> dict:
    attended, verified = hours_attended_and_verified(weeks.values())
    return {
        "activity_id": activity.id, "activity_code": activity.code, "activity_name": activity.name,
        "status": activity.status, "planned_start": activity.planned_start, "planned_completion": activity.planned_completion,
        "hours_attended": attended, "hours_verified": verified,
        "weeks": [
            week_view(first_day, weeks.get(first_day), histories.get(first_day, []))
            for first_day in weeks_of_span(activity.planned_start, activity.planned_completion)
        ],
    }


def activity_attendance(connection: Connection, principal: Principal, customer_id: str, activity_id: str) -> dict:
    policy.check_customer_seen(connection, principal, customer_id)
    activity = plan_activity(connection, customer_id, activity_id)
    check_takes_attendance(activity)
    return attendance_view(activity, saved_weeks(connection, activity), _histories(connection, activity.id))


def cohorts(connection: Connection, principal: Principal, location: str | None, code: ActivityCode | None) -> list[dict]:
    """Customers on the same activity at one location, Started/Open, that the caller may see."""
    policy.check_role(principal, policy.EDITORS)
    query = (
        select(activities.c.location, activities.c.code, func.count(func.distinct(activities.c.customer_id)).label("customers"))
        .join(customers, customers.c.id == activities.c.customer_id)
        .where(
            activities.c.status == ActivityStatus.STARTED, activities.c.planned_start.is_not(None),
            activities.c.planned_completion.is_not(None), policy.in_scope(principal, customers.c.id),
        )
        .group_by(activities.c.location, activities.c.code)
        .order_by(activities.c.location, activities.c.code)
    )
    if location:
        query = query.where(activities.c.location == location)
    if code:
        query = query.where(activities.c.code == code)
    rows = connection.execute(query).all()
    return [
        {"location": row.location, "activity_code": row.code, "activity_name": ACTIVITY_CATALOGUE[row.code].name, "customers": row.customers}
        for row in rows
    ]


def cohort_week(connection: Connection, principal: Principal, location: str, code: ActivityCode, first_day: date) -> list[dict]:
    """One row per customer of the cohort: their activity and what is saved for the week."""
    policy.check_role(principal, policy.EDITORS)
    members = cohort(connection, principal, location, code)
    names = dict(
        (row.id, (row.first_name, row.last_name))
        for row in connection.execute(select(customers.c.id, customers.c.first_name, customers.c.last_name).where(customers.c.id.in_(list(members))))
    )
    rows = []
    for customer_id, activity in members.items():
        week = saved_weeks(connection, activity, [first_day]).get(first_day)
        first_name, last_name = names[customer_id]
        rows.append(
            {
                "customer_id": customer_id, "first_name": first_name, "last_name": last_name, "activity_id": activity.id,
                "planned_start": activity.planned_start, "planned_completion": activity.planned_completion,
                "week": week_view(first_day, week, []),
            }
        )
    return sorted(rows, key=lambda r: (r["last_name"], r["first_name"], r["customer_id"]))
