"""intake handlers: one per command or consumed event; each is the one place its transaction begins and ends."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, exists, func, or_, select

from isets_contracts import Envelope
from isets_contracts.events import IesPerson, IesPersonChanged
from isets_contracts.reference import EtStatus, Role
from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from isets_kit.unit_of_work import UnitOfWork
from intake.adapters.orm import customer_locations, customers
from intake.domain.customer import Customer

UnitOfWorkFactory = Callable[[], UnitOfWork]


def _flush_events(uow: UnitOfWork, customer: Customer) -> None:
    for payload in customer.pending_events:
        uow.publish(payload, subject=customer.id)
    customer.pending_events.clear()


async def on_ies_person_changed(uow: UnitOfWork, envelope: Envelope[IesPersonChanged]) -> None:
    """Create or update the customer keyed by IDHS individual number (IES-mastered fields only)."""
    person = IesPerson.model_validate(envelope.data.model_dump())
    customer = await uow.session.scalar(select(Customer).where(customers.c.individual_number == person.individual_number))
    if customer is None:
        customer = Customer.register_from_ies(str(uuid.uuid4()), person, datetime.now(UTC))
        uow.session.add(customer)
    else:
        customer.apply_ies(person)
    _flush_events(uow, customer)


def visible_to(principal: Principal, query: Select) -> Select:
    """Rule: location-scoped staff see only customers assigned to their locations; a customer only themself."""
    if principal.location_scoped:
        assigned = exists().where(
            customer_locations.c.customer_id == customers.c.id,
            customer_locations.c.location.in_(principal.locations),
        )
        return query.where(assigned)
    if principal.role == Role.CUSTOMER:
        return query.where(customers.c.id == principal.customer_id)
    return query


@dataclass(frozen=True)
class CustomerSearch:
    name: str | None = None
    snap_case_number: str | None = None
    individual_number: str | None = None
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
}


async def search_customers(new_uow: UnitOfWorkFactory, principal: Principal, search: CustomerSearch) -> tuple[list[dict], int]:
    query = visible_to(principal, select(customers))
    if search.name:
        for word in search.name.lower().split():
            pattern = f"%{word}%"
            query = query.where(or_(func.lower(customers.c.first_name).like(pattern), func.lower(customers.c.last_name).like(pattern)))
    if search.snap_case_number:
        query = query.where(customers.c.snap_case_number == search.snap_case_number)
    if search.individual_number:
        query = query.where(customers.c.individual_number == search.individual_number)
    if search.et_status:
        query = query.where(customers.c.et_status == search.et_status.value)
    async with new_uow() as uow:
        total = await uow.session.scalar(select(func.count()).select_from(query.subquery()))
        page = await uow.session.execute(
            query.order_by(*SORTABLE[search.sort], customers.c.id)
            .limit(search.page_size)
            .offset((search.page - 1) * search.page_size)
        )
        return [row._asdict() for row in page], total


async def get_customer(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str) -> Customer:
    """Rule: a customer outside the caller's scope answers 404, never revealing that it exists."""
    async with new_uow() as uow:
        customer = await uow.session.scalar(visible_to(principal, select(Customer).where(customers.c.id == customer_id)))
        if customer is None:
            raise NotFound("customer_id", f"no customer {customer_id}")
        return customer
