"""A customer's assessments: results, the summary, the desired career path, credentials earned."""

from fastapi import APIRouter

from isets_kit.http import input_guard
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.assessments import (
    AssessmentResultIn,
    AssessmentResultOut,
    AssessmentSummaryIn,
    AssessmentSummaryOut,
    CareerPathIn,
    CareerPathOut,
    CredentialsOut,
)
from casemgmt.service_layer import assessments as service
from casemgmt.views import assessments

router = APIRouter(prefix="/plans", tags=["assessments"], dependencies=[input_guard])


@router.get("/{customer_id}/assessments", response_model=list[AssessmentResultOut])
async def assessment_results(reads: Reads, customer_id: CustomerId, principal: Caller):
    """Newest taken first."""
    return await reads(assessments.assessment_results_of, principal, customer_id)


@router.post("/{customer_id}/assessments", response_model=AssessmentResultOut, status_code=201)
async def record_assessment(uow: UnitOfWorkFactory, customer_id: CustomerId, body: AssessmentResultIn, principal: Caller):
    """Each kind takes the results it needs and only those: TABE 11/12 subject, scale score and educational
    functioning level; Employment 101 percent; NOCTI score; Career Cluster Inventory result; other: name (score,
    result optional); initial universal and needs assessments: the date only (it becomes the profile's date)."""
    return await service.record_assessment(uow, principal, customer_id, **body.model_dump())


@router.get("/{customer_id}/assessment-summary", response_model=AssessmentSummaryOut)
async def assessment_summary(reads: Reads, customer_id: CustomerId, principal: Caller):
    return await reads(assessments.assessment_summary, principal, customer_id)


@router.put("/{customer_id}/assessment-summary", response_model=AssessmentSummaryOut)
async def revise_assessment_summary(
    uow: UnitOfWorkFactory, reads: Reads, customer_id: CustomerId, body: AssessmentSummaryIn, principal: Caller
):
    """Adds the next version (the history keeps every one); unchanged texts add none."""
    await service.revise_assessment_summary(uow, principal, customer_id, body.model_dump(exclude={"version"}), body.version)
    return await reads(assessments.assessment_summary, principal, customer_id)


@router.get("/{customer_id}/career-path", response_model=CareerPathOut)
async def career_path(reads: Reads, customer_id: CustomerId, principal: Caller):
    return await reads(assessments.career_path, principal, customer_id)


@router.put("/{customer_id}/career-path", response_model=CareerPathOut)
async def set_career_path(
    uow: UnitOfWorkFactory, reads: Reads, customer_id: CustomerId, body: CareerPathIn, principal: Caller
):
    await service.set_career_path(uow, principal, customer_id, **body.model_dump())
    return await reads(assessments.career_path, principal, customer_id)


@router.get("/{customer_id}/credentials", response_model=CredentialsOut)
async def credentials(reads: Reads, customer_id: CustomerId, principal: Caller):
    """Credentials outcomes announced the customer earned: the accomplishments' count and the list."""
    return await reads(assessments.credentials_of, principal, customer_id)
