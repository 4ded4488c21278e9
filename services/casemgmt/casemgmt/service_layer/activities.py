"""A customer's activities and services: add, change (status included), delete; the activity a recorded
employment becomes. Every status change and every delete is announced as ActivityStatusChanged."""

import uuid
from dataclasses import fields, replace
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, delete, select, update

from isets_contracts import Envelope
from isets_contracts.events import ActivityStatusChanged, EmploymentRecorded
from isets_contracts.reference import ActivityCode
from isets_kit.auth import Principal
from isets_kit.errors import Conflict, NotFound, RuleViolation
from isets_kit.unit_of_work import UnitOfWork
from casemgmt import policy
from casemgmt.adapters.orm import activities, activity_status_history, assignments, goals
from casemgmt.domain import activities as rules
from casemgmt.domain.activities import Activity
from casemgmt.views.providers import activities_offered_at
from casemgmt.clock import now, today
from casemgmt.service_layer.plan import SYSTEM, UnitOfWorkFactory, goal_in_plan, log, open_plan

_FIELDS = [f.name for f in fields(Activity)]
_STAMP = ("updated_by", "updated_at")


def activity_from(row) -> Activity:
    return Activity(**{name: row._mapping[name] for name in _FIELDS})


_ACTIVITIES_OF = select(activities).where(activities.c.customer_id == bindparam("customer_id")).order_by(activities.c.updated_at)


async def activities_of(session, customer_id: str) -> list[Activity]:
    return [activity_from(row) for row in await session.execute(_ACTIVITIES_OF, {"customer_id": customer_id})]


def customer_activities(connection: Connection, customer_id: str) -> list[Activity]:
    """`activities_of` in a read view."""
    return [activity_from(row) for row in connection.execute(_ACTIVITIES_OF, {"customer_id": customer_id})]


async def activities_of_customers(session, customer_ids: list[str]) -> dict[str, list[Activity]]:
    """Each customer's activities, read at once (the bulk edit's batch read)."""
    found: dict[str, list[Activity]] = {customer_id: [] for customer_id in customer_ids}
    rows = await session.execute(
        select(activities).where(activities.c.customer_id.in_(customer_ids)).order_by(activities.c.updated_at)
    )
    for row in rows:
        found[row.customer_id].append(activity_from(row))
    return found


async def plan_location(session, principal: Principal, customer_id: str, wanted: str | None) -> str:
    """Which of the customer's assignments the activity belongs to: `wanted`, or the oldest one the caller works at."""
    assigned = await policy.customer_locations(session, customer_id)
    usable = [loc for loc in assigned if not principal.location_scoped or loc in principal.locations]
    if wanted is None:
        if not usable:
            raise RuleViolation("location", "the customer is not enrolled at any location")
        return usable[0]
    if wanted not in usable:
        raise RuleViolation("location", f"the customer is not enrolled at {wanted}")
    return wanted


def status_changed(activity: Activity, effective_date: date, removed: bool = False) -> ActivityStatusChanged:
    return ActivityStatusChanged(
        customer_id=activity.customer_id, activity_id=activity.id, activity_code=activity.code,
        activity_name=activity.name, kind=activity.kind, location=activity.location, status=activity.status,
        effective_date=effective_date, start_date=activity.planned_start, completion_date=activity.actual_completion,
        worksite_based=activity.worksite_based, removed=removed,
    )


async def _record_status(uow: UnitOfWork, activity: Activity, effective_date: date, by: str) -> None:
    await uow.session.execute(
        activity_status_history.insert().values(
            activity_id=activity.id, status=activity.status, effective_date=effective_date, changed_by=by, changed_at=now()
        )
    )
    uow.publish(status_changed(activity, effective_date), subject=activity.customer_id)


async def _check_goal(session, activity: Activity) -> None:
    if activity.goal_id is not None:
        await goal_in_plan(session, activity.customer_id, activity.goal_id)


def _row(activity: Activity) -> dict:
    return {name: getattr(activity, name) for name in _FIELDS}


async def _insert(uow: UnitOfWork, activity: Activity, effective_date: date, employment_id: str | None = None) -> None:
    await uow.session.execute(activities.insert().values(_row(activity) | {"employment_id": employment_id}))
    await _record_status(uow, activity, effective_date, activity.updated_by)
    await log(uow, activity.customer_id, activity.updated_by, f"activity added: {activity.code.value} ({activity.status.value})")


