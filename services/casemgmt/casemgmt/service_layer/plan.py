"""Goals, the customer's agreement to the plan and its update log; the goal added on enrolment."""

import uuid
from collections.abc import Callable

from sqlalchemy import Connection, bindparam, select, update

from isets_contracts.events import GoalChanged, PlanAgreementChanged
from isets_contracts.reference import GoalCategory, GoalStatus, GoalTerm, PlanAgreement, Role
from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from isets_kit.unit_of_work import UnitOfWork
from casemgmt import policy
from casemgmt.clock import now, today
from casemgmt.adapters.orm import customers, goals, plan_agreements, plan_updates, signed_copies
from casemgmt.domain import plan
from casemgmt.domain.plan import Goal

UnitOfWorkFactory = Callable[[], UnitOfWork]
SYSTEM = "casemgmt"  # who changed the plan when a consumed event did


async def open_plan(uow: UnitOfWork, principal: Principal, customer_id: str, roles: frozenset[Role] = policy.EDITORS) -> None:
    """Check the caller may change this plan, and lock the customer so the plan's rules see one change at a time."""
    policy.check_role(principal, roles)
    await policy.check_customer_in_scope(uow.session, principal, customer_id)
    await uow.session.execute(select(customers.c.id).where(customers.c.id == customer_id).with_for_update())


async def log(uow: UnitOfWork, customer_id: str, by: str, what: str) -> None:
    await uow.session.execute(plan_updates.insert().values(customer_id=customer_id, at=now(), by=by, what=what[:400]))


_AGREEMENT = select(plan_agreements.c.agreement).where(plan_agreements.c.customer_id == bindparam("customer_id"))


async def agreement_of(session, customer_id: str) -> PlanAgreement:
    return await session.scalar(_AGREEMENT, {"customer_id": customer_id}) or PlanAgreement.UNKNOWN


def plan_agreement(connection: Connection, customer_id: str) -> PlanAgreement:
    """`agreement_of` in a read view."""
    return connection.scalar(_AGREEMENT, {"customer_id": customer_id}) or PlanAgreement.UNKNOWN


async def set_agreement(uow: UnitOfWork, customer_id: str, agreement: PlanAgreement, by: str, reason: str) -> None:
    values = {"agreement": agreement, "updated_by": by, "updated_at": now()}
    changed = await uow.session.execute(
        update(plan_agreements).where(plan_agreements.c.customer_id == customer_id).values(values)
    )
    if changed.rowcount == 0:
        await uow.session.execute(plan_agreements.insert().values(customer_id=customer_id, **values))
    uow.publish(
        PlanAgreementChanged(customer_id=customer_id, agreement=agreement, effective_date=today(), reason=reason),
        subject=customer_id,
    )
    await log(uow, customer_id, by, f"plan agreement: {agreement.value} ({reason})")


def _row(goal: Goal, by: str) -> dict:
    return vars(goal) | {"updated_by": by, "updated_at": now()}


async def _save_goal(uow: UnitOfWork, before: Goal | None, goal: Goal, by: str) -> dict:
    """The goal's row as saved."""
    plan.check_statement(goal.statement)
    row = _row(goal, by)
    if before is None:
        await uow.session.execute(goals.insert().values(row))
        what = f"goal added: {goal.statement} ({goal.status.value})"
    else:
        await uow.session.execute(update(goals).where(goals.c.id == goal.id).values(row))
        changes = [name for name in ("statement", "category", "term", "status") if getattr(before, name) != getattr(goal, name)]
        what = f"goal changed ({', '.join(changes) or 'nothing'}): {goal.statement} ({goal.status.value})"
    await log(uow, goal.customer_id, by, what)
    uow.publish(
        GoalChanged(
            customer_id=goal.customer_id, goal_id=goal.id, statement=goal.statement, category=goal.category,
            term=goal.term, status=goal.status, effective_date=today(),
        ),
        subject=goal.customer_id,
    )
    if plan.needs_agreement(before, goal):
        reason = "goal added" if before is None else "goal marked Off Track"
        await set_agreement(uow, goal.customer_id, PlanAgreement.PENDING, by, reason)
    return row


async def goal_in_plan(session, customer_id: str, goal_id: str) -> Goal:
    row = (await session.execute(select(goals).where(goals.c.id == goal_id, goals.c.customer_id == customer_id))).one_or_none()
    if row is None:
        raise NotFound("goal_id", f"no goal {goal_id} in this plan")
    values = row._asdict()
    return Goal(**{name: values[name] for name in Goal.__dataclass_fields__})


# --- commands --------------------------------------------------------------------------------------
async def add_goal(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str,
    statement: str, category: GoalCategory, term: GoalTerm, status: GoalStatus,
) -> dict:
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        goal = await _save_goal(
            uow, None, Goal(str(uuid.uuid4()), customer_id, statement, category, term, status), principal.user_id
        )
        await uow.commit()
    return goal


async def change_goal(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, goal_id: str, changes: dict) -> dict:
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        before = await goal_in_plan(uow.session, customer_id, goal_id)
        changed = Goal(**vars(before) | changes)
        if changed == before:  # nothing to save, announce or log
            return (await uow.session.execute(select(goals).where(goals.c.id == goal_id))).one()._asdict()
        goal = await _save_goal(uow, before, changed, principal.user_id)
        await uow.commit()
    return goal


async def record_agreement(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, wanted: PlanAgreement) -> PlanAgreement:
    """The customer agrees to their plan; staff record that the customer could not be reached."""
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id, policy.EDITORS | {Role.CUSTOMER})
        agreement = plan.agreement_by(principal.role, wanted, await agreement_of(uow.session, customer_id))
        reason = "customer agreed" if agreement is PlanAgreement.AGREED else "recorded by staff"
        await set_agreement(uow, customer_id, agreement, principal.user_id, reason)
        await uow.commit()
    return agreement


async def upload_signed_copy(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, file_name: str, content_type: str, content: bytes
) -> dict:
    async with new_uow() as uow:
        await open_plan(uow, principal, customer_id)
        plan.check_signed_copy(content_type, len(content))
        copy = {
            "customer_id": customer_id, "file_name": file_name, "content_type": content_type, "size": len(content),
            "uploaded_by": principal.user_id, "uploaded_at": now(),
        }
        copy["id"] = await uow.session.scalar(
            signed_copies.insert().values(copy | {"content": content}).returning(signed_copies.c.id)
        )
        await set_agreement(uow, customer_id, PlanAgreement.SIGNED_COPY_UPLOADED, principal.user_id, "signed copy uploaded")
        await uow.commit()
    return copy


# --- consumed events -------------------------------------------------------------------------------
async def add_enrolment_goal(uow: UnitOfWork, customer_id: str, location: str) -> None:
    """The pre-populated goal of an enrolment at `location` (called once per enrolment)."""
    await _save_goal(uow, None, plan.enrolment_goal(str(uuid.uuid4()), customer_id, location), SYSTEM)

