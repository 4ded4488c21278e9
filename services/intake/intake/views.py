"""Reads shaped for the screens: the customer list and its CSV export, a profile, referrals and their
forms. Each read runs in its own short read-only transaction (the runtime's read sessions: on SQLite
they never take the write lock); changes go through service_layer.py."""

import csv
import io
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_contracts.reference import EtStatus, Program, SnapEligibility, fiscal_year_bounds
from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from intake import policy
from intake.adapters.orm import benefit_history, customers, eligibility_history, enrollments, resource_contacts, status_history
from intake.adapters.orm import referrals as referral_rows
from intake.domain.customer import Customer, current_locations
from intake.domain.referral import Referral, Response
from intake.policy import Access

# --- one customer ----------------------------------------------------------------------------------
async def customer(
    read_sessions: async_sessionmaker, principal: Principal, customer_id: str
) -> tuple[Customer, Access]:
    """The customer and how much of them the caller sees."""
    query = policy.visible_to(principal, select(Customer).where(customers.c.id == customer_id), pending_referrals=True)
    async with read_sessions() as session, session.begin():
        found = await session.scalar(query)
    if found is None:
        raise NotFound("customer_id", f"no customer {customer_id}")
    return found, policy.access_to(principal, found)


@dataclass(frozen=True)
class ProfileRows:
    """What the profile screen shows, as rows: the customer's columns and histories; of the referrals only
    where they are pending (never the records with their form snapshots), nor the open activities. A
    location with only a pending referral gets the customer's columns alone."""

    access: Access
    customer: Mapping
    status_history: Sequence = ()
    eligibility_history: Sequence = ()
    enrollments: Sequence = ()
    resource_team: Sequence = ()
    benefit_history: Sequence = ()
    pending_referral_locations: list[str] = field(default_factory=list)


def _history(table, customer_id: str, *columns, order_by=None) -> Select:
    return select(*columns).where(table.c.customer_id == customer_id).order_by(*(order_by or (table.c.id,)))


async def profile(read_sessions: async_sessionmaker, principal: Principal, customer_id: str) -> ProfileRows:
    """The profile read with Core queries, no aggregate: the derived fields come from the same domain rules."""
    query = policy.visible_to(principal, select(customers).where(customers.c.id == customer_id), pending_referrals=True)
    async with read_sessions() as session, session.begin():
        connection = await session.connection()
        found = (await connection.execute(query)).mappings().one_or_none()
        if found is None:
            raise NotFound("customer_id", f"no customer {customer_id}")
        enrolled = (
            await connection.execute(
                _history(
                    enrollments,
                    customer_id,
                    enrollments.c.location,
                    enrollments.c.program,
                    enrollments.c.enrolled_on,
                    enrollments.c.exited_on,
                    enrollments.c.completion_status,
                )
            )
        ).all()
        access = policy.access_at(principal, current_locations(enrolled))
        if access is Access.PENDING_REFERRAL:
            return ProfileRows(access, found)
        status = status_history.c
        eligibility = eligibility_history.c
        team = resource_contacts.c
        benefits = benefit_history.c
        statements = (
            _history(
                status_history, customer_id, status.status, status.effective_date, status.cause, status.actor,
                order_by=(status.recorded_at, status.id),
            ),
            _history(eligibility_history, customer_id, eligibility.status, eligibility.as_of),
            _history(resource_contacts, customer_id, team.name, team.email, team.added_by, team.added_at, team.removed_at),
            _history(
                benefit_history, customer_id, benefits.amount, benefits.effective_date, benefits.set_by,
                benefits.monthly_benefit_hours, benefits.recorded_at,
            ),
            select(referral_rows.c.referred_to)
            .where(referral_rows.c.customer_id == customer_id, referral_rows.c.response == Response.PENDING.value)
            .order_by(referral_rows.c.number),
        )
        statuses, eligibilities, contacts, benefit_changes, pending = [
            (await connection.execute(statement)).all() for statement in statements
        ]
    return ProfileRows(
        access,
        found,
        status_history=statuses,
        eligibility_history=eligibilities,
        enrollments=enrolled,
        resource_team=contacts,
        benefit_history=benefit_changes,
        pending_referral_locations=[row.referred_to for row in pending],
    )


async def referrals(read_sessions: async_sessionmaker, principal: Principal, customer_id: str) -> list[Referral]:
    found, access = await customer(read_sessions, principal, customer_id)
    return policy.referrals_seen(principal, found, access)


async def referral_form(
    read_sessions: async_sessionmaker, principal: Principal, customer_id: str, number: int, sequence: int
) -> dict:
    """The referral form as it was at child record number.sequence."""
    found, _ = await customer(read_sessions, principal, customer_id)
    records = policy.referral_seen(principal, found, number).records
    if not 1 <= sequence <= len(records):
        raise NotFound("sequence", f"no record {number}.{sequence}")
    return records[sequence - 1].form


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
    program: Program | None = None
    snap_eligibility: SnapEligibility | None = None
    page: int = 1
    page_size: int = 25
    sort: str = "last_name"
    descending: bool = False


# Sort keys in ascending order; a descending sort reverses every key (the indexes serve both directions).


SORTABLE = {
    "last_name": (customers.c.last_name, customers.c.first_name),
    "first_name": (customers.c.first_name, customers.c.last_name),
    "individual_number": (customers.c.individual_number,),
    "et_status": (customers.c.et_status, customers.c.last_name),
    "et_status_date": (customers.c.et_status_date, customers.c.last_name),
    "enrollment_date": (customers.c.enrollment_date, customers.c.last_name),
}


def _ordering(search: CustomerSearch) -> list:
    keys = (*SORTABLE[search.sort], customers.c.id)
    return [key.desc() for key in keys] if search.descending else list(keys)


def _filtered(principal: Principal, search: CustomerSearch, columns) -> Select:
    query = policy.visible_to(principal, select(*columns))
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
    if search.program:
        query = query.where(
            exists().where(
                enrollments.c.customer_id == customers.c.id,
                enrollments.c.program == search.program,
                enrollments.c.exited_on.is_(None),
            )
        )
    if search.snap_eligibility:
        query = query.where(customers.c.snap_eligibility == search.snap_eligibility)
    return query


LIST_COLUMNS = (
    "id", "individual_number", "first_name", "last_name", "snap_case_number", "county", "dhs_office",
    "et_status", "et_status_date", "enrollment_date",
)


async def search_customers(
    read_sessions: async_sessionmaker, principal: Principal, search: CustomerSearch
) -> tuple[list[dict], int]:
    query = _filtered(principal, search, [customers.c[c] for c in LIST_COLUMNS])
    async with read_sessions() as session, session.begin():
        total = await session.scalar(query.with_only_columns(func.count(), maintain_column_froms=True))
        page = await session.execute(
            query.order_by(*_ordering(search)).limit(search.page_size).offset((search.page - 1) * search.page_size)
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


async def export_customers(
    read_sessions: async_sessionmaker, principal: Principal, search: CustomerSearch
) -> AsyncIterator[str]:
    """CSV of every customer the search finds within the caller's scope, streamed in pages."""
    query = _filtered(principal, search, [customers.c[c] for c in EXPORT_COLUMNS]).order_by(*_ordering(search))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    async with read_sessions() as session, session.begin():
        result = await session.stream(query.execution_options(yield_per=1000))
        async for row in result:
            writer.writerow([_csv_cell(row._mapping[c]) for c in EXPORT_COLUMNS])
            if buffer.tell() > 64 * 1024:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
