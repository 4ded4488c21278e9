from datetime import date
from decimal import Decimal

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.reference import EtStatus, LevelOfProgress, Program


@event("intake.customer.registered", topics.INTAKE)
class CustomerRegistered(Event):
    customer_id: str
    individual_number: str
    first_name: str
    last_name: str


@event("intake.profile.changed", topics.INTAKE)
class ProfileChanged(Event):
    customer_id: str
    changed_fields: list[str]
    cause: str


@event("intake.et_status.changed", topics.INTAKE)
class EtStatusChanged(Event):
    customer_id: str
    status: EtStatus
    previous_status: EtStatus | None
    effective_date: date
    cause: str


@event("intake.referral.sent", topics.INTAKE)
class ReferralSent(Event):
    customer_id: str
    referral_number: int
    record_number: str
    referred_to_location: str
    referred_from_location: str
    program: Program


@event("intake.referral.accepted", topics.INTAKE)
class ReferralAccepted(Event):
    customer_id: str
    referral_number: int
    record_number: str
    location: str
    program: Program
    snap_et_eligible: bool


@event("intake.referral.rejected", topics.INTAKE)
class ReferralRejected(Event):
    customer_id: str
    referral_number: int
    record_number: str
    location: str
    reason: str


@event("intake.customer.enrolled", topics.INTAKE)
class CustomerEnrolled(Event):
    """The customer is assigned to a location (a referral to it was accepted)."""

    customer_id: str
    location: str
    program: Program
    enrollment_date: date


@event("intake.level_of_progress.changed", topics.INTAKE)
class LevelOfProgressChanged(Event):
    customer_id: str
    level_of_progress: LevelOfProgress | None


@event("intake.resource_team.changed", topics.INTAKE)
class ResourceTeamChanged(Event):
    customer_id: str
    contacts: list[dict[str, str]]


@event("intake.earnfare_benefit.changed", topics.INTAKE)
class EarnfareBenefitChanged(Event):
    customer_id: str
    benefit_amount: Decimal
    effective_date: date
    monthly_benefit_hours: int
