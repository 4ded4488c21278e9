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


class ActivityCode(StrEnum):
    BASIC_EDUCATION = "BE"
    COMMUNITY_WORKFARE = "CW"
    ENGLISH_LANGUAGE_ACQUISITION = "ELA"
    INTERNSHIP = "INT"
    JOB_RETENTION = "JR"
    JOB_SEARCH_TRAINING = "JST"
    ON_THE_JOB_TRAINING = "OJT"
    SUPERVISED_JOB_SEARCH = "SJS"
    TRANSITIONAL_JOB = "TJ"
    VOCATIONAL_TRAINING = "VT"
    WORK_READINESS_TRAINING = "WRT"
    ASSOCIATES_BACHELOR_DEGREE = "A/BA"
    COMMUNITY_SERVICE = "CS"
    EMPLOYMENT = "E"
    SELF_EMPLOYMENT = "SE"
    SELF_EMPLOYMENT_TRAINING = "SET"
    BOOKS = "SS-BOOKS"
    CHILDCARE = "SS-CHILDCARE"
    CLOTHING = "SS-CLOTHING"
    TESTING = "SS-TESTING"
    HOUSING = "SS-HOUSING"
    HYGIENE = "SS-HYGIENE"
    TRANSPORTATION = "SS-TRANSPORT"
    REFERRAL_CHILDCARE = "REF-CHILDCARE"
    REFERRAL_CLOTHING = "REF-CLOTHING"
    REFERRAL_DOMESTIC_ABUSE = "REF-DOMESTIC"
    REFERRAL_REHABILITATION = "REF-REHAB"
    REFERRAL_HOMELESSNESS = "REF-HOMELESS"
    REFERRAL_HOUSING = "REF-HOUSING"
    REFERRAL_HYGIENE = "REF-HYGIENE"
    REFERRAL_TRANSPORTATION = "REF-TRANSPORT"


class Activity(NamedTuple):
    code: ActivityCode
    name: str
    kind: ActivityKind
    worksite_based: bool = False


_C = ActivityCode
_SNAP = ActivityKind.SNAP_ET
_OTHER = ActivityKind.OTHER_ET
_SUPPORT = ActivityKind.SUPPORT_SERVICE
_REFERRAL = ActivityKind.REFERRAL_TO_SERVICE

ACTIVITY_CATALOGUE: dict[ActivityCode, Activity] = {
    a.code: a
    for a in (
        Activity(_C.BASIC_EDUCATION, "Basic Education (ABE/GED)", _SNAP),
        Activity(_C.COMMUNITY_WORKFARE, "Community Workfare", _SNAP, worksite_based=True),
        Activity(_C.ENGLISH_LANGUAGE_ACQUISITION, "English Language Acquisition", _SNAP),
        Activity(_C.INTERNSHIP, "Internship", _SNAP, worksite_based=True),
        Activity(_C.JOB_RETENTION, "Job Retention", _SNAP),
        Activity(_C.JOB_SEARCH_TRAINING, "Job Search Training", _SNAP),
        Activity(_C.ON_THE_JOB_TRAINING, "On-the-Job Training", _SNAP, worksite_based=True),
        Activity(_C.SUPERVISED_JOB_SEARCH, "Supervised Job Search", _SNAP),
        Activity(_C.TRANSITIONAL_JOB, "Transitional Job", _SNAP, worksite_based=True),
        Activity(_C.VOCATIONAL_TRAINING, "Vocational Training", _SNAP),
        Activity(_C.WORK_READINESS_TRAINING, "Work Readiness Training", _SNAP),
        Activity(_C.ASSOCIATES_BACHELOR_DEGREE, "Associates/Bachelor degree", _OTHER),
        Activity(_C.COMMUNITY_SERVICE, "Community Service", _OTHER),
        Activity(_C.EMPLOYMENT, "Employment (subsidized or unsubsidized)", _OTHER),
        Activity(_C.SELF_EMPLOYMENT, "Self Employment", _OTHER),
        Activity(_C.SELF_EMPLOYMENT_TRAINING, "Self-Employment Training", _OTHER),
        Activity(_C.BOOKS, "Books & Training Supplies", _SUPPORT),
        Activity(_C.CHILDCARE, "Childcare/Medical", _SUPPORT),
        Activity(_C.CLOTHING, "Clothing", _SUPPORT),
        Activity(_C.TESTING, "Educational/Credential Testing", _SUPPORT),
        Activity(_C.HOUSING, "Housing/Utilities", _SUPPORT),
        Activity(_C.HYGIENE, "Personal Hygiene", _SUPPORT),
        Activity(_C.TRANSPORTATION, "Transportation", _SUPPORT),
        Activity(_C.REFERRAL_CHILDCARE, "Referral to Childcare/Medical services", _REFERRAL),
        Activity(_C.REFERRAL_CLOTHING, "Referral to clothing provider", _REFERRAL),
        Activity(_C.REFERRAL_DOMESTIC_ABUSE, "Referral to Domestic Abuse Counseling", _REFERRAL),
        Activity(_C.REFERRAL_REHABILITATION, "Referral to Drug/Alcohol Rehabilitation Counseling", _REFERRAL),
        Activity(_C.REFERRAL_HOMELESSNESS, "Referral to homelessness counseling provider", _REFERRAL),
        Activity(_C.REFERRAL_HOUSING, "Referral to Housing and Utilities support", _REFERRAL),
        Activity(_C.REFERRAL_HYGIENE, "Referral to personal hygiene services", _REFERRAL),
        Activity(_C.REFERRAL_TRANSPORTATION, "Referral to transportation services", _REFERRAL),
    )
}


