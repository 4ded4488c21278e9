"""A customer's employment plan: the overview and the update log."""

from fastapi import APIRouter

from isets_kit.http import input_guard
from isets_kit.dependencies import Caller, CustomerId, Reads
from casemgmt.adapters.schemas.plans import PlanOverview, UpdateLogEntry
from casemgmt.views import plans

router = APIRouter(prefix="/plans", tags=["employment plan"], dependencies=[input_guard])


@router.get("/{customer_id}", response_model=PlanOverview)
async def plan(reads: Reads, customer_id: CustomerId, principal: Caller):
    """The customer's plan: who they are, their locations, the career plan table (goals with their
    activities), the agreement state and accomplishments."""
    return await reads(plans.overview, principal, customer_id)


@router.get("/{customer_id}/update-log", response_model=list[UpdateLogEntry])
async def update_log(reads: Reads, customer_id: CustomerId, principal: Caller):
    """Every change of the plan (who, when, what), newest first."""
    return await reads(plans.update_log, principal, customer_id)
