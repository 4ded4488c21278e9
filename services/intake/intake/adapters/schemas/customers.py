"""Bodies of the customer list, the profile (full, or as a location with only a pending referral sees it)
and the staff's profile edit."""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from isets_contracts.reference import EtStatus, ExitCompletionStatus, LevelOfProgress, Program, SnapEligibility
from isets_kit.http import RequestBody
from isets_kit.text import plain_text
from intake.adapters.orm import customers
from intake.adapters.schemas.common import Orm
from intake.adapters.schemas.earnfare import BenefitChangeOut
from intake.adapters.schemas.resource_team import ResourceContactOut
from intake.domain.customer import (
    IES_FIELDS,
    Customer,
    active_resource_team,
    current_locations,
    initial_assessment_update_due,
    latest_monthly_benefit_hours,
    needs_assessment_due_by,
    needs_assessment_update_due,
    profile_warnings,
    program_enrollment,
)

SnapCaseNumber = plain_text(max_length=40)
WorknetUsername = plain_text(max_length=100)
WorknetId = plain_text(max_length=40)


class CustomerSummary(Orm):
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


class CustomerPage(Orm):
    items: list[CustomerSummary]
    total: int
    page: int
    page_size: int


class StatusChangeOut(Orm):
    status: EtStatus
    effective_date: date
    cause: str
    actor: str | None


class EligibilityChangeOut(Orm):
    status: SnapEligibility
    as_of: datetime


class EnrollmentOut(Orm):
    location: str
    program: Program
    enrolled_on: date
    exited_on: date | None
    completion_status: ExitCompletionStatus | None


class ReferredCustomer(Orm):
    """What a location with only a pending referral sees: who the customer is, enough to decide the referral."""

    access: Literal["pending referral"] = "pending referral"
    id: str
    individual_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    snap_case_number: str
    county: str
    dhs_office: str
    snap_eligibility: SnapEligibility
    et_status: EtStatus | None

    @classmethod
    def of(cls, customer) -> "ReferredCustomer":
        """Of the aggregate or of the customer's row."""
        return cls.model_validate(customer)


class Profile(Orm):
    access: Literal["full"] = "full"
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
        return cls.of_parts({column.key: getattr(customer, column.key) for column in customers.c}, customer)

    @classmethod
    def of_parts(cls, columns: Mapping, parts) -> "Profile":
        """Of the customer's columns and `parts`, anything holding the histories (`status_history`,
        `eligibility_history`, `enrollments`, `resource_team`, `benefit_history`) and
        `pending_referral_locations`: the aggregate, or the rows a view read (views.ProfileRows)."""
        enrollments, benefit_history = parts.enrollments, parts.benefit_history
        today = date.today()
        locations = current_locations(enrollments)
        team = active_resource_team(parts.resource_team)
        needs_due_by = needs_assessment_due_by(columns["needs_assessment_date"], columns["first_activity_start"])
        return cls.model_validate(
            {
                **columns,
                "status_history": parts.status_history,
                "eligibility_history": parts.eligibility_history,
                "enrollments": enrollments,
                "benefit_history": benefit_history,
                "program_enrollment": program_enrollment(enrollments),
                "monthly_benefit_hours": latest_monthly_benefit_hours(benefit_history),
                "et_providers": locations,
                "providers_with_pending_referral": parts.pending_referral_locations,
                "initial_assessment_update_due": initial_assessment_update_due(columns["initial_assessment_date"], today),
                "needs_assessment_due_by": needs_due_by,
                "needs_assessment_update_due": needs_assessment_update_due(needs_due_by, today),
                "resource_team": team,
                "warnings": profile_warnings(columns["snap_case_number"], columns["ies_snap_case_number"], locations, team),
            }
        )


ProfileView = Annotated[Profile | ReferredCustomer, Field(discriminator="access")]

_READ_ONLY = ", ".join(name for name in IES_FIELDS if name != "snap_case_number")


class ProfileEdit(RequestBody):
    __doc__ = (
        "The fields staff edit; send only those that change. IES masters the rest and they cannot be edited "
        f"here: {_READ_ONLY}."
    )

    version: int = Field(description="the profile version you read; a stale one is refused with 409")
    snap_case_number: SnapCaseNumber = Field(None, description="differs from IES's only until IES sends a new one")
    worknet_username: WorknetUsername | None = Field(None, description="Illinois workNet user name")
    worknet_id: WorknetId | None = Field(None, description="Illinois workNet id")
    initial_assessment_date: date | None = Field(None, description="YYYY-MM-DD, not in the future")
    needs_assessment_date: date | None = Field(None, description="YYYY-MM-DD, not in the future")

    @property
    def changes(self) -> dict:
        return self.model_dump(exclude_unset=True, exclude={"version"})
