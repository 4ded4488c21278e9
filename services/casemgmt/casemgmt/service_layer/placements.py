"""Worksite placements on a customer's worksite-based activities (CW, TJ, OJT, INT): add, change (status,
inactive and return dates included), verify a follow-up. Every change is checked against the customer's
other placements for the 6-months-a-year subsidy limit and logged to the plan update log."""

import uuid
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Select, delete, select, update

from isets_kit.auth import Principal
from isets_kit.errors import NotFound, RuleViolation
from isets_kit.unit_of_work import UnitOfWork
from casemgmt.adapters.orm import jobs, placement_follow_ups, placement_status_history, placements
from casemgmt.domain import placements as rules
from casemgmt.domain.placements import FollowUp, InactiveSpan, Placement, PlacementStatus, StatusChange
from casemgmt.service_layer.activities import activities_of
from casemgmt import policy
from casemgmt.clock import now, today
from casemgmt.service_layer.plan import UnitOfWorkFactory, log, open_plan

_TERMS = ("job_id", "position_type", "start_date", "planned_due_date", "hourly_wage", "subsidised_wage", "employer_wage_match")
_STATE = ("status", "end_date", "subsidised_start", "subsidised_end")
_HISTORY = ("status", "start_date", "inactive_date", "return_date", "subsidised_start", "subsidised_end", "updated_at", "updated_by")


@dataclass
class StoredPlacement:
    """A placement as stored: whose, on which activity, and how much of its history is saved already."""

    id: str
    customer_id: str
    activity_id: str
    placement: Placement
    saved_history: int


def _placement_reads(customer_ids: list[str]) -> tuple[Select, Select, Select]:
    """The customers' placements, their status histories and their follow-ups."""
    theirs = select(placements.c.id).where(placements.c.customer_id.in_(customer_ids))
    return (
        select(placements).where(placements.c.customer_id.in_(customer_ids)).order_by(placements.c.start_date, placements.c.id),
        select(placement_status_history).where(placement_status_history.c.placement_id.in_(theirs)).order_by(placement_status_history.c.id),
        select(placement_follow_ups).where(placement_follow_ups.c.placement_id.in_(theirs)).order_by(placement_follow_ups.c.days),
    )


def _stored(rows, history_rows, follow_up_rows) -> list[StoredPlacement]:
    history: dict[str, list[StatusChange]] = {}
    for row in history_rows:
        history.setdefault(row.placement_id, []).append(StatusChange(**{name: row._mapping[name] for name in _HISTORY}))
    follow_ups: dict[str, list[FollowUp]] = {}
    for row in follow_up_rows:
        follow_ups.setdefault(row.placement_id, []).append(FollowUp(row.days, row.due, row.verified_by, row.verified_on))
    found = []
    for row in rows:
        placement = Placement(**{name: row._mapping[name] for name in _TERMS})
        for name in _STATE:
            setattr(placement, name, row._mapping[name])
        placement.minimum_wage = row.minimum_wage
        placement.history = history.get(row.id, [])
        placement.inactive_spans = _inactive_spans(placement.history)
        placement.follow_ups = follow_ups.get(row.id, [])
        found.append(StoredPlacement(row.id, row.customer_id, row.activity_id, placement, len(placement.history)))
    return found


async def placements_of(session, customer_ids: list[str]) -> list[StoredPlacement]:
    return _stored(*[(await session.execute(query)).all() for query in _placement_reads(customer_ids)])


def stored_placements(connection: Connection, customer_ids: list[str]) -> list[StoredPlacement]:
    """`placements_of` in a read view."""
    return _stored(*[connection.execute(query).all() for query in _placement_reads(customer_ids)])


def _inactive_spans(history: list[StatusChange]) -> list[InactiveSpan]:
    """Going inactive records the inactive date alone; coming back records it with the return date."""
    spans: list[InactiveSpan] = []
    for change in history:
        if change.inactive_date is not None and change.return_date is None:
            spans.append(InactiveSpan(change.inactive_date))
        elif change.return_date is not None:
            spans[-1].return_date = change.return_date
    return spans


async def _save(uow: UnitOfWork, placed: StoredPlacement, by: str, new: bool) -> None:
    placement = placed.placement
    row = {name: getattr(placement, name) for name in (*_TERMS, *_STATE, "minimum_wage")} | {"updated_by": by, "updated_at": now()}
    if new:
        await uow.session.execute(
            placements.insert().values(row | {"id": placed.id, "customer_id": placed.customer_id, "activity_id": placed.activity_id})
        )
    else:
        await uow.session.execute(update(placements).where(placements.c.id == placed.id).values(row))
    for change in placement.history[placed.saved_history:]:
        await uow.session.execute(
            placement_status_history.insert().values({name: getattr(change, name) for name in _HISTORY} | {"placement_id": placed.id})
        )
    await uow.session.execute(delete(placement_follow_ups).where(placement_follow_ups.c.placement_id == placed.id))
    if placement.follow_ups:
        await uow.session.execute(
            placement_follow_ups.insert(),
            [{"placement_id": placed.id, "days": f.days, "due": f.due, "verified_by": f.verified_by, "verified_on": f.verified_on}
             for f in placement.follow_ups],
        )