class ProgramOffering(StrEnum):
    TRAINING_AND_JOB_PLACEMENT = "Training & Job Placement Services"
    ONLY_JOB_PLACEMENT = "Only Job Placement Services"
    NONE_OF_THE_ABOVE = "None of the above"


class GoalCategory(StrEnum):
    SUPPORT_SERVICES = "Support Services"
    CAREER_PLAN = "Career Plan"
    EDUCATION_TRAINING_PLAN = "Education/Training Plan"
    INDEPENDENT_LIVING = "Independent Living"


class GoalTerm(StrEnum):
    SHORT_TERM = "Short Term"
    LONG_TERM = "Long Term"


class GoalStatus(StrEnum):
    NOT_STARTED = "Not Started"
    ON_TRACK = "On Track"
    OFF_TRACK = "Off Track"
    COMPLETE = "Complete"


class PlanAgreement(StrEnum):
    UNKNOWN = "Unknown"
    PENDING = "Pending"
    AGREED = "Agreed"
    SIGNED_COPY_UPLOADED = "Signed copy uploaded"
    NOT_REACHED = "Customer could not be reached"


class AssessmentType(StrEnum):
    INITIAL_UNIVERSAL = "Initial universal assessment"
    NEEDS = "Needs assessment"
    TABE = "TABE 11/12"
    EMPLOYMENT_101_PRE = "Employment 101 pre-test"
    EMPLOYMENT_101_POST = "Employment 101 post-test"
    CAREER_CLUSTER_INVENTORY = "Career Cluster Inventory"
    NOCTI = "NOCTI"
    OTHER = "Other"


class ExitCompletionStatus(StrEnum):
    UNSUCCESSFUL = "Exited - Unsuccessful Completion"
    MOVED = "Exited - Moved to another program"
    SUCCESSFUL = "Exited - Successful Completion"


class ExitReason(StrEnum):
    EMPLOYED_MOVED_AWAY = "Employed moved out of area"
    MOVED_AWAY = "Moved out of the area"
    NO_LONGER_ELIGIBLE = "No longer eligible"
    NOT_THE_RIGHT_FIT = "Not the right fit / referred to a different program"
    REQUIREMENTS_NOT_MET = "Did not meet program requirements"
    PENDING_EMPLOYMENT = "Pending employment - working with a person to get a job"
    UNEMPLOYED = "Unemployed"
    RETENTION = "Retention"
    EMPLOYED_BEYOND_90_DAYS = "Employed beyond 90 days"
    COMPLETED_REQUIREMENTS = "Completed Requirements"


EXIT_REASONS: dict[ExitCompletionStatus, frozenset[ExitReason]] = {
    ExitCompletionStatus.UNSUCCESSFUL: frozenset(
        {
            ExitReason.EMPLOYED_MOVED_AWAY,
            ExitReason.MOVED_AWAY,
            ExitReason.NO_LONGER_ELIGIBLE,
            ExitReason.NOT_THE_RIGHT_FIT,
            ExitReason.REQUIREMENTS_NOT_MET,
        }
    ),
    ExitCompletionStatus.MOVED: frozenset(),
    ExitCompletionStatus.SUCCESSFUL: frozenset(
        {
            ExitReason.PENDING_EMPLOYMENT,
            ExitReason.UNEMPLOYED,
            ExitReason.RETENTION,
            ExitReason.EMPLOYED_BEYOND_90_DAYS,
            ExitReason.COMPLETED_REQUIREMENTS,
        }
    ),
}


class CredentialType(StrEnum):
    HIGH_SCHOOL = "H.S. Diploma/Equivalency/G.E.D."
    ASSOCIATE = "A.A. or A.S. Diploma/Degree"
    BACHELOR = "B.A. or B.S. Diploma/Degree"
    OCCUPATIONAL_LICENSE = "Occupational Skills License"
    OCCUPATIONAL_CERTIFICATE = "Occupational Skills Certificate or Credential"
    OTHER_RECOGNISED = "Other Recognized Diploma, Degree, or Certificate"
    OCCUPATIONAL_CERTIFICATION = "Occupational Certification"
    GRADUATE = "Graduate/Post Graduate"
