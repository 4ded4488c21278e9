"""Bodies of employers, worksites and jobs."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from isets_kit.http import RequestBody
from isets_kit.text import plain_text

Name = plain_text(max_length=200)
Fein = Annotated[plain_text(max_length=10), Field(pattern=r"^\d{2}-\d{7}$", description="federal employer identification number, NN-NNNNNNN")]
Phone = Annotated[plain_text(max_length=40), Field(pattern=r"^[0-9+().\- ]+$")]
Email = Annotated[plain_text(min_length=3, max_length=254), Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
County = plain_text(max_length=100)
State = Annotated[plain_text(max_length=2, min_length=2), Field(pattern=r"^[A-Z]{2}$", description="two-letter state code, e.g. IL")]
ZipCode = Annotated[plain_text(max_length=10), Field(pattern=r"^\d{5}(-\d{4})?$")]


class EmployerIn(RequestBody):
    name: Name
    fein: Fein | None = None
    contact_name: Name
    contact_phone: Phone | None = None
    contact_email: Email | None = None


class WorksiteIn(RequestBody):
    name: Name
    street: Name
    city: plain_text(max_length=100)
    state: State = "IL"
    zip_code: ZipCode
    county: County


class JobIn(RequestBody):
    title: Name
    openings: int = Field(ge=1, le=10_000)
    hourly_wage: Decimal | None = Field(None, gt=0, max_digits=8, decimal_places=2, description="prefills a placement's hourly wage")


class WorksiteOut(BaseModel):
    id: int
    employer_id: int
    name: str
    street: str
    city: str
    state: str
    zip_code: str
    county: str
    registered_at: datetime
    registered_by: str


class EmployerOut(BaseModel):
    id: int
    name: str
    fein: str | None
    contact_name: str
    contact_phone: str | None
    contact_email: str | None
    registered_at: datetime
    registered_by: str


class EmployerWithWorksites(EmployerOut):
    worksites: list[WorksiteOut]


class EmployerPage(BaseModel):
    items: list[EmployerOut]
    total: int
    page: int
    page_size: int


class JobOut(BaseModel):
    id: int
    worksite_id: int
    worksite_name: str
    employer_id: int
    employer_name: str
    county: str
    title: str
    openings: int
    openings_filled: int = Field(description="placements Started (Open) at this job (planned ones have not taken an opening, completed ones gave it back)")
    hourly_wage: Decimal | None
    registered_at: datetime
    registered_by: str


class JobPage(BaseModel):
    items: list[JobOut]
    total: int
    page: int
    page_size: int