def _one(found: list[StoredPlacement], placement_id: str) -> StoredPlacement:
    for placed in found:
        if placed.id == placement_id:
            return placed
    raise NotFound("placement_id", f"no placement {placement_id} in this plan")


# --- commands --------------------------------------------------------------------------------------
async def add_placement(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, activity_id: str, terms: dict, status: PlacementStatus
) -> StoredPlacement:
    """A placement at a registered job, Planned/Not Started or Started (Open) on its start date."""
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        activity = next((a for a in await activities_of(uow.session, customer_id) if a.id == activity_id), None)
        if activity is None:
            raise NotFound("activity_id", f"no activity {activity_id} in this plan")
        if not activity.worksite_based:
            raise RuleViolation("activity_id", f"{activity.name} is not worksite-based: placements are on CW, TJ, OJT and INT activities")
        if await uow.session.scalar(select(jobs.c.id).where(jobs.c.id == terms["job_id"])) is None:
            raise NotFound("job_id", f"no job {terms['job_id']}")
        others = [p.placement for p in await placements_of(uow.session, [customer_id])]
        placed = StoredPlacement(str(uuid.uuid4()), customer_id, activity_id, Placement(**terms), 0)
        if status is PlacementStatus.STARTED:
            placed.placement.start(placed.placement.start_date, policy.actor(principal), now(), others)
        elif status is not PlacementStatus.PLANNED:
            raise RuleViolation("status", "a new placement is Planned/Not Started or Started (Open)")
        await _save(uow, placed, principal.user_id, new=True)
        await log(uow, customer_id, principal.user_id, f"placement added on {activity.code.value}: job {terms['job_id']} ({status.value})")
        await uow.commit()
    return placed


async def change_placement(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, placement_id: str, changes: dict
) -> StoredPlacement:
    """Sent fields only. `status` moves the placement on (Started (Open) on `start_date`, a completion on
    `end_date`); `inactive_date` and `return_date` mark an inactive span; the terms change otherwise."""
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        everything = await placements_of(uow.session, [customer_id])
        placed = _one(everything, placement_id)
        others = [p.placement for p in everything if p.id != placement_id]
        placement, actor, at = placed.placement, policy.actor(principal), now()
        sent = ", ".join(changes) or "nothing"
        status = changes.pop("status", None)
        inactive, returned = changes.pop("inactive_date", None), changes.pop("return_date", None)
        end_date = changes.pop("end_date", None)
        planned_due = changes.pop("planned_due_date", None)
        if end_date is not None and status not in rules.COMPLETED:
            raise RuleViolation("end_date", "an end date comes with a Successful or Unsuccessful Completion")
        if "job_id" in changes and await uow.session.scalar(select(jobs.c.id).where(jobs.c.id == changes["job_id"])) is None:
            raise NotFound("job_id", f"no job {changes['job_id']}")
        if changes:
            placement = _change_terms(placement, changes)
        if planned_due is not None:
            placement.change_planned_due_date(planned_due, others)
        if status is PlacementStatus.STARTED and placement.status is not PlacementStatus.STARTED:
            placement.start(placement.start_date, actor, at, others)
        if inactive is not None:
            placement.go_inactive(inactive, actor, at)
        if returned is not None:
            placement.come_back(returned, actor, at)
            rules.check_subsidy_limit(placement, others, "return_date")
        if status in rules.COMPLETED:
            if end_date is None:
                raise RuleViolation("end_date", "required when the placement is completed")
            placement.complete(status is PlacementStatus.SUCCESSFUL, end_date, actor, at)
            rules.check_subsidy_limit(placement, others, "end_date")  # an end after the planned due date adds days
        elif status is PlacementStatus.PLANNED and placement.status is not PlacementStatus.PLANNED:
            raise RuleViolation("status", "a placement that started cannot go back to Planned/Not Started")
        placed = replace(placed, placement=placement)
        await _save(uow, placed, principal.user_id, new=False)
        await log(uow, customer_id, principal.user_id, f"placement changed: {sent} ({placement.status.value})")
        await uow.commit()
    return placed


def _change_terms(placement: Placement, changes: dict) -> Placement:
    """New job, position or wages; a planned placement may move its start date too. Wages are checked again."""
    if "start_date" in changes and placement.status is not PlacementStatus.PLANNED and changes["start_date"] != placement.start_date:
        raise RuleViolation("start_date", "the start date of a placement that started does not change")
    changed = replace(placement, **changes)  # checks the wages against the minimum on the start date again
    for name in _STATE + ("inactive_spans", "history", "follow_ups"):
        setattr(changed, name, getattr(placement, name))
    return changed


async def verify_follow_up(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, placement_id: str, days: int
) -> StoredPlacement:
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        placed = _one(await placements_of(uow.session, [customer_id]), placement_id)
        placed.placement.verify_follow_up(days, today(), policy.actor(principal))
        await _save(uow, placed, principal.user_id, new=False)
        await log(uow, customer_id, principal.user_id, f"placement follow-up at {days} days verified")
        await uow.commit()
    return placed
