"""Attendance on an activity: save a week, Submit and Verify it, re-open it; one week for a cohort.

Verifying or re-opening a week announces AttendanceVerified: the week's hours by day (zero hours, with
`reopened`, when re-opened), so the month sheets of other services replace the week, never add to it."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, Select, delete, select, update

from isets_contracts.events import AttendanceVerified
from isets_contracts.reference import ActivityCode, Role
from isets_kit.auth import Principal
from isets_kit.errors import NotFound, RuleViolation
from isets_kit.unit_of_work import UnitOfWork
from casemgmt import policy
from casemgmt.adapters.orm import (
    activities, attendance_days, attendance_week_history, attendance_weeks, customers, locations
)
from casemgmt.domain.activities import Activity
from casemgmt.domain.attendance import (
    AttendanceDay,
    AttendanceWeek,
    RowOutcome,
    WeekChange,
    check_open_for_attendance,
    check_self_entry_allowed,
    enter_group_week,
    weeks_of_span,
)
from casemgmt.service_layer.activities import activities_of, activity_from, customer_activities
from casemgmt.clock import now
from casemgmt.service_layer.plan import UnitOfWorkFactory, log, open_plan

_DAY_FIELDS = ("day", "check_in", "lunch_start", "lunch_end", "check_out")


def _the_activity(found: list[Activity], activity_id: str) -> Activity:
    for activity in found:
        if activity.id == activity_id:
            return activity
    raise NotFound("activity_id", f"no activity {activity_id} in this plan")


async def activity_of(session, customer_id: str, activity_id: str) -> Activity:
    return _the_activity(await activities_of(session, customer_id), activity_id)


def plan_activity(connection: Connection, customer_id: str, activity_id: str) -> Activity:
    """`activity_of` in a read view."""
    return _the_activity(customer_activities(connection, customer_id), activity_id)


def _week_reads(activity: Activity, first_days: list[date] | None) -> tuple[Select, Select]:
    week_rows = select(attendance_weeks).where(attendance_weeks.c.activity_id == activity.id)
    day_rows = select(attendance_days).where(attendance_days.c.activity_id == activity.id)
    if first_days is not None:
        week_rows = week_rows.where(attendance_weeks.c.week_start.in_(first_days))
        day_rows = day_rows.where(attendance_days.c.week_start.in_(first_days))
    return week_rows, day_rows


def _weeks(activity: Activity, week_rows, day_rows) -> dict[date, AttendanceWeek]:
    weeks = {
        row.week_start: AttendanceWeek(
            row.week_start, activity.planned_start, activity.planned_completion,
            state=row.state, verified_by=row.verified_by, verified_at=row.verified_at,
        )
        for row in week_rows
    }
    for row in day_rows:
        weeks[row.week_start].days[row.day] = AttendanceDay(**{name: getattr(row, name) for name in _DAY_FIELDS})
    return weeks


async def weeks_of(session, activity: Activity, first_days: list[date] | None = None) -> dict[date, AttendanceWeek]:
    """The activity's saved weeks (or those of `first_days`) with their days; the history is not loaded."""
    return _weeks(activity, *[(await session.execute(query)).all() for query in _week_reads(activity, first_days)])


def saved_weeks(connection: Connection, activity: Activity, first_days: list[date] | None = None) -> dict[date, AttendanceWeek]:
    """`weeks_of` in a read view."""
    return _weeks(activity, *[connection.execute(query).all() for query in _week_reads(activity, first_days)])


async def _week(session, activity: Activity, first_day: date) -> AttendanceWeek:
    """The saved week, or a new one; a week outside the activity's span is refused."""
    week = (await weeks_of(session, activity, [first_day])).get(first_day)
    if week is None:
        week = AttendanceWeek(first_day, activity.planned_start, activity.planned_completion)
        if first_day not in weeks_of_span(activity.planned_start, activity.planned_completion):
            raise RuleViolation("week_start", f"the week of {first_day.isoformat()} is outside the activity's start and planned end dates")
    return week


