"""The status section: the E&T status staff set, and the level of progress."""

from fastapi import APIRouter

from isets_kit.http import input_guard
from intake import service_layer
from isets_kit.dependencies import Caller, CustomerId, UnitOfWorkFactory
from intake.adapters.schemas.customers import Profile
from intake.adapters.schemas.status_section import LevelOfProgressIn, StaffStatus

router = APIRouter(prefix="/customers", tags=["status section"], dependencies=[input_guard])


@router.put("/{customer_id}/et-status", response_model=Profile)
async def set_staff_status(uow: UnitOfWorkFactory, customer_id: CustomerId, body: StaffStatus, principal: Caller):
    return Profile.of(await service_layer.set_staff_status(uow, principal, customer_id, body.et_status))


@router.put("/{customer_id}/level-of-progress", response_model=Profile)
async def set_level_of_progress(uow: UnitOfWorkFactory, customer_id: CustomerId, body: LevelOfProgressIn, principal: Caller):
    return Profile.of(await service_layer.set_level_of_progress(uow, principal, customer_id, body.level_of_progress))
