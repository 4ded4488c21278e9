"""Customers: the list and its CSV export, a profile, and the staff's profile edit."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from isets_contracts.reference import EtStatus, Program, SnapEligibility
from isets_kit.text import plain_text
from isets_kit.http import input_guard
from intake import service_layer, views
from isets_kit.dependencies import Caller, CustomerId, Reads, ReadSessions, UnitOfWorkFactory
from intake.adapters.schemas.customers import CustomerPage, Profile, ProfileEdit, ProfileView, ReferredCustomer
from intake.policy import Access
from intake.views import SORTABLE, CustomerSearch

router = APIRouter(prefix="/customers", tags=["customers"], dependencies=[input_guard])

NameFilter = plain_text(max_length=100, min_length=0)
LocationFilter = plain_text(max_length=40, min_length=0)
IndividualNumber = plain_text(max_length=20, min_length=0)


async def customer_search(  # async: a plain def would run in a worker thread for every request
    name: NameFilter | None = Query(None, description="every word in the first or last name"),
    provider: LocationFilter | None = Query(None, description="intermediary/provider location"),
    include_fcrcs: bool = Query(True, description="include customers still with their FCRC (no provider yet)"),
    snap_case_number: LocationFilter | None = Query(None),
    individual_number: IndividualNumber | None = Query(None),
    fiscal_year: int | None = Query(None, ge=2000, le=2100, description="enrolled in this FY (FY24 = 2023-07-01..2024-06-30)"),
    et_status: EtStatus | None = None,
    program: Program | None = Query(None, description="enrolled (not exited) in this program"),
    snap_eligibility: SnapEligibility | None = None,
    sort: Literal[tuple(SORTABLE)] = "last_name",  # type: ignore[valid-type]
    order: Literal["asc", "desc"] = "asc",
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=500),
) -> CustomerSearch:
    return CustomerSearch(
        name, provider, include_fcrcs, snap_case_number, individual_number, fiscal_year, et_status, program,
        snap_eligibility, page, page_size, sort, descending=order == "desc",
    )


Search = Annotated[CustomerSearch, Depends(customer_search)]


@router.get("", response_model=CustomerPage)
async def list_customers(reads: Reads, search: Search, principal: Caller):
    items, total = await reads(views.search_customers, principal, search)
    return CustomerPage(items=items, total=total, page=search.page, page_size=search.page_size)


@router.get("/export.csv", response_class=StreamingResponse)
async def export_customers(read_sessions: ReadSessions, search: Search, principal: Caller):
    return StreamingResponse(
        views.export_customers(read_sessions, principal, search),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="customers.csv"'},
    )


@router.get("/{customer_id}", response_model=ProfileView)
async def read_profile(reads: Reads, customer_id: CustomerId, principal: Caller):
    """The whole profile; a location whose only link to the customer is a pending referral gets who the
    customer is (`access`: "pending referral"), enough to decide that referral."""
    rows = await reads(views.profile, principal, customer_id)
    if rows.access is Access.PENDING_REFERRAL:
        return ReferredCustomer.of(rows.customer)
    return Profile.of_parts(rows.customer, rows)


@router.patch("/{customer_id}", response_model=Profile)
async def edit_profile(uow: UnitOfWorkFactory, customer_id: CustomerId, edit: ProfileEdit, principal: Caller):
    """Staff edit the SNAP case number, Illinois workNet username/id and assessment dates."""
    return Profile.of(await service_layer.edit_profile(uow, principal, customer_id, edit.changes, edit.version))
