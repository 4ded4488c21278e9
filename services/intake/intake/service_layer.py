"""intake handlers: one per command or consumed event; each is the one place its transaction begins and ends."""

import csv
import io
import uuid
from types import SimpleNamespace
from collections.abc import AsyncIterator, Callable
from dataclasses import MISSING, dataclass, fields
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Select, and_, bindparam, exists, func, or_, select, update

from isets_contracts import Envelope
from isets_contracts.events import (
    ActivityStatusChanged,
    CredentialEarned,
    CustomerExited,
    EmploymentRecorded,
    EmploymentVerified,
    IesPersonChanged,
)
from isets_contracts.reference import LOCATION_SCOPED_ROLES, EtStatus, LevelOfProgress, Program, Role, fiscal_year_bounds
from isets_kit.auth import Principal
from isets_kit.db import insert_rows
from isets_kit.errors import Forbidden, NotFound
from isets_kit.unit_of_work import UnitOfWork
from intake.adapters.orm import customers, eligibility_history, enrollments, referrals, status_history
from intake.domain.customer import IES_FIELDS, Customer, ies_profile_changed, ies_registration, take_ies_values
from intake.domain.referral import Referral, Response

UnitOfWorkFactory = Callable[[], UnitOfWork]


def now() -> datetime:
    return datetime.now(UTC)


# --- access by location ----------------------------------------------------------------------------
# Who may change a customer record (within their scope); IDHS admins only set Earnfare benefits.
EDITORS = frozenset({Role.STATEWIDE} | LOCATION_SCOPED_ROLES)


def visible_to(principal: Principal, query: Select, *, with_pending_referrals: bool = True) -> Select:
    """Rule: location-scoped staff see and change only customers assigned to their locations; a customer with a
    referral awaiting their answer they may read and answer, nothing more. A customer sees only themself;
    statewide staff and IDHS admins see all."""
    if principal.location_scoped:
        scope = exists().where(
            enrollments.c.customer_id == customers.c.id,
            enrollments.c.location.in_(principal.locations),
            enrollments.c.exited_on.is_(None),
        )
        if with_pending_referrals:
            referred_here = exists().where(
                referrals.c.customer_id == customers.c.id,
                referrals.c.referred_to.in_(principal.locations),
                referrals.c.response == Response.PENDING.value,
            )
            scope = or_(scope, referred_here)
        return query.where(scope)
    if principal.role == Role.CUSTOMER:
        return query.where(customers.c.id == principal.customer_id)
    return query


async def _customer(
    uow: UnitOfWork, principal: Principal, customer_id: str, for_update: bool = False, with_pending_referrals: bool = True
) -> Customer:
    """Rule: a customer outside the caller's scope answers 404, never revealing that it exists."""
    query = visible_to(
        principal, select(Customer).where(customers.c.id == customer_id), with_pending_referrals=with_pending_referrals
    )
    if for_update:
        query = query.with_for_update(of=customers)
    customer = await uow.session.scalar(query)
    if customer is None:
        raise NotFound("customer_id", f"no customer {customer_id}")
    return customer


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
    roles: frozenset[Role] = EDITORS,
    answering_referral: bool = False,
) -> Customer:
    """Load the customer (locked, in scope), apply one change, commit (the unit of work announces its events)."""
    if principal.role not in roles:
        raise Forbidden("role", f"{principal.role.value} may not change this; allowed: {sorted(r.value for r in roles)}")
    async with new_uow() as uow:
        customer = await _customer(uow, principal, customer_id, for_update=True, with_pending_referrals=answering_referral)
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
        .where(customers.c.individual_number.in_({e.data.individual_number for e in envelopes}))
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
    changed_records = [
        {f"b_{name}": value for name, value in vars(kept[number]).items()}
        for number in before if vars(kept[number]) != before[number]
    ]
    if changed_records:
        await uow.session.execute(
            update(customers)
            .where(customers.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}") for name in IES_UPDATE if name not in ("id", "individual_number")}),
            changed_records,
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

EVENT_HANDLERS = {
    IesPersonChanged: on_ies_persons_changed,
    ActivityStatusChanged: on_activity_status_changed,
    CustomerExited: on_customer_exited,
    EmploymentRecorded: on_employment_recorded,
    EmploymentVerified: on_employment_verified,
    CredentialEarned: on_credential_earned,
}


# --- profile and status section --------------------------------------------------------------------
async def get_customer(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str) -> Customer:
    async with new_uow() as uow:
        return await _customer(uow, principal, customer_id)


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
        roles=frozenset({Role.IDHS_ADMIN}),
    )


