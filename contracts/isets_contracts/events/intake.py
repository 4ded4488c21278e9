"""Events intake produces (its topic, its module).

The bounds are those intake's API and tables already enforced when v1 was first published.
"""

from datetime import date
from typing import Annotated

from pydantic import Field, StringConstraints

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.events.fields import CustomerId, IndividualNumber, LocationId, Money, Name
from isets_contracts.reference import EtStatus, LevelOfProgress, Program

_PersonName = Annotated[str, StringConstraints(max_length=100)]
_County = Annotated[str, StringConstraints(max_length=100)]
_ReferralNumber = Annotated[int, Field(ge=1)]
# "2.3": the third record of the customer's second referral.
_RecordNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+$", max_length=20)]
_Reason = Annotated[str, StringConstraints(min_length=1, max_length=500)]


@event("intake.customer.registered", topics.INTAKE)
class CustomerRegistered(Event):
    customer_id: CustomerId
    individual_number: IndividualNumber
    first_name: _PersonName
    last_name: _PersonName
    county: _County | None = None


@event("intake.profile.changed", topics.INTAKE)
class ProfileChanged(Event):
    customer_id: CustomerId
    changed_fields: list[str]
    cause: str


@event("intake.et_status.changed", topics.INTAKE)
class EtStatusChanged(Event):
    customer_id: CustomerId
    status: EtStatus
    previous_status: EtStatus | None
    effective_date: date
    cause: str


@event("intake.referral.sent", topics.INTAKE)
class ReferralSent(Event):
    customer_id: CustomerId
    referral_number: _ReferralNumber
    record_number: _RecordNumber
    referred_to_location: LocationId
    referred_from_location: LocationId
    program: Program


@event("intake.referral.accepted", topics.INTAKE)
class ReferralAccepted(Event):
    customer_id: CustomerId
    referral_number: _ReferralNumber
    record_number: _RecordNumber
    location: LocationId
    program: Program
    snap_et_eligible: bool


@event("intake.referral.rejected", topics.INTAKE)
class ReferralRejected(Event):
    customer_id: CustomerId
    referral_number: _ReferralNumber
    record_number: _RecordNumber
    location: LocationId
    reason: _Reason


@event("intake.customer.enrolled", topics.INTAKE)
class CustomerEnrolled(Event):
    """The customer is assigned to a location (a referral to it was accepted)."""

    customer_id: CustomerId
    location: LocationId
    program: Program
    enrollment_date: date


@event("intake.level_of_progress.changed", topics.INTAKE)
class LevelOfProgressChanged(Event):
    customer_id: CustomerId
    level_of_progress: LevelOfProgress | None


@event("intake.resource_team.changed", topics.INTAKE)
class ResourceTeamChanged(Event):
    customer_id: CustomerId
    contacts: list[dict[str, Name]]


@event("intake.earnfare_benefit.changed", topics.INTAKE)
class EarnfareBenefitChanged(Event):
    customer_id: CustomerId
    benefit_amount: Money
    effective_date: date
    monthly_benefit_hours: Annotated[int, Field(ge=0)]
