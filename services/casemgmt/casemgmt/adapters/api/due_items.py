"""The caseworker's due items: the start of the worklist on the web app's home page. Staff only."""

from fastapi import APIRouter, Query

from isets_kit.http import input_guard
from isets_kit.text import plain_text
from isets_kit.dependencies import Caller, Reads
from casemgmt.adapters.schemas.due_items import DueItem
from casemgmt.views import due_items as views

router = APIRouter(prefix="/due-items", tags=["due items"], dependencies=[input_guard])
Location = plain_text(max_length=40)


@router.get("", response_model=list[DueItem])
async def due_items(reads: Reads, principal: Caller, location: Location | None = Query(None, description="one of the caller's locations (statewide: any)")):
    """Due items for the customers at the caller's locations (statewide staff: everyone), soonest first."""
    return await reads(views.due_items, principal, location)
