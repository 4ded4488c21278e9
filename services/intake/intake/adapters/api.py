from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from isets_contracts.reference import EtStatus, ExitCompletionStatus, LevelOfProgress, Program, Role, SnapEligibility
from isets_kit.auth import Principal, current_principal, require_roles
from isets_kit.errors import NotFound, RuleViolation
from intake import service_layer
from intake.adapters import referral_form
from intake.domain.customer import Customer
from intake.domain.referral import Referral
from intake.service_layer import SORTABLE, CustomerSearch

router = APIRouter(prefix="/customers", tags=["customers"])
Location = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


def _uow(request: Request):
    return request.app.state.runtime.unit_of_work


# --- response models -------------------------------------------------------------------------------
class CustomerSummary(BaseModel):
    id: str
    individual_number: str
    first_name: str
    last_name: str
    snap_case_number: str
    county: str
    dhs_office: str
    et_status: EtStatus | None
    et_status_date: date | None
    enrollment_date: date | None


class CustomerPage(BaseModel):
    items: list[CustomerSummary]
    total: int
    page: int
    page_size: int


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class StatusChangeOut(Orm):
    status: EtStatus
    effective_date: date
    cause: str
    actor: str | None


class EligibilityChangeOut(Orm):
    status: SnapEligibility
    as_of: datetime


class ResourceContactOut(Orm):
    name: str
    email: str
    added_by: str
    added_at: datetime


class BenefitChangeOut(Orm):
    amount: Decimal
    effective_date: date
    set_by: str
    monthly_benefit_hours: int


class EnrollmentOut(Orm):
    location: str
    program: Program
    enrolled_on: date
    exited_on: date | None
    completion_status: ExitCompletionStatus | None


class Profile(Orm):
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
    worknet_username: str | None
    worknet_id: str | None
    enrollment_date: date | None
    program_enrollment: list[Program]
    et_providers: list[str]
    providers_with_pending_referral: list[str]
    initial_assessment_date: date | None
    initial_assessment_update_due: bool
    needs_assessment_date: date | None
    needs_assessment_due_by: date | None
    needs_assessment_update_due: bool
    level_of_progress: LevelOfProgress | None
    employment_verification_status: str | None
    most_recent_credential: str | None
    most_recent_work_experience: str | None
    most_recent_permanent_placement: str | None
    most_recent_training_program: str | None
    earnfare_benefit_amount: Decimal | None
    monthly_benefit_hours: int | None
    et_status: EtStatus | None
    et_status_date: date | None
    version: int
    status_history: list[StatusChangeOut]
    eligibility_history: list[EligibilityChangeOut]
    enrollments: list[EnrollmentOut]
    resource_team: list[ResourceContactOut]
    benefit_history: list[BenefitChangeOut]
    warnings: list[str]

    @classmethod
    def of(cls, customer: Customer) -> "Profile":
        today = date.today()
        return cls.model_validate(
            {
                **{name: getattr(customer, name) for name in cls.model_fields if hasattr(customer, name)},
                "et_providers": customer.current_locations,
                "providers_with_pending_referral": customer.pending_referral_locations,
                "initial_assessment_update_due": customer.initial_assessment_update_due(today),
                "needs_assessment_due_by": customer.needs_assessment_due_by(),
                "needs_assessment_update_due": customer.needs_assessment_update_due(today),
                "resource_team": customer.active_resource_team,
                "warnings": customer.profile_warnings,
            }
        )


class ReferralRecordOut(Orm):
    record_number: str
    action: str
    referred_to: str
    referred_from: str
    program: Program
    date_submitted: date
    response: str
    submitted_by: str
    responded_by: str | None
    response_date: date | None
    snap_et_eligible: bool | None
    reason: str | None
    historical_reference: bool


