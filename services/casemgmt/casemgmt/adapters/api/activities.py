"""A customer's activities and services, and what can be added to the plan now."""

from typing import Annotated

from fastapi import APIRouter, Path

from isets_kit.http import input_guard
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.activities import ActivityChange, ActivityIn, ActivityOption, ActivityOut
from casemgmt.service_layer import activities
from casemgmt.views import plans

router = APIRouter(prefix="/plans", tags=["activities"], dependencies=[input_guard])
ActivityId = Annotated[str, Path(min_length=1, max_length=40)]


@router.get("/{customer_id}/activity-options", response_model=list[ActivityOption])
async def activity_options(reads: Reads, customer_id: CustomerId, principal: Caller):
    """Every catalogue activity at each of the customer's locations: whether it can be added now, and why not."""
    return await reads(plans.activity_options, principal, customer_id)


@router.get("/{customer_id}/activities", response_model=list[ActivityOut])
async def activity_list(reads: Reads, customer_id: CustomerId, principal: Caller):
    return await reads(plans.activity_list, principal, customer_id)


@router.post("/{customer_id}/activities", response_model=ActivityOut, status_code=201)
async def add_activity(uow: UnitOfWorkFactory, customer_id: CustomerId, body: ActivityIn, principal: Caller):
    details = body.model_dump(exclude={"activity_code", "location", "effective_date"})
    activity = await activities.add_activity(
        uow, principal, customer_id, body.activity_code, body.location, body.effective_date, details
    )
    return plans.activity_view(activity, [])


@router.patch("/{customer_id}/activities/{activity_id}", response_model=ActivityOut)
async def change_activity(uow: UnitOfWorkFactory, customer_id: CustomerId, activity_id: ActivityId, body: ActivityChange, principal: Caller):
    """Change an activity, its status included; sent fields only (null clears a date)."""
    activity = await activities.change_activity(uow, principal, customer_id, activity_id, body.effective_date, body.changes())
    return plans.activity_view(activity, [])


@router.delete("/{customer_id}/activities/{activity_id}", status_code=204)
async def delete_activity(uow: UnitOfWorkFactory, customer_id: CustomerId, activity_id: ActivityId, principal: Caller):
    """Delete an activity that never started."""
    await activities.delete_activity(uow, principal, customer_id, activity_id)
