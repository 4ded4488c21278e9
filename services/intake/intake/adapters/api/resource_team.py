"""The customer's Integrated Resource Team contacts."""

from typing import Annotated

from fastapi import APIRouter, Path

from isets_kit.http import input_guard
from intake import service_layer
from isets_kit.dependencies import Caller, CustomerId, UnitOfWorkFactory
from intake.adapters.schemas.customers import Profile
from intake.adapters.schemas.resource_team import ResourceContactIn

router = APIRouter(prefix="/customers", tags=["resource team"], dependencies=[input_guard])
ContactEmail = Annotated[str, Path(min_length=3, max_length=200)]


@router.post("/{customer_id}/resource-team", response_model=Profile, status_code=201)
async def add_resource_contact(uow: UnitOfWorkFactory, customer_id: CustomerId, body: ResourceContactIn, principal: Caller):
    return Profile.of(await service_layer.add_resource_contact(uow, principal, customer_id, body.name, body.email))


@router.delete("/{customer_id}/resource-team/{email}", response_model=Profile)
async def remove_resource_contact(uow: UnitOfWorkFactory, customer_id: CustomerId, email: ContactEmail, principal: Caller):
    return Profile.of(await service_layer.remove_resource_contact(uow, principal, customer_id, email))