class ReferralOut(Orm):
    number: int
    referred_to: str
    referred_from: str
    program: Program
    date_submitted: date
    response: str
    responded_by: str | None
    response_date: date | None
    snap_et_eligible: bool | None
    version: int
    records: list[ReferralRecordOut]

    @classmethod
    def of(cls, referral: Referral) -> "ReferralOut":
        records = [
            ReferralRecordOut.model_validate(
                {
                    **{n: getattr(r, n) for n in ReferralRecordOut.model_fields if hasattr(r, n)},
                    "record_number": referral.record_number(r),
                    "historical_reference": r.historical,
                }
            )
            for r in referral.records
        ]
        fields = {n: getattr(referral, n) for n in cls.model_fields if n != "records"}
        return cls.model_validate(fields | {"records": records})


# --- request models --------------------------------------------------------------------------------
class ProfileEdit(BaseModel):
    model_config = ConfigDict(extra="allow")

    version: int = Field(description="the profile version you read; a stale one is refused with 409")


class StaffStatus(BaseModel):
    status: Literal[EtStatus.WAIT_LIST, EtStatus.NOT_ENROLLED]


class LevelOfProgressIn(BaseModel):
    level_of_progress: LevelOfProgress | None


class ResourceContactIn(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]


class EarnfareBenefitIn(BaseModel):
    benefit_amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    effective_date: date


class ReferralIn(BaseModel):
    referred_to: Location
    referred_from: Location
    program: Program


class VersionIn(BaseModel):
    version: int


class AcceptIn(VersionIn):
    snap_et_eligible: bool


class RejectIn(VersionIn):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


# --- customer list ---------------------------------------------------------------------------------
def customer_search(
    name: str | None = Query(None, max_length=100),
    provider: str | None = Query(None, max_length=40, description="intermediary/provider location"),
    include_fcrcs: bool = Query(True, description="include customers still with their FCRC (no provider yet)"),
    snap_case_number: str | None = Query(None, max_length=40),
    individual_number: str | None = Query(None, max_length=20),
    fiscal_year: int | None = Query(None, ge=2000, le=2100, description="enrolled in this FY (FY24 = 2023-07-01..2024-06-30)"),
    et_status: EtStatus | None = None,
    sort: Literal[tuple(SORTABLE)] = "last_name",  # type: ignore[valid-type]
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(25, ge=1, le=500),
) -> CustomerSearch:
    return CustomerSearch(name, provider, include_fcrcs, snap_case_number, individual_number, fiscal_year, et_status, page, page_size, sort)


@router.get("", response_model=CustomerPage)
async def list_customers(
    request: Request, search: CustomerSearch = Depends(customer_search), principal: Principal = Depends(current_principal)
):
    items, total = await service_layer.search_customers(_uow(request), principal, search)
    return CustomerPage(items=items, total=total, page=search.page, page_size=search.page_size)


@router.get("/export.csv", response_class=StreamingResponse)
async def export_customers(
    request: Request, search: CustomerSearch = Depends(customer_search), principal: Principal = Depends(current_principal)
):
    return StreamingResponse(
        service_layer.export_customers(_uow(request), principal, search),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="customers.csv"'},
    )


# --- profile and status section --------------------------------------------------------------------
@router.get("/{customer_id}", response_model=Profile)
async def read_profile(request: Request, customer_id: str, principal: Principal = Depends(current_principal)):
    return Profile.of(await service_layer.get_customer(_uow(request), principal, customer_id))


@router.patch("/{customer_id}", response_model=Profile)
async def edit_profile(
    request: Request, customer_id: str, edit: ProfileEdit, principal: Principal = Depends(current_principal)
):
    """Staff edit SNAP case number, Illinois workNet username/id and assessment dates. IES fields are read-only."""
    changes = {name: value for name, value in (edit.model_extra or {}).items()}
    for name in ("initial_assessment_date", "needs_assessment_date"):
        if changes.get(name):
            changes[name] = _parse_date(name, changes[name])
    return Profile.of(await service_layer.edit_profile(_uow(request), principal, customer_id, changes, edit.version))


def _parse_date(field: str, value) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RuleViolation(field, f"'{value}' is not a date (YYYY-MM-DD)") from None


@router.put("/{customer_id}/et-status", response_model=Profile)
async def set_staff_status(request: Request, customer_id: str, body: StaffStatus, principal: Principal = Depends(current_principal)):
    return Profile.of(await service_layer.set_staff_status(_uow(request), principal, customer_id, body.status))