async def _store(uow: UnitOfWork, activity: Activity, week: AttendanceWeek, known: bool) -> None:
    """Write the week, its days and the history entries the domain added."""
    key = {"activity_id": activity.id, "week_start": week.first_day}
    state = {"state": week.state, "verified_by": week.verified_by, "verified_at": week.verified_at}
    if known:
        await uow.session.execute(
            update(attendance_weeks)
            .where(attendance_weeks.c.activity_id == activity.id, attendance_weeks.c.week_start == week.first_day)
            .values(state)
        )
    else:
        await uow.session.execute(attendance_weeks.insert().values(key | state | {"customer_id": activity.customer_id}))
    await uow.session.execute(
        delete(attendance_days).where(attendance_days.c.activity_id == activity.id, attendance_days.c.week_start == week.first_day)
    )
    if week.days:
        await uow.session.execute(
            attendance_days.insert(),
            [key | {"customer_id": activity.customer_id} | {name: getattr(day, name) for name in _DAY_FIELDS} for day in week.days.values()],
        )
    for change in week.history:
        await uow.session.execute(attendance_week_history.insert().values(key | _change_row(change)))


def _change_row(change: WeekChange) -> dict:
    return {"action": change.action, "by": change.by, "at": change.at, "reason": change.reason}


def _announce(uow: UnitOfWork, activity: Activity, week: AttendanceWeek, by: str, reopened: bool = False) -> None:
    uow.publish(
        AttendanceVerified(
            customer_id=activity.customer_id, activity_id=activity.id, activity_code=activity.code, kind=activity.kind,
            location=activity.location, week_start=week.first_day,
            hours_by_day={day: (Decimal(0) if reopened else entry.hours) for day, entry in sorted(week.days.items())},
            verified_by=by, verified_at=week.history[-1].at, reopened=reopened,
        ),
        subject=activity.customer_id,
    )


async def _saved_week(session, activity: Activity, first_day: date) -> AttendanceWeek:
    week = (await weeks_of(session, activity, [first_day])).get(first_day)
    if week is None:
        raise NotFound("week_start", f"no attendance saved for the week of {first_day.isoformat()}")
    return week


# --- commands --------------------------------------------------------------------------------------
async def save_week(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, activity_id: str, first_day: date,
    days: list[AttendanceDay],
) -> AttendanceWeek:
    """Save keeps the week unverified; a customer may save their own when the activity has a service provider."""
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id, policy.EDITORS | {Role.CUSTOMER})
        activity = await activity_of(uow.session, customer_id, activity_id)
        policy.check_changes_at(principal, activity.location)
        if principal.role is Role.CUSTOMER:
            check_self_entry_allowed(await _has_service_provider(uow.session, activity))
        check_open_for_attendance(activity)
        known = await _week_exists(uow.session, activity.id, first_day)
        week = await _week(uow.session, activity, first_day)
        week.enter(days, policy.actor(principal), now())
        await _store(uow, activity, week, known)
        await log(uow, customer_id, principal.user_id, f"attendance {activity.code.value}, week of {first_day}: saved ({week.total_hours} h)")
        await uow.commit()
    return week


async def verify_week(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, activity_id: str, first_day: date) -> AttendanceWeek:
    """Submit and Verify: staff only, with who and when."""
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        activity = await activity_of(uow.session, customer_id, activity_id)
        policy.check_changes_at(principal, activity.location)
        week = await _saved_week(uow.session, activity, first_day)
        week.verify(policy.actor(principal), now())
        await _store(uow, activity, week, known=True)
        _announce(uow, activity, week, principal.user_id)
        await log(uow, customer_id, principal.user_id, f"attendance {activity.code.value}, week of {first_day}: verified ({week.total_hours} h)")
        await uow.commit()
    return week


