"""intake handlers: one per command or consumed event; each is the one place its transaction begins and ends."""

import uuid
from collections.abc import Callable
from dataclasses import MISSING, fields
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select, update

from isets_contracts import Envelope
from isets_contracts.events import (
    ActivityStatusChanged,
    AssessmentRecorded,
    CredentialEarned,
    CustomerExited,
    EmploymentRecorded,
    EmploymentVerified,
    IesPersonChanged,
    LocationChanged,
)
from isets_contracts.reference import EtStatus, LevelOfProgress, Program, Role
from isets_kit.auth import Principal
from isets_kit.db import insert_rows, one_of, update_rows
from isets_kit.errors import NotFound
from isets_kit.unit_of_work import UnitOfWork
from intake import policy
from intake.adapters.orm import customers, eligibility_history, provider_locations, status_history
from intake.domain.customer import IES_FIELDS, Customer, ies_profile_changed, ies_registration, take_ies_values
from intake.domain.referral import Referral, check_referable

UnitOfWorkFactory = Callable[[], UnitOfWork]


def now() -> datetime:
    return datetime.now(UTC)


async def _customers_for_update(uow: UnitOfWork, key, values: set[str]) -> dict[str, Customer]:
    """Load (and lock) every customer a run of consumed events touches, in one query."""
    found = await uow.session.scalars(
        select(Customer).where(one_of(key, values)).order_by(customers.c.id).with_for_update(of=customers)
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
    """Create or update each customer keyed by IDHS individual number (IES-mastered fields only).

    Set-based: an IES extract sends hundreds of thousands of these, so the customers are read and written
    with a few Core statements per batch, as plain records; the domain's rules (`ies_registration`,
    `take_ies_values`) decide each change, and a customer's referrals, enrollments and histories stay unread."""
    await uow.session.flush()  # customers changed through the ORM earlier in this transaction are written first
    rows = await uow.session.execute(
        select(*(customers.c[name] for name in IES_UPDATE))
        .where(one_of(customers.c.individual_number, {e.data.individual_number for e in envelopes}))
        .order_by(customers.c.id)
        .with_for_update()
    )
    kept = {row.individual_number: SimpleNamespace(**row._asdict()) for row in rows}
    before = {number: vars(record).copy() for number, record in kept.items()}
    registered: dict[str, dict] = {}
    eligibility, status = [], []
    for envelope in uow.following(envelopes):
        person = envelope.data
        record = kept.get(person.individual_number)
        if record is None:
            registration = ies_registration(str(uuid.uuid4()), person, now())
            registered[person.individual_number] = registration.values
            kept[person.individual_number] = record = SimpleNamespace(**registration.values, version=1)
            eligibility.append(registration.eligibility | {"customer_id": record.id})
            status.append(registration.status | {"customer_id": record.id})
            events = registration.events
        else:
            changed = take_ies_values(record, person)
            if "snap_eligibility" in changed:
                eligibility.append({"customer_id": record.id, "status": person.snap_eligibility, "as_of": person.as_of})
            events = [ies_profile_changed(record.id, changed)] if changed else []
        for payload in events:
            uow.publish(payload, subject=record.id)
    if registered:
        await insert_rows(uow.session, customers, [NEW_CUSTOMER | vars(kept[number]) for number in registered])
    await update_rows(
        uow.session,
        customers,
        [
            {name: value for name, value in vars(kept[number]).items() if name != "individual_number"}
            for number in before if vars(kept[number]) != before[number]
        ],
        key="id",
    )
    await insert_rows(uow.session, eligibility_history, eligibility)
    await insert_rows(uow.session, status_history, status)
    touched = {record.id for record in kept.values()}
    for instance in list(uow.session.identity_map.values()):
        if isinstance(instance, Customer) and instance.id in touched:
            uow.session.expire(instance)  # loaded through the ORM before: read again after these Core writes


# What an IES event reads of a customer and may change; a new customer's other columns start as the domain's defaults.
IES_UPDATE = ("id", "individual_number", *IES_FIELDS, "ies_snap_case_number", "ies_as_of", "version")
NEW_CUSTOMER = {
    field.name: field.default for field in fields(Customer) if field.name in customers.c and field.default is not MISSING
}


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
on_assessment_recorded = _on_customer_event(lambda c, e: c.record_assessment(e, now()))

async def on_locations_changed(uow: UnitOfWork, envelopes: list[Envelope[LocationChanged]]) -> None:
    """Keep casemgmt's provider locations: referrals go only to those that exist and are open."""
    for envelope in uow.following(envelopes):
        location = envelope.data
        values = {"provider_id": location.provider_id, "name": location.name, "county": location.county, "open": location.open}
        updated = await uow.session.execute(
            update(provider_locations).where(provider_locations.c.id == location.location_id).values(values)
        )
        if updated.rowcount == 0:
            await uow.session.execute(provider_locations.insert().values(id=location.location_id, **values))


EVENT_HANDLERS = {
    IesPersonChanged: on_ies_persons_changed,
    LocationChanged: on_locations_changed,
    ActivityStatusChanged: on_activity_status_changed,
    CustomerExited: on_customer_exited,
    EmploymentRecorded: on_employment_recorded,
    EmploymentVerified: on_employment_verified,
    CredentialEarned: on_credential_earned,
    AssessmentRecorded: on_assessment_recorded,
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
async def _location_open(uow: UnitOfWork, location: str) -> bool | None:
    return await uow.session.scalar(select(provider_locations.c.open).where(provider_locations.c.id == location))


async def send_referral(
    new_uow, principal: Principal, customer_id: str, referred_to: str, referred_from: str, program: Program
) -> Referral:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        customer = await policy.customer_in_scope(uow.session, principal, customer_id, for_update=True)
        policy.check_refers_from_own_location(principal, referred_from)
        check_referable(referred_to, await _location_open(uow, referred_to))
        referral = customer.send_referral(referred_to, referred_from, program, principal.user_id, now())
        await uow.commit()
        return referral


async def resend_referral(new_uow, principal: Principal, customer_id: str, number: int, version: int) -> Referral:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        customer = await policy.customer_in_scope(uow.session, principal, customer_id, for_update=True)
        referral = customer.referral(number)
        policy.check_resends(principal, referral)
        check_referable(referral.referred_to, await _location_open(uow, referral.referred_to))
        customer.resend_referral(number, version, principal.user_id, now())
        await uow.commit()
        return referral


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
