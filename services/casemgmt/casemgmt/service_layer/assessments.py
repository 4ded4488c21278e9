"""Assessments: results (each announced as AssessmentRecorded, for intake's assessment dates and outcomes'
EFL gains), the summary (revised, never overwritten), the desired career path, and the read model of
outcomes' earned credentials. Staff of the customer's locations and statewide staff change them."""

import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from isets_contracts import Envelope
from isets_contracts.events import CredentialEarned
from isets_kit.auth import Principal
from isets_kit.db import insert_rows
from isets_kit.errors import Conflict
from isets_kit.unit_of_work import UnitOfWork
from casemgmt import policy
from casemgmt.clock import now
from casemgmt.adapters.orm import credentials
from casemgmt.domain.assessments import AssessmentResult, CareerPath, SummaryVersion, revise_summary

UnitOfWorkFactory = Callable[[], UnitOfWork]


async def record_assessment(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, **result) -> AssessmentResult:
    """`result`: AssessmentResult.record's assessment, taken_on and results."""
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        await policy.check_customer_in_scope(uow.session, principal, customer_id)
        recorded = AssessmentResult.record(str(uuid.uuid4()), customer_id, by=principal.user_id, now=now(), **result)
        uow.session.add(recorded)
        uow.publish(recorded.recorded(), subject=customer_id)
        await uow.commit()
    return recorded


async def revise_assessment_summary(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, texts: dict[str, str], version: int
) -> None:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        await policy.check_customer_in_scope(uow.session, principal, customer_id)
        current = await uow.session.scalar(
            select(SummaryVersion)
            .where(SummaryVersion.customer_id == customer_id)
            .order_by(SummaryVersion.number.desc())
            .limit(1)
            .with_for_update()
        )
        revised = revise_summary(current, customer_id, texts, version, principal.user_id, now())
        if revised is not None:
            uow.session.add(revised)
        try:
            await uow.commit()
        except IntegrityError as error:  # another writer added the same next version first (none was there to lock)
            raise Conflict("version", "the summary was changed by someone else; reload it") from error


async def set_career_path(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, **path) -> None:
    """`path`: pathway, occupation_1, occupation_2, wage_goal."""
    policy.check_role(principal, policy.EDITORS)
    at = now()
    async with new_uow() as uow:
        await policy.check_customer_in_scope(uow.session, principal, customer_id)
        career_path = await uow.session.get(CareerPath, customer_id, with_for_update=True)
        if career_path is None:
            career_path = CareerPath(customer_id=customer_id, updated_by=principal.user_id, updated_at=at)
            uow.session.add(career_path)
        career_path.change(**path, by=principal.user_id, now=at)
        await uow.commit()


async def on_credentials_earned(uow: UnitOfWork, envelopes: list[Envelope[CredentialEarned]]) -> None:
    """Idempotent: a credential announced again is kept once."""
    earned = {e.data.credential_id: e.data for e in envelopes}
    known = set(await uow.session.scalars(select(credentials.c.id).where(credentials.c.id.in_(earned))))
    await insert_rows(
        uow.session,
        credentials,
        [
            {"id": c.credential_id, "customer_id": c.customer_id, "title": c.title, "credential_type": c.credential_type, "date_earned": c.date_earned}
            for c in earned.values()
            if c.credential_id not in known
        ],
    )


EVENT_HANDLERS = {CredentialEarned: on_credentials_earned}
