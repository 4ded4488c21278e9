"""Reference enumerations of DOMAIN.md shared by every service."""

from datetime import date
from enum import StrEnum
from typing import NamedTuple


def fiscal_year_of(day: date) -> int:
    """Illinois state fiscal year, 1 July to 30 June, named by the year it ends (2023-07-31 is in FY24)."""
    return day.year + 1 if day.month >= 7 else day.year


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """First and last day of a fiscal year: FY24 = 2023-07-01 .. 2024-06-30."""
    return date(fiscal_year - 1, 7, 1), date(fiscal_year, 6, 30)


class Program(StrEnum):
    SNAP_JP = "SNAP JP"
    SNAP_TO_SUCCESS = "SNAP to Success"
    EARNFARE = "Earnfare"


class EtStatus(StrEnum):
    IES_MATCHED = "IES Matched"
    INITIAL_ASSESSMENT_COMPLETE = "Initial Assessment Complete"
    PENDING_REFERRAL_APPROVAL = "Pending Referral Approval"
    NOT_ENROLLED = "Not Enrolled"
    PENDING_ACTIVITY_START_DATE = "Pending Activity Start Date"
    WAIT_LIST = "Wait List"
    REFERRAL_REJECTED = "Referral Rejected"
    ACTIVE = "Active"
    INACTIVE = "Inactive"
    RETENTION = "Retention"
    NEVER_ACTIVE = "Never Active"
    EXITED = "Exited"


class SnapEligibility(StrEnum):
    PENDING_APPLICATION = "Pending Application"
    YES = "Yes"
    NO = "No"


class LevelOfProgress(StrEnum):
    ACCEPTABLE = "Acceptable Progress/Participation"
    NOT_PARTICIPATING = "Not Participating"
    NOT_PROGRESSING = "Not Progressing"
    NO_LONGER_APPROPRIATE = "No longer appropriate for provider services"


class Role(StrEnum):
    STATEWIDE = "statewide"
    PROGRAM_MANAGER = "program_manager"
    INTERMEDIARY = "intermediary"
    PROVIDER_PARTNER = "provider_partner"
    PROVIDER_MANAGER = "provider_manager"
    IDHS_ADMIN = "idhs_admin"
    CUSTOMER = "customer"


LOCATION_SCOPED_ROLES = frozenset(
    {Role.PROGRAM_MANAGER, Role.INTERMEDIARY, Role.PROVIDER_PARTNER, Role.PROVIDER_MANAGER}
)


class ActivityKind(StrEnum):
    SNAP_ET = "SNAP E&T activity"
    OTHER_ET = "Other E&T activity"
    SUPPORT_SERVICE = "Support service"
    REFERRAL_TO_SERVICE = "Referral to other services"


class ActivityStatus(StrEnum):
    PLANNED = "Planned/Not Started"
    STARTED = "Started/Open"
    SUCCESSFUL = "Successful Completion"
    UNSUCCESSFUL = "Unsuccessful Completion"
    EVALUATED_NOT_REQUIRED = "Evaluated/Not Required"


class Activity(NamedTuple):
    code: str
    name: str
    kind: ActivityKind
    worksite_based: bool = False


_SNAP = ActivityKind.SNAP_ET
_OTHER = ActivityKind.OTHER_ET
_SUPPORT = ActivityKind.SUPPORT_SERVICE
_REFERRAL = ActivityKind.REFERRAL_TO_SERVICE

ACTIVITY_CATALOGUE: dict[str, Activity] = {
    a.code: a
    for a in (
        Activity("BE", "Basic Education (ABE/GED)", _SNAP),
        Activity("CW", "Community Workfare", _SNAP, worksite_based=True),
        Activity("ELA", "English Language Acquisition", _SNAP),
        Activity("INT", "Internship", _SNAP, worksite_based=True),
        Activity("JR", "Job Retention", _SNAP),
        Activity("JST", "Job Search Training", _SNAP),
        Activity("OJT", "On-the-Job Training", _SNAP, worksite_based=True),
        Activity("SJS", "Supervised Job Search", _SNAP),
        Activity("TJ", "Transitional Job", _SNAP, worksite_based=True),
        Activity("VT", "Vocational Training", _SNAP),
        Activity("WRT", "Work Readiness Training", _SNAP),
        Activity("A/BA", "Associates/Bachelor degree", _OTHER),
        Activity("CS", "Community Service", _OTHER),
        Activity("E", "Employment (subsidized or unsubsidized)", _OTHER),
        Activity("SE", "Self Employment", _OTHER),
        Activity("SET", "Self-Employment Training", _OTHER),
        Activity("SS-BOOKS", "Books & Training Supplies", _SUPPORT),
        Activity("SS-CHILDCARE", "Childcare/Medical", _SUPPORT),
        Activity("SS-CLOTHING", "Clothing", _SUPPORT),
        Activity("SS-TESTING", "Educational/Credential Testing", _SUPPORT),
        Activity("SS-HOUSING", "Housing/Utilities", _SUPPORT),
        Activity("SS-HYGIENE", "Personal Hygiene", _SUPPORT),
        Activity("SS-TRANSPORT", "Transportation", _SUPPORT),
        Activity("REF-CHILDCARE", "Referral to Childcare/Medical services", _REFERRAL),
        Activity("REF-CLOTHING", "Referral to clothing provider", _REFERRAL),
        Activity("REF-DOMESTIC", "Referral to Domestic Abuse Counseling", _REFERRAL),
        Activity("REF-REHAB", "Referral to Drug/Alcohol Rehabilitation Counseling", _REFERRAL),
        Activity("REF-HOMELESS", "Referral to homelessness counseling provider", _REFERRAL),
        Activity("REF-HOUSING", "Referral to Housing and Utilities support", _REFERRAL),
        Activity("REF-HYGIENE", "Referral to personal hygiene services", _REFERRAL),
        Activity("REF-TRANSPORT", "Referral to transportation services", _REFERRAL),
    )
}
