"""What the plan's tests need beyond api_fixtures: a location's E&T program contract offering activities
(written straight into the table until the providers' API lands), and a customer enrolled with a plan."""

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from isets_contracts.reference import ActivityCode, ProgramOffering, fiscal_year_of
from casemgmt.adapters.orm import locations, program_contracts, providers
from services.casemgmt.tests.api_fixtures import enrol, register


def offer(client: TestClient, location: str, *codes: ActivityCode, fiscal_year: int | None = None) -> None:
    fiscal_year = fiscal_year or fiscal_year_of(date.today())
    runtime = client.app.state.runtime

    async def write():
        async with runtime.sessions() as session, session.begin():
            known = await session.scalar(select(providers.c.id).where(providers.c.id == f"P-{location}"))
            if known is None:
                await session.execute(providers.insert().values(id=f"P-{location}", name=f"Provider of {location}"))
                await session.execute(
                    locations.insert().values(id=location, provider_id=f"P-{location}", name=location, county="Cook", open=True)
                )
            await session.execute(
                program_contracts.insert().values(
                    id=f"K-{location}-{fiscal_year}", contract_number="FY-1", fiscal_year=fiscal_year,
                    provider_id=f"P-{location}", location_id=location, program_name="SNAP E&T",
                    offering=ProgramOffering.TRAINING_AND_JOB_PLACEMENT, activities_offered=[c.value for c in codes],
                    schedule="", skills=[], interests=[], version=1, updated_at=datetime.now(UTC), updated_by="test",
                )
            )

    client.portal.call(write)


def enrolled(client: TestClient, customer_id: str = "c-1", location: str = "LOC-A") -> str:
    """A registered customer enrolled at `location`, whose contract offers JST and CS."""
    register(client, customer_id)
    enrol(client, customer_id, location)
    offer(client, location, ActivityCode.JOB_SEARCH_TRAINING, ActivityCode.COMMUNITY_SERVICE)
    return customer_id
