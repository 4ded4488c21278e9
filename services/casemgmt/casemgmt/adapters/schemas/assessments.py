"""Bodies of assessments: results, the summary, the desired career path, credentials."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from isets_contracts.reference import AssessmentType, CredentialType
from isets_kit.http import RequestBody
from isets_kit.text import free_text, plain_text
from casemgmt.domain.assessments import TabeSubject
from casemgmt.adapters.schemas.common import Day

Title = plain_text(max_length=200)


class AssessmentResultIn(RequestBody):
    assessment: AssessmentType
    taken_on: Day = Field(description="YYYY-MM-DD the assessment was taken (completed), not in the future")
    name: Title | None = Field(None, description="Other assessments only: its name")
    subject: TabeSubject | None = Field(None, description="TABE 11/12 only")
    score: Decimal | None = Field(
        None, max_digits=7, decimal_places=2,
        description="TABE scale score or NOCTI score (0–1000), Employment 101 percent (0–100), or an other assessment's score",
    )
    educational_functioning_level: int | None = Field(None, description="TABE 11/12 only: 1–6")
    result: plain_text(max_length=500) | None = Field(None, description="Career Cluster Inventory (or other assessment): the result in words")


class AssessmentResultOut(BaseModel):
    id: str
    assessment: AssessmentType
    name: str
    taken_on: date
    subject: TabeSubject | None
    score: Decimal | None
    educational_functioning_level: int | None
    result: str | None
    recorded_by: str
    recorded_at: datetime


Summary = free_text(max_length=4000, min_length=0)


class AssessmentSummaryIn(RequestBody):
    readiness: Summary
    employment: Summary
    support_services: Summary
    version: int = Field(ge=0, description="the version you read (0: none yet); a newer one answers 409")


class SummaryVersionOut(BaseModel):
    number: int
    readiness: str
    employment: str
    support_services: str
    written_by: str
    written_at: datetime


class AssessmentSummaryOut(BaseModel):
    version: int
    readiness: str
    employment: str
    support_services: str
    history: list[SummaryVersionOut] = Field(description="every version, newest first")


class CareerPathIn(RequestBody):
    pathway: Title | None = None
    occupation_1: Title | None = None
    occupation_2: Title | None = None
    wage_goal: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=2, description="dollars per hour")


class CareerPathOut(BaseModel):
    pathway: str | None
    occupation_1: str | None
    occupation_2: str | None
    wage_goal: Decimal | None
    updated_by: str | None
    updated_at: datetime | None


class CredentialOut(BaseModel):
    id: str
    title: str
    credential_type: CredentialType
    date_earned: date


class CredentialsOut(BaseModel):
    count: int
    credentials: list[CredentialOut]
