from datetime import date

from pydantic import AwareDatetime

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.reference import SnapEligibility


class IesPerson(Event):
    """One person as IES masters them. `individual_number` is the sync key."""

    individual_number: str
    snap_case_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    ssn_last4: str
    email: str | None = None
    phone: str | None = None
    address_line1: str
    address_line2: str | None = None
    city: str
    state: str
    zip: str
    county: str
    dhs_office: str
    snap_eligibility: SnapEligibility
    redetermination_date: date | None = None
    midpoint_date: date | None = None
    as_of: AwareDatetime


@event("ies_sync.person.changed", topics.IES_SYNC)
class IesPersonChanged(IesPerson):
    """A person new to ISETS or with changed IES fields; `changed_fields` names them (all fields when new)."""

    is_new: bool
    changed_fields: list[str]
    run_id: str | None = None