async def reopen_week(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, activity_id: str, first_day: date, reason: str
) -> AttendanceWeek:
    """Staff only, with a reason kept in the week's history; its hours stop counting until verified again."""
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        activity = await activity_of(uow.session, customer_id, activity_id)
        policy.check_changes_at(principal, activity.location)
        week = await _saved_week(uow.session, activity, first_day)
        week.reopen(policy.actor(principal), now(), reason)
        await _store(uow, activity, week, known=True)
        _announce(uow, activity, week, principal.user_id, reopened=True)
        await log(uow, customer_id, principal.user_id, f"attendance {activity.code.value}, week of {first_day}: re-opened")
        await uow.commit()
    return week


async def save_cohort_week(
    new_uow: UnitOfWorkFactory, principal: Principal, location: str, code: ActivityCode, first_day: date,
    rows: dict[str, list[AttendanceDay]], verify: bool,
) -> list[RowOutcome]:
    """Group attendance: one week for the customers on `code` at `location`; each row is checked and saved on
    its own, so one bad row is reported with its reason and the others are saved."""
    policy.check_role(principal, policy.EDITORS)
    policy.check_changes_at(principal, location, "location")
    async with new_uow() as uow:
        members = await cohort_members(uow.session, principal, location, code, rows)
        weeks, known = {}, {}
        for customer_id, activity in members.items():
            await open_plan(uow, principal, customer_id)
            weeks[customer_id] = (await weeks_of(uow.session, activity, [first_day])).get(first_day) or AttendanceWeek(
                first_day, activity.planned_start, activity.planned_completion
            )
            known[customer_id] = await _week_exists(uow.session, activity.id, first_day)
        actor = policy.actor(principal)
        outcomes = enter_group_week(weeks, rows, actor, now(), verify=verify)
        for outcome in outcomes:
            if not outcome.saved:
                continue
            activity, week = members[outcome.customer_id], weeks[outcome.customer_id]
            await _store(uow, activity, week, known[outcome.customer_id])
            if week.verified:
                _announce(uow, activity, week, principal.user_id)
            what = "saved and verified" if week.verified else "saved"
            await log(uow, outcome.customer_id, principal.user_id, f"attendance {code.value}, week of {first_day}: {what} with the group ({week.total_hours} h)")
        await uow.commit()
    return outcomes


def _cohort_reads(principal: Principal, location: str, code: ActivityCode, customer_ids) -> Select:
    query = (
        select(activities)
        .join(customers, customers.c.id == activities.c.customer_id)
        .where(activities.c.location == location, activities.c.code == code, policy.in_scope(principal, customers.c.id))
        .order_by(activities.c.updated_at)
    )
    if customer_ids is not None:
        query = query.where(activities.c.customer_id.in_(list(customer_ids)))
    return query


def _cohort(rows) -> dict[str, Activity]:
    members: dict[str, Activity] = {}
    for row in rows:
        if row.customer_id in members:
            continue
        activity = activity_from(row)
        if activity.open and activity.planned_start is not None and activity.planned_completion is not None:
            members[row.customer_id] = activity
    return members


async def cohort_members(session, principal: Principal, location: str, code: ActivityCode, customer_ids=None) -> dict[str, Activity]:
    """The customers in the caller's scope with `code` Started/Open and dated at `location`, and that activity."""
    return _cohort(await session.execute(_cohort_reads(principal, location, code, customer_ids)))


def cohort(connection: Connection, principal: Principal, location: str, code: ActivityCode) -> dict[str, Activity]:
    """`cohort_members` in a read view."""
    return _cohort(connection.execute(_cohort_reads(principal, location, code, None)))


async def _week_exists(session, activity_id: str, first_day: date) -> bool:
    found = await session.scalar(
        select(attendance_weeks.c.state).where(attendance_weeks.c.activity_id == activity_id, attendance_weeks.c.week_start == first_day)
    )
    return found is not None


async def _has_service_provider(session, activity: Activity) -> bool:
    """A service provider who will verify the attendance: a named other provider, or the grantee or WIOA
    provider of a location casemgmt knows."""
    if activity.provider_name:
        return True
    return await session.scalar(select(locations.c.id).where(locations.c.id == activity.location)) is not None
