"""The Earnfare benefit, set by IDHS admins."""

from fastapi import APIRouter

from isets_kit.http import input_guard
from intake import service_layer
from isets_kit.dependencies import Caller, CustomerId, UnitOfWorkFactory
from intake.adapters.schemas.customers import Profile
from intake.adapters.schemas.earnfare import EarnfareBenefitIn

router = APIRouter(prefix="/customers", tags=["earnfare"], dependencies=[input_guard])


@router.post("/{customer_id}/earnfare-benefit", response_model=Profile, status_code=201)
async def set_earnfare_benefit(uow: UnitOfWorkFactory, customer_id: CustomerId, body: EarnfareBenefitIn, principal: Caller):
    """IDHS admins set the Earnfare benefit amount; monthly benefit hours follow from the state minimum wage."""
    customer = await service_layer.set_earnfare_benefit(uow, principal, customer_id, body.benefit_amount, body.effective_date)
    return Profile.of(customer)