# --- referrals -------------------------------------------------------------------------------------
def _check_answering_location(principal: Principal, referral: Referral) -> None:
    if principal.location_scoped and referral.referred_to not in principal.locations:
        raise Forbidden("referral", f"only staff of {referral.referred_to} (or statewide staff) answer this referral")


async def send_referral(
    new_uow, principal: Principal, customer_id: str, referred_to: str, referred_from: str, program: Program
) -> Referral:
    def send(customer: Customer) -> None:
        if principal.location_scoped and referred_from not in principal.locations:
            raise Forbidden("referred_from", f"you refer from your own locations: {sorted(principal.locations)}")
        customer.send_referral(referred_to, referred_from, program, principal.user_id, now())

    return (await _change(new_uow, principal, customer_id, send)).referrals[-1]


async def resend_referral(new_uow, principal: Principal, customer_id: str, number: int, version: int) -> Referral:
    def resend(customer: Customer) -> None:
        referral = customer.referral(number)
        if principal.location_scoped and referral.referred_from not in principal.locations:
            raise Forbidden("referral", f"only staff of {referral.referred_from} (or statewide staff) resend it")
        customer.resend_referral(number, version, principal.user_id, now())

    return (await _change(new_uow, principal, customer_id, resend)).referral(number)


async def _answer_referral(new_uow, principal: Principal, customer_id: str, number: int, answer) -> Referral:
    def checked(customer: Customer) -> None:
        _check_answering_location(principal, customer.referral(number))
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


# --- customer list ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CustomerSearch:
    name: str | None = None
    provider: str | None = None
    include_fcrcs: bool = True
    snap_case_number: str | None = None
    individual_number: str | None = None
    fiscal_year: int | None = None
    et_status: EtStatus | None = None
    page: int = 1
    page_size: int = 25
    sort: str = "last_name"


SORTABLE = {
    "last_name": (customers.c.last_name, customers.c.first_name),
    "first_name": (customers.c.first_name, customers.c.last_name),
    "individual_number": (customers.c.individual_number,),
    "et_status": (customers.c.et_status, customers.c.last_name),
    "et_status_date": (customers.c.et_status_date.desc(), customers.c.last_name),
    "enrollment_date": (customers.c.enrollment_date.desc(), customers.c.last_name),
}


def _filtered(principal: Principal, search: CustomerSearch) -> Select:
    query = visible_to(principal, select(customers))
    if search.name:
        for word in search.name.lower().split():
            pattern = f"%{word}%"
            query = query.where(
                or_(func.lower(customers.c.first_name).like(pattern), func.lower(customers.c.last_name).like(pattern))
            )
    if search.provider:
        query = query.where(
            exists().where(
                enrollments.c.customer_id == customers.c.id,
                enrollments.c.location == search.provider,
                enrollments.c.exited_on.is_(None),
            )
        )
    if not search.include_fcrcs:
        # FCRC customers are still with their DHS office: never enrolled with a provider.
        query = query.where(exists().where(enrollments.c.customer_id == customers.c.id))
    if search.snap_case_number:
        query = query.where(customers.c.snap_case_number == search.snap_case_number)
    if search.individual_number:
        query = query.where(customers.c.individual_number == search.individual_number)
    if search.fiscal_year:
        start, end = fiscal_year_bounds(search.fiscal_year)
        query = query.where(and_(customers.c.enrollment_date >= start, customers.c.enrollment_date <= end))
    if search.et_status:
        query = query.where(customers.c.et_status == search.et_status.value)
    return query


async def search_customers(new_uow: UnitOfWorkFactory, principal: Principal, search: CustomerSearch) -> tuple[list[dict], int]:
    query = _filtered(principal, search)
    async with new_uow() as uow:
        total = await uow.session.scalar(select(func.count()).select_from(query.subquery()))
        page = await uow.session.execute(
            query.order_by(*SORTABLE[search.sort], customers.c.id).limit(search.page_size).offset((search.page - 1) * search.page_size)
        )
        return [row._asdict() for row in page], total


EXPORT_COLUMNS = (
    "individual_number", "first_name", "last_name", "snap_case_number", "county", "dhs_office",
    "snap_eligibility", "et_status", "et_status_date", "enrollment_date", "level_of_progress",
)


def _csv_cell(value) -> str:
    """Text a spreadsheet would run as a formula is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


async def export_customers(new_uow: UnitOfWorkFactory, principal: Principal, search: CustomerSearch) -> AsyncIterator[str]:
    """CSV of every customer the search finds within the caller's scope, streamed in pages."""
    query = _filtered(principal, search).order_by(*SORTABLE[search.sort], customers.c.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    async with new_uow() as uow:
        result = await uow.session.stream(query.execution_options(yield_per=1000))
        async for row in result:
            writer.writerow([_csv_cell(row._mapping[c]) for c in EXPORT_COLUMNS])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
