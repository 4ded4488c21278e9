"""The customer's agreement to the plan: the customer agrees, staff record that the customer could not be
reached or upload a signed copy."""

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from isets_kit.http import input_guard
from isets_kit.dependencies import Caller, CustomerId, UnitOfWorkFactory
from casemgmt.adapters.schemas.agreement import AgreementIn, AgreementOut, SignedCopyOut
from casemgmt.domain.plan import SIGNED_COPY_MAX_BYTES
from casemgmt.service_layer import plan

router = APIRouter(prefix="/plans", tags=["plan agreement"], dependencies=[input_guard])


@router.post("/{customer_id}/agreement", response_model=AgreementOut)
async def record_agreement(uow: UnitOfWorkFactory, customer_id: CustomerId, body: AgreementIn, principal: Caller):
    """The customer agrees (`Agreed`, the customer role only); staff record `Customer could not be reached`.
    Only a plan awaiting agreement (Pending) takes either."""
    return {"agreement": await plan.record_agreement(uow, principal, customer_id, body.agreement)}


@router.post(
    "/{customer_id}/agreement/signed-copy",
    response_model=SignedCopyOut,
    status_code=201,
    responses={413: {"description": "the file is larger than 5 MB"}, 415: {"description": "not a PDF, PNG or JPEG file"}},
)
async def upload_signed_copy(
    uow: UnitOfWorkFactory, customer_id: CustomerId, principal: Caller, file: Annotated[UploadFile, File(description="PDF, PNG or JPEG, at most 5 MB")]
):
    """Staff upload the plan signed by the customer; the agreement becomes `Signed copy uploaded`."""
    content = await file.read(SIGNED_COPY_MAX_BYTES + 1)  # one byte more than allowed tells it is too large
    name = (file.filename or "signed copy")[:200]
    return await plan.upload_signed_copy(uow, principal, customer_id, name, file.content_type or "", content)