# --- commands --------------------------------------------------------------------------------------
async def add_activity(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, code: ActivityCode,
    location: str | None, effective_date: date | None, details: dict,
) -> Activity:
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        others = await activities_of(uow.session, customer_id)
        where = await plan_location(uow.session, principal, customer_id, location)
        rules.check_addable(code, await activities_offered_at(uow.session, where, today()), others)
        activity = Activity(
            str(uuid.uuid4()), customer_id, code, where, **details, updated_by=principal.user_id, updated_at=now()
        )
        await _check_goal(uow.session, activity)
        activity = rules.check_activity(activity, others, None)
        await _insert(uow, activity, effective_date or today())
        await uow.commit()
    return activity


async def change_activity(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, activity_id: str,
    effective_date: date | None, changes: dict,
) -> Activity:
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        everything = await activities_of(uow.session, customer_id)
        activity = await save_change(uow, principal, everything, activity_id, effective_date, changes)
        await uow.commit()
    return activity


async def save_change(
    uow: UnitOfWork, principal: Principal, everything: list[Activity], activity_id: str, effective_date: date | None,
    changes: dict, version: datetime | None = None,
) -> Activity:
    """One activity edit in an open plan (its customer locked): the rules, the row, the update log and the
    status event. `everything`: the customer's activities as they are now. `version`: the updated_at the
    editor read; a later one means someone else changed it since. Refused before anything is written."""
    by = principal.user_id
    before = _one(everything, activity_id)
    policy.check_changes_at(principal, before.location)
    if version is not None and version != before.updated_at:
        raise Conflict("version", "the activity changed since it was read; reload it")
    if replace(before, **changes) == before:
        return before  # nothing to save: no new version, log entry or event
    others = [a for a in everything if a.id != activity_id]
    activity = replace(before, **changes, updated_by=by, updated_at=now())
    if activity.goal_id != before.goal_id:
        await _check_goal(uow.session, activity)
    activity = rules.check_activity(activity, others, before)
    await uow.session.execute(update(activities).where(activities.c.id == activity_id).values(_row(activity)))
    changed = [name for name in _FIELDS if name not in _STAMP and getattr(before, name) != getattr(activity, name)]
    await log(uow, activity.customer_id, by, f"activity {activity.code.value} changed: {', '.join(changed) or 'nothing'}")
    if activity.status is not before.status:
        await _record_status(uow, activity, effective_date or today(), by)
    return activity


async def delete_activity(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, activity_id: str) -> None:
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        activity = _one(await activities_of(uow.session, customer_id), activity_id)
        policy.check_changes_at(principal, activity.location)
        rules.check_deletable(activity)
        await uow.session.execute(delete(activity_status_history).where(activity_status_history.c.activity_id == activity_id))
        await uow.session.execute(delete(activities).where(activities.c.id == activity_id))
        uow.publish(status_changed(activity, today(), removed=True), subject=customer_id)
        await log(uow, customer_id, principal.user_id, f"activity deleted: {activity.code.value}")
        await uow.commit()


def _one(found: list[Activity], activity_id: str) -> Activity:
    for activity in found:
        if activity.id == activity_id:
            return activity
    raise NotFound("activity_id", f"no activity {activity_id} in this plan")


# --- consumed events -------------------------------------------------------------------------------
async def on_employment_recorded(uow: UnitOfWork, envelopes: list[Envelope[EmploymentRecorded]]) -> None:
    """Recorded employment becomes a planned JR (20 hours a week or more) or E activity at the customer's
    oldest assignment, under that enrolment's goal; staff start it. Once per employment; a customer
    enrolled nowhere gets none (no plan to put it in)."""
    for envelope in uow.following(envelopes):
        employment = envelope.data
        known = await uow.session.scalar(select(activities.c.id).where(activities.c.employment_id == employment.employment_id))
        location = await uow.session.scalar(
            select(assignments.c.location)
            .where(assignments.c.customer_id == employment.customer_id, assignments.c.exited_on.is_(None))
            .order_by(assignments.c.enrollment_date, assignments.c.id)
        )
        if known is not None or location is None:
            continue
        goal_id = await uow.session.scalar(
            select(goals.c.id).where(goals.c.customer_id == employment.customer_id, goals.c.enrolment_location == location)
        )
        activity = Activity(
            str(uuid.uuid4()), employment.customer_id, rules.employment_activity_code(employment.hours_per_week), location,
            goal_id=goal_id, planned_start=employment.start_date, planned_completion=employment.end_date,
            weekly_hours=employment.hours_per_week, notes=f"{employment.job_title} at {employment.employer_name}",
            updated_by=SYSTEM, updated_at=now(),
        )
        await _insert(uow, activity, employment.start_date, employment.employment_id)


EVENT_HANDLERS = {EmploymentRecorded: on_employment_recorded}
