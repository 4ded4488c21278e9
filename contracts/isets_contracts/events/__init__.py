"""Every event, by producing service: each service owns the module named after it."""

from isets_contracts.events.casemgmt import (
    ActivityStatusChanged,
    AssessmentRecorded,
    AttendanceVerified,
    GoalChanged,
    LocationChanged,
    PlanAgreementChanged,
    ProgramContractChanged,
    ProviderChanged,
)
from isets_contracts.events.employment import EmploymentRecorded, EmploymentVerified
from isets_contracts.events.ies_sync import IesPerson, IesPersonChanged
from isets_contracts.events.intake import (
    CustomerEnrolled,
    CustomerRegistered,
    EarnfareBenefitChanged,
    EtStatusChanged,
    LevelOfProgressChanged,
    ProfileChanged,
    ReferralAccepted,
    ReferralRejected,
    ReferralSent,
    ResourceTeamChanged,
)
from isets_contracts.events.outcomes import CredentialEarned, CustomerExited

__all__ = [
    "ActivityStatusChanged",
    "AssessmentRecorded",
    "AttendanceVerified",
    "CredentialEarned",
    "CustomerEnrolled",
    "CustomerExited",
    "CustomerRegistered",
    "EarnfareBenefitChanged",
    "EmploymentRecorded",
    "EmploymentVerified",
    "EtStatusChanged",
    "GoalChanged",
    "IesPerson",
    "IesPersonChanged",
    "LevelOfProgressChanged",
    "LocationChanged",
    "PlanAgreementChanged",
    "ProfileChanged",
    "ProgramContractChanged",
    "ProviderChanged",
    "ReferralAccepted",
    "ReferralRejected",
    "ReferralSent",
    "ResourceTeamChanged",
]
