"""Referrals of a customer to a provider location: sent, resent, accepted or rejected, and their forms."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from fastapi.responses import HTMLResponse, Response

from isets_kit.http import input_guard
from intake import service_layer, views
from intake.adapters import referral_form
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from intake.adapters.schemas.referrals import AcceptIn, ReferralIn, ReferralOut, RejectIn, VersionIn

router = APIRouter(prefix="/customers", tags=["referrals"], dependencies=[input_guard])
ReferralNumber = Annotated[int, Path(ge=1, le=1_000_000)]
RecordSequence = Annotated[int, Path(ge=1, le=1_000_000)]


@router.get("/{customer_id}/referrals", response_model=list[ReferralOut])
async def list_referrals(reads: Reads, customer_id: CustomerId, principal: Caller):
    return [ReferralOut.of_rows(r.referral, r.records) for r in await reads(views.referrals, principal, customer_id)]


@router.post("/{customer_id}/referrals", response_model=ReferralOut, status_code=201)
async def send_referral(uow: UnitOfWorkFactory, customer_id: CustomerId, body: ReferralIn, principal: Caller):
    referral = await service_layer.send_referral(uow, principal, customer_id, body.referred_to, body.referred_from, body.program)
    return ReferralOut.of(referral)


@router.post("/{customer_id}/referrals/{number}/resend", response_model=ReferralOut)
async def resend_referral(uow: UnitOfWorkFactory, customer_id: CustomerId, number: ReferralNumber, body: VersionIn, principal: Caller):
    return ReferralOut.of(await service_layer.resend_referral(uow, principal, customer_id, number, body.version))


@router.post("/{customer_id}/referrals/{number}/accept", response_model=ReferralOut)
async def accept_referral(uow: UnitOfWorkFactory, customer_id: CustomerId, number: ReferralNumber, body: AcceptIn, principal: Caller):
    referral = await service_layer.accept_referral(uow, principal, customer_id, number, body.version, body.snap_et_eligible)
    return ReferralOut.of(referral)


@router.post("/{customer_id}/referrals/{number}/reject", response_model=ReferralOut)
async def reject_referral(uow: UnitOfWorkFactory, customer_id: CustomerId, number: ReferralNumber, body: RejectIn, principal: Caller):
    return ReferralOut.of(await service_layer.reject_referral(uow, principal, customer_id, number, body.version, body.reason))


@router.get("/{customer_id}/referrals/{number}/records/{sequence}/form")
async def referral_form_of_record(
    reads: Reads,
    customer_id: CustomerId,
    number: ReferralNumber,
    sequence: RecordSequence,
    principal: Caller,
    format: Literal["html", "pdf"] = "html",
):
    """The referral form as it was at child record number.sequence, printable as HTML or PDF."""
    form = await reads(views.referral_form, principal, customer_id, number, sequence)
    if format == "pdf":
        return Response(referral_form.render_pdf(form), media_type="application/pdf")
    return HTMLResponse(referral_form.render_html(form))
