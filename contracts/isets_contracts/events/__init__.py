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
from isets_contracts.events.other_services import (
    ActivityStatusChanged,
    CredentialEarned,
    CustomerExited,
    EmploymentRecorded,
    EmploymentVerified,
)

__all__ = [
    "ActivityStatusChanged",
    "CredentialEarned",
    "CustomerEnrolled",
    "CustomerExited",
    "CustomerRegistered",
    "EarnfareBenefitChanged",
    "EmploymentRecorded",
    "EmploymentVerified",
    "EtStatusChanged",
    "IesPerson",
    "IesPersonChanged",
    "LevelOfProgressChanged",
    "ProfileChanged",
    "ReferralAccepted",
    "ReferralRejected",
    "ReferralSent",
    "ResourceTeamChanged",
]
