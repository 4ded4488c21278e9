"""Reads shaped for the screens: the customer list and its CSV export, a profile, referrals and their
forms. Each view is a plain function of a connection, run by the runtime's read views (`reads`) in its own
short read-only transaction (on SQLite one that never takes the write lock); the CSV export streams on the
read sessions. Changes go through service_layer.py."""

import csv
import io
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session

from isets_contracts.reference import EtStatus, Program, SnapEligibility, fiscal_year_bounds
from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from intake import policy
from intake.adapters.orm import benefit_history, customers, eligibility_history, enrollments, resource_contacts, status_history
from intake.adapters.orm import referral_records
from intake.adapters.orm import referrals as referral_rows
from intake.domain.customer import Customer, current_locations
from intake.domain.referral import Response
from intake.policy import Access

# --- one customer ----------------------------------------------------------------------------------
def customer(connection: Connection, principal: Principal, customer_id: str) -> tuple[Customer, Access]:
    """The customer and how much of them the caller sees."""
    query = policy.visible_to(principal, select(Customer).where(customers.c.id == customer_id), pending_referrals=True)
    with Session(connection) as session:
        found = session.scalar(query)
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


# The profile's statements are built once: a statement object keeps its compiled form's cache key, so a read
# spends no time building and keying them again (that was most of the profile's cost).
_CUSTOMER_ID = bindparam("customer_id")


def _history(table, *columns, order_by=None) -> Select:
    return select(*columns).where(table.c.customer_id == _CUSTOMER_ID).order_by(*(order_by or (table.c.id,)))


_status, _eligibility, _team, _benefits = status_history.c, eligibility_history.c, resource_contacts.c, benefit_history.c
_PROFILE_CUSTOMER = select(customers).where(customers.c.id == _CUSTOMER_ID)
_PROFILE_ENROLLMENTS = _history(
    enrollments, enrollments.c.location, enrollments.c.program, enrollments.c.enrolled_on, enrollments.c.exited_on,
    enrollments.c.completion_status,
)
_PROFILE_HISTORIES = (
    _history(
        status_history, _status.status, _status.effective_date, _status.cause, _status.actor,
        order_by=(_status.recorded_at, _status.id),
    ),
    _history(eligibility_history, _eligibility.status, _eligibility.as_of),
    _history(resource_contacts, _team.name, _team.email, _team.added_by, _team.added_at, _team.removed_at),
    _history(
        benefit_history, _benefits.amount, _benefits.effective_date, _benefits.set_by, _benefits.monthly_benefit_hours,
        _benefits.recorded_at,
    ),
    select(referral_rows.c.referred_to)
    .where(referral_rows.c.customer_id == _CUSTOMER_ID, referral_rows.c.response == Response.PENDING.value)
    .order_by(referral_rows.c.number),
)


def _in_scope(connection: Connection, principal: Principal, parameters: dict) -> tuple[Mapping, Sequence, Access]:
    """The customer's row (404 outside the caller's scope), their enrollments and how much the caller sees."""
    query = policy.visible_to(principal, _PROFILE_CUSTOMER, pending_referrals=True)
    found = connection.execute(query, parameters).mappings().one_or_none()
    if found is None:
        raise NotFound("customer_id", f"no customer {parameters['customer_id']}")
    enrolled = connection.execute(_PROFILE_ENROLLMENTS, parameters).all()
    return found, enrolled, policy.access_at(principal, current_locations(enrolled))


def profile(connection: Connection, principal: Principal, customer_id: str) -> ProfileRows:
    """The profile read with Core queries, no aggregate: the derived fields come from the same domain rules."""
    parameters = {"customer_id": customer_id}
    found, enrolled, access = _in_scope(connection, principal, parameters)
    if access is Access.PENDING_REFERRAL:
        return ProfileRows(access, found)
    statuses, eligibilities, contacts, benefit_changes, pending = [
        connection.execute(statement, parameters).all() for statement in _PROFILE_HISTORIES
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


@dataclass(frozen=True)
class ReferralRows:
    referral: Mapping
    records: list[Mapping]


_REFERRALS = select(referral_rows).where(referral_rows.c.customer_id == _CUSTOMER_ID).order_by(referral_rows.c.number)
# The child records without their form snapshots: a form is read on its own route.
_REFERRAL_RECORDS = (
    select(*(column for column in referral_records.c if column.name != "form"))
    .join(referral_rows, referral_rows.c.id == referral_records.c.referral_id)
    .where(referral_rows.c.customer_id == _CUSTOMER_ID)
    .order_by(referral_records.c.referral_id, referral_records.c.sequence)
)


def referrals(connection: Connection, principal: Principal, customer_id: str) -> list[ReferralRows]:
    """The referrals the caller may see, each with its child records."""
    parameters = {"customer_id": customer_id}
    _, _, access = _in_scope(connection, principal, parameters)
    records = defaultdict(list)
    for record in connection.execute(_REFERRAL_RECORDS, parameters).mappings():
        records[record["referral_id"]].append(record)
    return [
        ReferralRows(referral, records[referral["id"]])
        for referral in connection.execute(_REFERRALS, parameters).mappings()
        if policy.sees_referral(principal, access, referral["response"], referral["referred_to"])
    ]


def referral_form(connection: Connection, principal: Principal, customer_id: str, number: int, sequence: int) -> dict:
    """The referral form as it was at child record number.sequence."""
    found, _ = customer(connection, principal, customer_id)
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


def search_customers(connection: Connection, principal: Principal, search: CustomerSearch) -> tuple[list[dict], int]:
    query = _filtered(principal, search, [customers.c[c] for c in LIST_COLUMNS])
    total = connection.scalar(query.with_only_columns(func.count(), maintain_column_froms=True))
    page = connection.execute(
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
