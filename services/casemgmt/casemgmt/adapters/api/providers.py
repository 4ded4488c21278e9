"""Providers, their locations and E&T program contracts (statewide staff maintain them, a provider's program
manager edits their own locations' contracts, everyone signed in reads them), and the programs recommended
to a customer."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from isets_kit.http import input_guard
from isets_kit.text import plain_text
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.providers import (
    ContractEdit,
    ContractIn,
    ContractOut,
    LocationEdit,
    LocationIn,
    LocationOut,
    ProviderEdit,
    ProviderIn,
    ProviderOut,
    RecommendedProgram,
)
from casemgmt.service_layer import providers as service
from casemgmt.views import providers as views

providers = APIRouter(prefix="/providers", tags=["providers"], dependencies=[input_guard])
locations = APIRouter(prefix="/locations", tags=["providers"], dependencies=[input_guard])
contracts = APIRouter(prefix="/program-contracts", tags=["providers"], dependencies=[input_guard])
recommendations = APIRouter(prefix="/plans", tags=["employment plan"], dependencies=[input_guard])

RecordKey = Annotated[str, Path(min_length=1, max_length=40)]
LocationFilter = plain_text(max_length=40)
Terms = plain_text(max_length=1000, min_length=0)


@providers.get("", response_model=list[ProviderOut])
async def list_providers(reads: Reads, _: Caller):
    return await reads(views.all_providers)


@providers.post("", response_model=ProviderOut, status_code=201)
async def register_provider(uow: UnitOfWorkFactory, body: ProviderIn, principal: Caller):
    """Statewide staff register a provider (grantee)."""
    return await service.register_provider(uow, principal, body.name)


@providers.get("/{provider_id}", response_model=ProviderOut)
async def get_provider(reads: Reads, provider_id: RecordKey, _: Caller):
    return await reads(views.provider, provider_id)


@providers.patch("/{provider_id}", response_model=ProviderOut)
async def rename_provider(uow: UnitOfWorkFactory, provider_id: RecordKey, body: ProviderEdit, principal: Caller):
    return await service.rename_provider(uow, principal, provider_id, body.name, body.version)


@providers.post("/{provider_id}/locations", response_model=LocationOut, status_code=201)
async def open_location(uow: UnitOfWorkFactory, reads: Reads, provider_id: RecordKey, body: LocationIn, principal: Caller):
    """Statewide staff open a location of the provider; referrals may go to it once intake learns of it."""
    location = await service.open_location(uow, principal, provider_id, body.id, body.name, body.county, body.address)
    return await reads(views.location, location.id)


@locations.get("", response_model=list[LocationOut])
async def list_locations(
    reads: Reads,
    _: Caller,
    provider_id: LocationFilter | None = Query(None),
    open: bool | None = Query(None, description="true: only open locations (those referrals may go to); false: only closed"),
):
    return await reads(views.all_locations, provider_id, open)


@locations.get("/{location_id}", response_model=LocationOut)
async def get_location(reads: Reads, location_id: RecordKey, _: Caller):
    return await reads(views.location, location_id)


@locations.patch("/{location_id}", response_model=LocationOut)
async def edit_location(uow: UnitOfWorkFactory, reads: Reads, location_id: RecordKey, body: LocationEdit, principal: Caller):
    """Statewide staff rename, move or close a location (`open: false`: no new referrals to it)."""
    await service.edit_location(uow, principal, location_id, body.changes, body.version)
    return await reads(views.location, location_id)


@contracts.get("", response_model=list[ContractOut])
async def list_contracts(
    reads: Reads,
    _: Caller,
    location: LocationFilter | None = Query(None, description="the location's code"),
    fiscal_year: int | None = Query(None, ge=2000, le=2100, description="FY named by the year it ends"),
):
    return await reads(views.all_contracts, location, fiscal_year)


@contracts.post("", response_model=ContractOut, status_code=201)
async def sign_contract(uow: UnitOfWorkFactory, body: ContractIn, principal: Caller):
    """Statewide staff record a location's E&T program contract for a fiscal year."""
    return await service.sign_contract(uow, principal, body.location_id, body.terms)


@contracts.get("/{contract_id}", response_model=ContractOut)
async def get_contract(reads: Reads, contract_id: RecordKey, _: Caller):
    return await reads(views.contract, contract_id)


@contracts.patch("/{contract_id}", response_model=ContractOut)
async def edit_contract(uow: UnitOfWorkFactory, contract_id: RecordKey, body: ContractEdit, principal: Caller):
    return await service.edit_contract(uow, principal, contract_id, body.changes, body.version)


@recommendations.get("/{customer_id}/recommended-providers", response_model=list[RecommendedProgram])
async def recommended_providers(
    reads: Reads,
    customer_id: CustomerId,
    principal: Caller,
    skills: Terms = Query("", description="the customer's skills, comma-separated"),
    interests: Terms = Query("", description="the customer's interests, comma-separated"),
):
    """This fiscal year's programs at open locations: those matching more of the skills and interests first,
    then those in the customer's county, then by provider name."""
    ranked = await reads(
        views.recommended_programs, principal, customer_id, skills.split(","), interests.split(","), date.today()
    )
    return [
        RecommendedProgram(**r.program._asdict(), matching_skills=r.matching_skills, matching_interests=r.matching_interests,
                           same_county=r.same_county)
        for r in ranked
    ]
