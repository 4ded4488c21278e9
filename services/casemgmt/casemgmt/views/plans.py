"""The plan's header: who the customer is and where they are enrolled."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.auth import Principal
from casemgmt import policy
from casemgmt.adapters.orm import customers


async def plan_header(read_sessions: async_sessionmaker, principal: Principal, customer_id: str) -> dict:
    async with read_sessions() as session, session.begin():
        await policy.check_customer_in_scope(session, principal, customer_id)
        customer = (await session.execute(select(customers).where(customers.c.id == customer_id))).one()
        locations = await policy.customer_locations(session, customer_id)
    return customer._asdict() | {"locations": locations}
