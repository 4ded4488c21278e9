"""Bodies of providers, locations, program contracts and the recommended programs."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from isets_contracts.reference import ActivityCode, ProgramOffering
from isets_kit.http import RequestBody
from isets_kit.text import free_text, plain_text

Name = plain_text(max_length=200)
LocationCode = plain_text(max_length=40)
County = plain_text(max_length=100)
Address = plain_text(max_length=300, min_length=0)
ContractNumber = plain_text(max_length=40)
Schedule = free_text(max_length=2000, min_length=0)
Term = plain_text(max_length=100)
FiscalYear = Field(ge=2000, le=2100, description="Illinois FY, named by the year it ends (FY2025 = 2024-07-01..2025-06-30)")
Version = Field(description="the version you read; a stale one is refused with 409")
OFFERED = "SNAP E&T and Other E&T activity codes; support services and referrals to services need no contract"


class _Edit(RequestBody):
    @property
    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True, exclude={"version"})


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ProviderIn(RequestBody):
    name: Name


class ProviderEdit(_Edit):
    version: int = Version
    name: Name


class ProviderOut(Orm):
    id: str
    name: str
    version: int


class LocationIn(RequestBody):
    id: LocationCode = Field(description="the location's code, e.g. LOC-A; referrals name it")
    name: Name
    county: County
    address: Address = ""


class LocationEdit(_Edit):
    __doc__ = "Send only what changes; `open: false` closes the location to new referrals."

    version: int = Version
    name: Name = None
    county: County = None
    address: Address = None
    open: bool = None


class LocationOut(Orm):
    id: str
    provider_id: str
    provider_name: str
    name: str
    county: str
    address: str
    open: bool
    version: int


class ContractTerms(RequestBody):
    contract_number: ContractNumber
    fiscal_year: int = FiscalYear
    program_name: Name
    offering: ProgramOffering
    activities_offered: list[ActivityCode] = Field([], max_length=40, description=OFFERED)
    schedule: Schedule = ""
    skills: list[Term] = Field([], max_length=50)
    interests: list[Term] = Field([], max_length=50)


class ContractIn(ContractTerms):
    location_id: LocationCode

    @property
    def terms(self) -> dict:
        return self.model_dump(exclude={"location_id"})


class ContractEdit(_Edit):
    __doc__ = (
        "Send only what changes. A provider's program manager may change only schedule, skills, interests and "
        "activities offered, of their own locations' contracts."
    )

    version: int = Version
    contract_number: ContractNumber = None
    fiscal_year: int = Field(None, ge=2000, le=2100)
    program_name: Name = None
    offering: ProgramOffering = None
    activities_offered: list[ActivityCode] = Field(None, max_length=40, description=OFFERED)
    schedule: Schedule = None
    skills: list[Term] = Field(None, max_length=50)
    interests: list[Term] = Field(None, max_length=50)


class ContractOut(Orm):
    id: str
    contract_number: str
    fiscal_year: int
    provider_id: str
    location_id: str
    program_name: str
    offering: ProgramOffering
    activities_offered: list[ActivityCode]
    schedule: str
    skills: list[str]
    interests: list[str]
    version: int
    updated_at: datetime
    updated_by: str


class RecommendedProgram(BaseModel):
    contract_id: str
    program_name: str
    provider_name: str
    location_id: str
    location_name: str
    county: str
    matching_skills: list[str]
    matching_interests: list[str]
    same_county: bool
