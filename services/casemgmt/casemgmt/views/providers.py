"""Reads of providers, locations and program contracts (every signed-in user may read them), the activities
a location offers on a day, and the programs recommended to a customer."""

from datetime import date

from sqlalchemy import Connection, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from isets_contracts.reference import ActivityCode
from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from casemgmt import policy
from casemgmt.adapters.orm import customers, locations, program_contracts, providers
from casemgmt.domain.providers import Program, ProgramContract, Provider, Recommendation, fiscal_year_of, recommend


def _offered_at(location_id: str, on: date) -> Select:
    return select(program_contracts.c.activities_offered).where(
        program_contracts.c.location_id == location_id, program_contracts.c.fiscal_year == fiscal_year_of(on)
    )


def _offered(contracts_offer) -> set[ActivityCode]:
    return {code for codes in contracts_offer for code in codes}


async def activities_offered_at(session: AsyncSession, location_id: str, on: date) -> set[ActivityCode]:
    """The SNAP E&T and Other E&T activities the location's contracts of the fiscal year containing `on`
    offer (support services and referrals to services need no contract: see `available_without_contract`)."""
    return _offered(await session.scalars(_offered_at(location_id, on)))


def activities_offered(connection: Connection, location_id: str, on: date) -> set[ActivityCode]:
    """`activities_offered_at` in a read view."""
    return _offered(connection.scalars(_offered_at(location_id, on)))


def _one(connection: Connection, entity, key: str, field: str, what: str):
    with Session(connection) as session:
        found = session.get(entity, key)
    if found is None:
        raise NotFound(field, f"no {what} {key}")
    return found


def all_providers(connection: Connection) -> list[Provider]:
    with Session(connection) as session:
        return list(session.scalars(select(Provider).order_by(providers.c.name, providers.c.id)))


def provider(connection: Connection, provider_id: str) -> Provider:
    return _one(connection, Provider, provider_id, "provider_id", "provider")


_LOCATIONS = select(*locations.c, providers.c.name.label("provider_name")).join(
    providers, providers.c.id == locations.c.provider_id
)


def all_locations(connection: Connection, provider_id: str | None, open_only: bool | None) -> list[dict]:
    """Locations with their provider's name, by provider then location name; `open_only`: only open (True)
    or only closed (False) ones."""
    query = _LOCATIONS.order_by(providers.c.name, locations.c.name, locations.c.id)
    if provider_id is not None:
        query = query.where(locations.c.provider_id == provider_id)
    if open_only is not None:
        query = query.where(locations.c.open.is_(open_only))
    return [row._asdict() for row in connection.execute(query)]


def location(connection: Connection, location_id: str) -> dict:
    query = _LOCATIONS.where(locations.c.id == location_id)
    found = connection.execute(query).one_or_none()
    if found is None:
        raise NotFound("location_id", f"no location {location_id}")
    return found._asdict()


def all_contracts(connection: Connection, location_id: str | None, fiscal_year: int | None) -> list[ProgramContract]:
    query = select(ProgramContract).order_by(
        program_contracts.c.fiscal_year.desc(), program_contracts.c.location_id, program_contracts.c.program_name, program_contracts.c.id
    )
    if location_id is not None:
        query = query.where(program_contracts.c.location_id == location_id)
    if fiscal_year is not None:
        query = query.where(program_contracts.c.fiscal_year == fiscal_year)
    with Session(connection) as session:
        return list(session.scalars(query))


def contract(connection: Connection, contract_id: str) -> ProgramContract:
    return _one(connection, ProgramContract, contract_id, "contract_id", "program contract")


def recommended_programs(
    connection: Connection, principal: Principal, customer_id: str, skills: list[str], interests: list[str], today: date
) -> list[Recommendation]:
    """The current fiscal year's programs at open locations, ranked for the customer (see `recommend`)."""
    query = (
        select(
            program_contracts.c.id, program_contracts.c.program_name, providers.c.name, locations.c.id, locations.c.name,
            locations.c.county, program_contracts.c.skills, program_contracts.c.interests,
        )
        .join(locations, locations.c.id == program_contracts.c.location_id)
        .join(providers, providers.c.id == locations.c.provider_id)
        .where(locations.c.open.is_(True), program_contracts.c.fiscal_year == fiscal_year_of(today))
    )
    policy.check_customer_seen(connection, principal, customer_id)
    county = connection.scalar(select(customers.c.county).where(customers.c.id == customer_id))
    programs = [Program(*row) for row in connection.execute(query)]
    return recommend(programs, skills, interests, county)

