"""Bulk edits from the Customer Services Report: many activities changed at once, each row through the
single edit's rules (activities.save_change) and refused on its own, never losing the others.

Rows are grouped by customer; each batch of customers is one transaction that reads what it needs at once
(which customer each activity belongs to, the customers in the caller's scope, locked, and their
activities), then saves row after row. A refused row writes nothing: every rule is checked before its
first write."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from isets_kit.auth import Principal
from isets_kit.errors import DomainError
from isets_kit.unit_of_work import UnitOfWork
from casemgmt import policy
from casemgmt.adapters.orm import activities, customers
from casemgmt.domain.activities import Activity
from casemgmt.service_layer.activities import activities_of_customers, save_change
from casemgmt.service_layer.plan import UnitOfWorkFactory

CUSTOMERS_PER_TRANSACTION = 200
_IDS_PER_QUERY = 1000


@dataclass(frozen=True)
class ActivityEdit:
    row: int  # where it came from: its position in the request, or its line in the file
    activity_id: str
    changes: dict = field(default_factory=dict)  # Activity field -> new value
    version: datetime | None = None  # the activity's updated_at as the editor read it


@dataclass(frozen=True)
class Outcome:
    row: int
    activity_id: str
    saved: bool
    field: str | None = None
    reason: str | None = None


def refused(edit: ActivityEdit, field_name: str | None, reason: str) -> Outcome:
    return Outcome(edit.row, edit.activity_id, False, field_name, reason)


async def save_edits(new_uow: UnitOfWorkFactory, principal: Principal, edits: list[ActivityEdit]) -> list[Outcome]:
    """Every edit's outcome, in the order given."""
    policy.check_role(principal, policy.EDITORS)
    outcomes: dict[int, Outcome] = {}
    owners = await _owners(new_uow, list({edit.activity_id for edit in edits}))
    by_customer: dict[str, list[int]] = {}
    for index, edit in enumerate(edits):
        owner = owners.get(edit.activity_id)
        if owner is None:
            outcomes[index] = refused(edit, "activity_id", f"no activity {edit.activity_id}")
        else:
            by_customer.setdefault(owner, []).append(index)
    customer_ids = sorted(by_customer)  # locked in one order, so two bulk saves never deadlock
    for start in range(0, len(customer_ids), CUSTOMERS_PER_TRANSACTION):
        batch = customer_ids[start : start + CUSTOMERS_PER_TRANSACTION]
        async with new_uow() as uow:
            in_scope = set(
                await uow.session.scalars(
                    select(customers.c.id)
                    .where(customers.c.id.in_(batch), policy.in_scope(principal, customers.c.id))
                    .order_by(customers.c.id)
                    .with_for_update()
                )
            )
            plans = await activities_of_customers(uow.session, sorted(in_scope))
            for customer_id in batch:
                for index in by_customer[customer_id]:
                    edit = edits[index]
                    if customer_id not in in_scope:  # as for a single edit: never reveal it exists
                        outcomes[index] = refused(edit, "activity_id", f"no activity {edit.activity_id}")
                        continue
                    outcomes[index] = await _save(uow, principal, plans[customer_id], edit)
            await uow.commit()
    return [outcomes[index] for index in range(len(edits))]


async def _owners(new_uow: UnitOfWorkFactory, activity_ids: list[str]) -> dict[str, str]:
    """activity id -> its customer, for the ids that exist."""
    owners: dict[str, str] = {}
    async with new_uow() as uow:
        for start in range(0, len(activity_ids), _IDS_PER_QUERY):
            rows = await uow.session.execute(
                select(activities.c.id, activities.c.customer_id).where(activities.c.id.in_(activity_ids[start : start + _IDS_PER_QUERY]))
            )
            owners.update({row.id: row.customer_id for row in rows})
    return owners


async def _save(uow: UnitOfWork, principal: Principal, plan: list[Activity], edit: ActivityEdit) -> Outcome:
    """One row through the single edit's path; `plan` (the customer's activities) follows what was saved."""
    try:
        saved = await save_change(uow, principal, plan, edit.activity_id, None, edit.changes, edit.version)
    except DomainError as error:
        return refused(edit, error.field, error.rule)
    plan[:] = [saved if activity.id == saved.id else activity for activity in plan]
    return Outcome(edit.row, edit.activity_id, True)

