"""Worksite placements on a customer's CW, TJ, OJT and INT activities, their follow-ups and subsidised days. Staff only."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from isets_kit.http import input_guard
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.common import DATE_BOUNDS
from casemgmt.adapters.schemas.placements import MinimumWage, PlacementChange, PlacementIn, PlacementOut, SubsidisedDays
from casemgmt.domain.minimum_wage import minimum_wage_on
from casemgmt.domain.placements import FOLLOW_UP_DAYS
from casemgmt.service_layer import placements
from casemgmt.views import placements as views

router = APIRouter(prefix="/plans", tags=["worksite placements"], dependencies=[input_guard])
ActivityId = Annotated[str, Path(min_length=1, max_length=40)]
PlacementId = Annotated[str, Path(min_length=1, max_length=40)]
FollowUpDays = Annotated[int, Path(ge=1, le=1000, description=f"the follow-up's days after the start: {', '.join(map(str, FOLLOW_UP_DAYS))}")]


async def _shown(reads, principal, customer_id: str, placement_id: str) -> dict:
    return next(p for p in await reads(views.placement_list, principal, customer_id) if p["id"] == placement_id)


@router.get("/{customer_id}/placements", response_model=list[PlacementOut])
async def customer_placements(reads: Reads, customer_id: CustomerId, principal: Caller):
    """Every placement of the customer, oldest start first."""
    return await reads(views.placement_list, principal, customer_id)


@router.get("/{customer_id}/placements/subsidised-days", response_model=SubsidisedDays)
async def subsidised_days(
    reads: Reads, customer_id: CustomerId, principal: Caller, year: int | None = Query(None, ge=2000, le=2100, description="default: this year")
):
    return await reads(views.subsidised_days, principal, customer_id, year)


@router.get("/{customer_id}/placements/minimum-wage", response_model=MinimumWage)
async def minimum_wage(
    reads: Reads, customer_id: CustomerId, principal: Caller, on: date = Query(description="the placement's start date", **DATE_BOUNDS)
):
    """The state minimum wage a placement of this customer starting `on` is held to."""
    await reads(views.check_placements_readable, principal, customer_id)
    return {"on": on, "minimum_wage": minimum_wage_on(on, "on")}


@router.get("/{customer_id}/activities/{activity_id}/placements", response_model=list[PlacementOut])
async def activity_placements(reads: Reads, customer_id: CustomerId, activity_id: ActivityId, principal: Caller):
    return await reads(views.placement_list, principal, customer_id, activity_id)


@router.post("/{customer_id}/activities/{activity_id}/placements", response_model=PlacementOut, status_code=201)
async def add_placement(uow: UnitOfWorkFactory, reads: Reads, customer_id: CustomerId, activity_id: ActivityId, body: PlacementIn, principal: Caller):
    placed = await placements.add_placement(uow, principal, customer_id, activity_id, body.model_dump(exclude={"status"}), body.status)
    return await _shown(reads, principal, customer_id, placed.id)


@router.patch("/{customer_id}/placements/{placement_id}", response_model=PlacementOut)
async def change_placement(uow: UnitOfWorkFactory, reads: Reads, customer_id: CustomerId, placement_id: PlacementId, body: PlacementChange, principal: Caller):
    """Change a placement's terms or move its status on; sent fields only."""
    await placements.change_placement(uow, principal, customer_id, placement_id, body.changes())
    return await _shown(reads, principal, customer_id, placement_id)


@router.post("/{customer_id}/placements/{placement_id}/follow-ups/{days}/verify", response_model=PlacementOut)
async def verify_follow_up(uow: UnitOfWorkFactory, reads: Reads, customer_id: CustomerId, placement_id: PlacementId, days: FollowUpDays, principal: Caller):
    """Staff verify a follow-up once its due date is reached, once."""
    await placements.verify_follow_up(uow, principal, customer_id, placement_id, days)
    return await _shown(reads, principal, customer_id, placement_id)
