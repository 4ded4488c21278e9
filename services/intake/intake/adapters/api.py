from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from isets_contracts.reference import EtStatus, SnapEligibility
from isets_kit.auth import Principal, current_principal
from intake import service_layer
from intake.service_layer import SORTABLE, CustomerSearch

router = APIRouter(prefix="/customers", tags=["customers"])


class CustomerSummary(BaseModel):
    id: str
    individual_number: str
    first_name: str
    last_name: str
    snap_case_number: str
    county: str
    et_status: EtStatus | None
    et_status_date: date | None


class CustomerPage(BaseModel):
    items: list[CustomerSummary]
    total: int
    page: int
    page_size: int


class StatusChangeOut(BaseModel):
    status: EtStatus
    effective_date: date
    cause: str
    actor: str | None


class EligibilityChangeOut(BaseModel):
    status: SnapEligibility
    as_of: datetime


class Profile(BaseModel):
    id: str
    individual_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    ssn_last4: str
    snap_case_number: str
    ies_snap_case_number: str
    email: str | None
    phone: str | None
    address_line1: str
    address_line2: str | None
    city: str
    state: str
    zip: str
    county: str
    dhs_office: str
    snap_eligibility: SnapEligibility
    redetermination_date: date | None
    midpoint_date: date | None
    ies_as_of: datetime
    et_status: EtStatus | None
    et_status_date: date | None
    version: int
    status_history: list[StatusChangeOut]
    eligibility_history: list[EligibilityChangeOut]

    model_config = {"from_attributes": True}


@router.get("", response_model=CustomerPage)
async def list_customers(
    request: Request,
    principal: Principal = Depends(current_principal),
    name: str | None = Query(None, max_length=100),
    snap_case_number: str | None = Query(None, max_length=40),
    individual_number: str | None = Query(None, max_length=20),
    et_status: EtStatus | None = None,
    sort: Literal[tuple(SORTABLE)] = "last_name",  # type: ignore[valid-type]
    page: int = Query(1, ge=1),
    page_size: int = Query(25, ge=1, le=500),
):
    search = CustomerSearch(name, snap_case_number, individual_number, et_status, page, page_size, sort)
    items, total = await service_layer.search_customers(request.app.state.runtime.unit_of_work, principal, search)
    return CustomerPage(items=items, total=total, page=page, page_size=page_size)


@router.get("/{customer_id}", response_model=Profile)
async def read_profile(request: Request, customer_id: str, principal: Principal = Depends(current_principal)):
    return await service_layer.get_customer(request.app.state.runtime.unit_of_work, principal, customer_id)
