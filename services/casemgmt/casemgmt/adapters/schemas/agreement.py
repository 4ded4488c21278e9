"""Bodies of the customer's agreement to the plan."""

from datetime import datetime

from pydantic import BaseModel

from isets_contracts.reference import PlanAgreement
from isets_kit.http import RequestBody


class AgreementIn(RequestBody):
    agreement: PlanAgreement


class AgreementOut(BaseModel):
    agreement: PlanAgreement


class SignedCopyOut(BaseModel):
    id: int
    file_name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
