"""Events of casemgmt, employment and outcomes that intake consumes for the profile and E&T status."""

from datetime import date

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.reference import ActivityKind, ActivityStatus


@event("casemgmt.activity.status_changed", topics.CASEMGMT)
class ActivityStatusChanged(Event):
    customer_id: str
    activity_id: str
    activity_code: str
    activity_name: str
    kind: ActivityKind
    location: str
    status: ActivityStatus
    effective_date: date
    start_date: date | None = None
    completion_date: date | None = None
    worksite_based: bool = False
    removed: bool = False


@event("employment.employment.recorded", topics.EMPLOYMENT)
class EmploymentRecorded(Event):
    customer_id: str
    employment_id: str
    employer_name: str
    job_title: str
    start_date: date
    end_date: date | None = None
    hours_per_week: str
    permanent: bool = True


@event("employment.employment.verified", topics.EMPLOYMENT)
class EmploymentVerified(Event):
    customer_id: str
    employment_id: str
    verified_on: date


@event("outcomes.credential.earned", topics.OUTCOMES)
class CredentialEarned(Event):
    customer_id: str
    credential_id: str
    title: str
    credential_type: str
    date_earned: date


@event("outcomes.customer.exited", topics.OUTCOMES)
class CustomerExited(Event):
    """A provider exited the customer. `retention_tracked` keeps them in Retention when no provider remains."""

    customer_id: str
    location: str
    program: str
    completion_status: str
    outcome_reason: str | None = None
    program_completion_date: date
    retention_tracked: bool = False
