"""intake handlers: one per command or consumed event; each is the one place its transaction begins and ends."""

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from isets_contracts import Envelope
from isets_contracts.events import (
    ActivityStatusChanged,
    CredentialEarned,
    CustomerExited,
    EmploymentRecorded,
    EmploymentVerified,
    IesPersonChanged,
)
from isets_contracts.reference import EtStatus, LevelOfProgress, Program, Role
from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from isets_kit.unit_of_work import UnitOfWork
from intake import policy
from intake.adapters.orm import customers
from intake.domain.customer import Customer
from intake.domain.referral import Referral

UnitOfWorkFactory = Callable[[], UnitOfWork]


def now() -> datetime:
    return datetime.now(UTC)


async def _customers_for_update(uow: UnitOfWork, key, values: set[str]) -> dict[str, Customer]:
    """Load (and lock) every customer a run of consumed events touches, in one query."""
    found = await uow.session.scalars(
        select(Customer).where(key.in_(values)).order_by(customers.c.id).with_for_update(of=customers)
    )
    return {getattr(customer, key.name): customer for customer in found}


async def _change(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    customer_id: str,
    change,
    *,
    roles: frozenset[Role] = policy.EDITORS,
    answering_referral: bool = False,
) -> Customer:
    """Load the customer (locked, in scope), apply one change, commit (the unit of work announces its events)."""
    policy.check_role(principal, roles)
    async with new_uow() as uow:
        customer = await policy.customer_in_scope(
            uow.session, principal, customer_id, for_update=True, pending_referrals=answering_referral
        )
        change(customer)
        await uow.commit()
        return customer


# --- consumed events -------------------------------------------------------------------------------
async def on_ies_persons_changed(uow: UnitOfWork, envelopes: list[Envelope[IesPersonChanged]]) -> None:
    """Create or update each customer keyed by IDHS individual number (IES-mastered fields only)."""
    by_number = await _customers_for_update(
        uow, customers.c.individual_number, {e.data.individual_number for e in envelopes}
    )
    for envelope in uow.following(envelopes):
        person = envelope.data
        customer = by_number.get(person.individual_number)
        if customer is None:
            customer = by_number[person.individual_number] = Customer.register_from_ies(str(uuid.uuid4()), person, now())
            uow.session.add(customer)
        else:
            customer.apply_ies(person)


def _on_customer_event(apply: Callable[[Customer, object], None]):
    async def handler(uow: UnitOfWork, envelopes: list[Envelope]) -> None:
        by_id = await _customers_for_update(uow, customers.c.id, {e.data.customer_id for e in envelopes})
        for envelope in uow.following(envelopes):
            customer = by_id.get(envelope.data.customer_id)
            if customer is None:
                raise NotFound("customer_id", f"event {envelope.type} for unknown customer {envelope.data.customer_id}")
            apply(customer, envelope.data)

    return handler


on_activity_status_changed = _on_customer_event(lambda c, e: c.record_activity_status(e, now()))
on_customer_exited = _on_customer_event(lambda c, e: c.record_exit(e, now()))
on_employment_recorded = _on_customer_event(
    lambda c, e: c.note_employment(f"{e.job_title} at {e.employer_name}", e.permanent)
)
on_employment_verified = _on_customer_event(lambda c, e: c.note_employment_verified())
on_credential_earned = _on_customer_event(lambda c, e: c.note_credential(e.title))

EVENT_HANDLERS = {
    IesPersonChanged: on_ies_persons_changed,
    ActivityStatusChanged: on_activity_status_changed,
    CustomerExited: on_customer_exited,
    EmploymentRecorded: on_employment_recorded,
    EmploymentVerified: on_employment_verified,
    CredentialEarned: on_credential_earned,
}


# --- profile and status section --------------------------------------------------------------------
async def edit_profile(new_uow, principal: Principal, customer_id: str, changes: dict, version: int) -> Customer:
    return await _change(new_uow, principal, customer_id, lambda c: c.edit_profile(changes, version, principal.user_id, now()))


async def set_staff_status(new_uow, principal: Principal, customer_id: str, status: EtStatus) -> Customer:
    return await _change(new_uow, principal, customer_id, lambda c: c.set_staff_status(status, principal.user_id, now()))


async def set_level_of_progress(new_uow, principal: Principal, customer_id: str, level: LevelOfProgress | None) -> Customer:
    return await _change(new_uow, principal, customer_id, lambda c: c.set_level_of_progress(level, principal.user_id))


async def add_resource_contact(new_uow, principal: Principal, customer_id: str, name: str, email: str) -> Customer:
    return await _change(new_uow, principal, customer_id, lambda c: c.add_resource_contact(name, email, principal.user_id, now()))


async def remove_resource_contact(new_uow, principal: Principal, customer_id: str, email: str) -> Customer:
    return await _change(new_uow, principal, customer_id, lambda c: c.remove_resource_contact(email, now()))


async def set_earnfare_benefit(
    new_uow, principal: Principal, customer_id: str, amount: Decimal, effective_date: date
) -> Customer:
    return await _change(
        new_uow,
        principal,
        customer_id,
        lambda c: c.set_earnfare_benefit(amount, effective_date, principal.user_id, now()),
        roles=policy.BENEFIT_SETTERS,
    )


# --- referrals -------------------------------------------------------------------------------------
async def send_referral(
    new_uow, principal: Principal, customer_id: str, referred_to: str, referred_from: str, program: Program
) -> Referral:
    def send(customer: Customer) -> None:
        policy.check_refers_from_own_location(principal, referred_from)
        customer.send_referral(referred_to, referred_from, program, principal.user_id, now())

    return (await _change(new_uow, principal, customer_id, send)).referrals[-1]


async def resend_referral(new_uow, principal: Principal, customer_id: str, number: int, version: int) -> Referral:
    def resend(customer: Customer) -> None:
        policy.check_resends(principal, customer.referral(number))
        customer.resend_referral(number, version, principal.user_id, now())

    return (await _change(new_uow, principal, customer_id, resend)).referral(number)


async def _answer_referral(new_uow, principal: Principal, customer_id: str, number: int, answer) -> Referral:
    def checked(customer: Customer) -> None:
        policy.check_answers(principal, policy.referral_seen(principal, customer, number))
        answer(customer)

    return (await _change(new_uow, principal, customer_id, checked, answering_referral=True)).referral(number)


async def accept_referral(
    new_uow, principal: Principal, customer_id: str, number: int, version: int, snap_et_eligible: bool
) -> Referral:
    return await _answer_referral(
        new_uow, principal, customer_id, number,
        lambda c: c.accept_referral(number, version, snap_et_eligible, principal.user_id, now()),
    )


async def reject_referral(
    new_uow, principal: Principal, customer_id: str, number: int, version: int, reason: str
) -> Referral:
    return await _answer_referral(
        new_uow, principal, customer_id, number, lambda c: c.reject_referral(number, version, reason, principal.user_id, now())
    )
