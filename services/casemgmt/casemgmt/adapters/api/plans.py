"""A customer's employment plan."""

from fastapi import APIRouter

from isets_kit.http import input_guard
from casemgmt.adapters.api.common import Caller, CustomerId, ReadSessions
from casemgmt.adapters.schemas.plans import PlanOut
from casemgmt.views import plans

router = APIRouter(prefix="/plans", tags=["employment plan"], dependencies=[input_guard])


@router.get("/{customer_id}", response_model=PlanOut)
async def plan(read_sessions: ReadSessions, customer_id: CustomerId, principal: Caller):
    """The customer's plan: who they are and the locations they are enrolled at."""
    return await plans.plan_header(read_sessions, principal, customer_id)
