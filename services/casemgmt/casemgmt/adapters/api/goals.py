"""The plan's goals."""

from typing import Annotated

from fastapi import APIRouter, Path

from isets_kit.http import input_guard
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.goals import GoalChange, GoalIn, GoalOut, GoalWithActivities
from casemgmt.service_layer import plan
from casemgmt.views import plans

router = APIRouter(prefix="/plans", tags=["goals"], dependencies=[input_guard])
GoalId = Annotated[str, Path(min_length=1, max_length=40)]


@router.get("/{customer_id}/goals", response_model=list[GoalWithActivities])
async def goals(reads: Reads, customer_id: CustomerId, principal: Caller):
    return await reads(plans.goal_list, principal, customer_id)


@router.post("/{customer_id}/goals", response_model=GoalOut, status_code=201)
async def add_goal(uow: UnitOfWorkFactory, customer_id: CustomerId, body: GoalIn, principal: Caller):
    """Add a goal; the customer must agree to the plan again."""
    return await plan.add_goal(uow, principal, customer_id, body.statement, body.category, body.term, body.status)


@router.patch("/{customer_id}/goals/{goal_id}", response_model=GoalOut)
async def change_goal(uow: UnitOfWorkFactory, customer_id: CustomerId, goal_id: GoalId, body: GoalChange, principal: Caller):
    """Change a goal; marking it Off Track asks the customer to agree to the plan again."""
    return await plan.change_goal(uow, principal, customer_id, goal_id, body.model_dump(exclude_unset=True, exclude_none=True))
