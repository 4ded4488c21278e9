"""casemgmt's read model of intake's customers: who they are and which locations they are assigned to."""

from sqlalchemy import select, update

from isets_contracts import Envelope
from isets_contracts.events import CustomerEnrolled, CustomerExited, CustomerRegistered
from isets_kit.db import insert_rows, one_of
from isets_kit.unit_of_work import UnitOfWork
from casemgmt.adapters.orm import assignments, customers
from casemgmt.service_layer.plan import add_enrolment_goal


async def on_customers_registered(uow: UnitOfWork, envelopes: list[Envelope[CustomerRegistered]]) -> None:
    """Set-based: an IES extract registers customers by the hundred thousand."""
    wanted = {e.data.customer_id: e.data for e in envelopes}
    known = set(await uow.session.scalars(select(customers.c.id).where(one_of(customers.c.id, wanted))))
    await insert_rows(
        uow.session,
        customers,
        [
            {
                "id": c.customer_id, "individual_number": c.individual_number,
                "first_name": c.first_name, "last_name": c.last_name, "county": c.county,
            }
            for c in wanted.values()
            if c.customer_id not in known
        ],
    )


async def on_customer_enrolled(uow: UnitOfWork, envelopes: list[Envelope[CustomerEnrolled]]) -> None:
    for envelope in uow.following(envelopes):
        enrolment = envelope.data
        already = await uow.session.scalar(
            select(assignments.c.id).where(
                assignments.c.customer_id == enrolment.customer_id,
                assignments.c.location == enrolment.location,
                assignments.c.exited_on.is_(None),
            )
        )
        if already is None:
            await uow.session.execute(
                assignments.insert().values(
                    customer_id=enrolment.customer_id,
                    location=enrolment.location,
                    program=enrolment.program,
                    enrollment_date=enrolment.enrollment_date,
                )
            )
            await add_enrolment_goal(uow, enrolment.customer_id, enrolment.location)


async def on_customer_exited(uow: UnitOfWork, envelopes: list[Envelope[CustomerExited]]) -> None:
    for envelope in uow.following(envelopes):
        exit_ = envelope.data
        await uow.session.execute(
            update(assignments)
            .where(
                assignments.c.customer_id == exit_.customer_id,
                assignments.c.location == exit_.location,
                assignments.c.exited_on.is_(None),
            )
            .values(exited_on=exit_.program_completion_date)
        )


EVENT_HANDLERS = {
    CustomerRegistered: on_customers_registered,
    CustomerEnrolled: on_customer_enrolled,
    CustomerExited: on_customer_exited,
}
