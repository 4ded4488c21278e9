"""Providers, locations and program contracts: statewide staff maintain them; a provider's program manager
edits the contracts of their own locations. Every change announces itself (subject: the record's id)."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from isets_contracts.reference import Role
from isets_kit.auth import Principal
from isets_kit.errors import Conflict, Forbidden, NotFound
from casemgmt import policy
from casemgmt.clock import now
from casemgmt.domain.providers import PROGRAM_MANAGER_FIELDS, Location, ProgramContract, Provider

STATEWIDE_ONLY = frozenset({Role.STATEWIDE})
CONTRACT_EDITORS = frozenset({Role.STATEWIDE, Role.PROGRAM_MANAGER})


async def _get(session: AsyncSession, entity, key: str, field: str, what: str, *, for_update: bool = False):
    found = await session.get(entity, key, with_for_update=for_update)
    if found is None:
        raise NotFound(field, f"no {what} {key}")
    return found


async def register_provider(new_uow, principal: Principal, name: str) -> Provider:
    policy.check_role(principal, STATEWIDE_ONLY)
    async with new_uow() as uow:
        provider = Provider.register(str(uuid.uuid4()), name)
        uow.session.add(provider)
        await uow.commit()
        return provider


async def rename_provider(new_uow, principal: Principal, provider_id: str, name: str, version: int) -> Provider:
    policy.check_role(principal, STATEWIDE_ONLY)
    async with new_uow() as uow:
        provider = await _get(uow.session, Provider, provider_id, "provider_id", "provider", for_update=True)
        provider.rename(name, version)
        await uow.commit()
        return provider


async def open_location(
    new_uow, principal: Principal, provider_id: str, location_id: str, name: str, county: str, address: str
) -> Location:
    policy.check_role(principal, STATEWIDE_ONLY)
    async with new_uow() as uow:
        provider = await _get(uow.session, Provider, provider_id, "provider_id", "provider")
        if await uow.session.get(Location, location_id) is not None:
            raise Conflict("id", f"location {location_id} exists already")
        location = Location.create(location_id, provider, name, county, address)
        uow.session.add(location)
        await uow.commit()
        return location


async def edit_location(new_uow, principal: Principal, location_id: str, changes: dict, version: int) -> Location:
    policy.check_role(principal, STATEWIDE_ONLY)
    async with new_uow() as uow:
        location = await _get(uow.session, Location, location_id, "location_id", "location", for_update=True)
        location.edit(changes, version)
        await uow.commit()
        return location


async def sign_contract(new_uow, principal: Principal, location_id: str, terms: dict) -> ProgramContract:
    policy.check_role(principal, STATEWIDE_ONLY)
    async with new_uow() as uow:
        location = await _get(uow.session, Location, location_id, "location_id", "location")
        contract = ProgramContract.sign(str(uuid.uuid4()), location, terms, principal.user_id, now())
        uow.session.add(contract)
        await uow.commit()
        return contract


async def edit_contract(new_uow, principal: Principal, contract_id: str, changes: dict, version: int) -> ProgramContract:
    policy.check_role(principal, CONTRACT_EDITORS)
    async with new_uow() as uow:
        contract = await _get(uow.session, ProgramContract, contract_id, "contract_id", "program contract", for_update=True)
        if principal.role == Role.PROGRAM_MANAGER:
            _check_program_manager_edit(principal, contract, changes)
        contract.edit(changes, version, principal.user_id, now())
        await uow.commit()
        return contract


def _check_program_manager_edit(principal: Principal, contract: ProgramContract, changes: dict) -> None:
    """A program manager edits only their own locations' contracts, and only what the program offers."""
    if contract.location_id not in principal.locations:
        raise Forbidden("location_id", f"program managers edit only the contracts of their own locations, not {contract.location_id}")
    for name in changes:
        if name not in PROGRAM_MANAGER_FIELDS:
            allowed = ", ".join(sorted(PROGRAM_MANAGER_FIELDS))
            raise Forbidden(name, f"program managers may change only {allowed}")
