"""Events employment produces. employment owns this module: it changes only compatibly (schemas.py)."""

from datetime import date

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.events.fields import CustomerId, Name, RecordId, WeeklyHours


@event("employment.employment.recorded", topics.EMPLOYMENT)
class EmploymentRecorded(Event):
    customer_id: CustomerId
    employment_id: RecordId
    employer_name: Name
    job_title: Name
    start_date: date
    end_date: date | None = None
    hours_per_week: WeeklyHours
    permanent: bool = True


@event("employment.employment.verified", topics.EMPLOYMENT)
class EmploymentVerified(Event):
    customer_id: CustomerId
    employment_id: RecordId
    verified_on: date