@router.put("/{customer_id}/level-of-progress", response_model=Profile)
async def set_level_of_progress(
    request: Request, customer_id: str, body: LevelOfProgressIn, principal: Principal = Depends(current_principal)
):
    return Profile.of(await service_layer.set_level_of_progress(_uow(request), principal, customer_id, body.level_of_progress))


@router.post("/{customer_id}/resource-team", response_model=Profile, status_code=201)
async def add_resource_contact(
    request: Request, customer_id: str, body: ResourceContactIn, principal: Principal = Depends(current_principal)
):
    return Profile.of(await service_layer.add_resource_contact(_uow(request), principal, customer_id, body.name, body.email))


@router.delete("/{customer_id}/resource-team/{email}", response_model=Profile)
async def remove_resource_contact(request: Request, customer_id: str, email: str, principal: Principal = Depends(current_principal)):
    return Profile.of(await service_layer.remove_resource_contact(_uow(request), principal, customer_id, email))


@router.post("/{customer_id}/earnfare-benefit", response_model=Profile, status_code=201)
async def set_earnfare_benefit(
    request: Request,
    customer_id: str,
    body: EarnfareBenefitIn,
    principal: Principal = Depends(require_roles(Role.IDHS_ADMIN)),
):
    """IDHS admins set the Earnfare benefit amount; monthly benefit hours follow from the state minimum wage."""
    customer = await service_layer.set_earnfare_benefit(
        _uow(request), principal, customer_id, body.benefit_amount, body.effective_date
    )
    return Profile.of(customer)


# --- referrals -------------------------------------------------------------------------------------
@router.get("/{customer_id}/referrals", response_model=list[ReferralOut])
async def list_referrals(request: Request, customer_id: str, principal: Principal = Depends(current_principal)):
    customer = await service_layer.get_customer(_uow(request), principal, customer_id)
    return [ReferralOut.of(r) for r in customer.referrals]


@router.post("/{customer_id}/referrals", response_model=ReferralOut, status_code=201)
async def send_referral(request: Request, customer_id: str, body: ReferralIn, principal: Principal = Depends(current_principal)):
    referral = await service_layer.send_referral(
        _uow(request), principal, customer_id, body.referred_to, body.referred_from, body.program
    )
    return ReferralOut.of(referral)


@router.post("/{customer_id}/referrals/{number}/resend", response_model=ReferralOut)
async def resend_referral(request: Request, customer_id: str, number: int, body: VersionIn, principal: Principal = Depends(current_principal)):
    return ReferralOut.of(await service_layer.resend_referral(_uow(request), principal, customer_id, number, body.version))


@router.post("/{customer_id}/referrals/{number}/accept", response_model=ReferralOut)
async def accept_referral(request: Request, customer_id: str, number: int, body: AcceptIn, principal: Principal = Depends(current_principal)):
    referral = await service_layer.accept_referral(
        _uow(request), principal, customer_id, number, body.version, body.snap_et_eligible
    )
    return ReferralOut.of(referral)


@router.post("/{customer_id}/referrals/{number}/reject", response_model=ReferralOut)
async def reject_referral(request: Request, customer_id: str, number: int, body: RejectIn, principal: Principal = Depends(current_principal)):
    referral = await service_layer.reject_referral(_uow(request), principal, customer_id, number, body.version, body.reason)
    return ReferralOut.of(referral)


@router.get("/{customer_id}/referrals/{number}/records/{sequence}/form")
async def referral_form_of_record(
    request: Request,
    customer_id: str,
    number: int,
    sequence: int,
    format: Literal["html", "pdf"] = "html",
    principal: Principal = Depends(current_principal),
):
    """The referral form as it was at child record number.sequence, printable as HTML or PDF."""
    customer = await service_layer.get_customer(_uow(request), principal, customer_id)
    records = customer.referral(number).records
    if not 1 <= sequence <= len(records):
        raise NotFound("sequence", f"no record {number}.{sequence}")
    form = records[sequence - 1].form
    if format == "pdf":
        return Response(referral_form.render_pdf(form), media_type="application/pdf")
    return HTMLResponse(referral_form.render_html(form))
