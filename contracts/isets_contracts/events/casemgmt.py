"""Events casemgmt produces. casemgmt owns this module: it changes only compatibly (schemas.py)."""

from datetime import date

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.events.fields import CustomerId, LocationId, Name, RecordId
from isets_contracts.reference import ActivityCode, ActivityKind, ActivityStatus


@event("casemgmt.activity.status_changed", topics.CASEMGMT)
class ActivityStatusChanged(Event):
    customer_id: CustomerId
    activity_id: RecordId
    activity_code: ActivityCode
    activity_name: Name
    kind: ActivityKind
    location: LocationId
    status: ActivityStatus
    effective_date: date
    start_date: date | None = None
    completion_date: date | None = None
    worksite_based: bool = False
    removed: bool = False
