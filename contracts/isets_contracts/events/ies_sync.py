"""Events ies_sync produces (its topic, its module)."""

from datetime import date
from typing import Annotated

from pydantic import AwareDatetime, StringConstraints

from isets_contracts import topics
from isets_contracts.envelope import Event, event
from isets_contracts.events.fields import IndividualNumber, SsnLast4
from isets_contracts.reference import SnapEligibility


# The lengths ies_sync refuses beyond and consumers store in (ies_sync.domain.MAX_LENGTH).
_Text2 = Annotated[str, StringConstraints(max_length=2)]
_Text10 = Annotated[str, StringConstraints(max_length=10)]
_Text40 = Annotated[str, StringConstraints(max_length=40)]
_Text100 = Annotated[str, StringConstraints(max_length=100)]
_Text200 = Annotated[str, StringConstraints(max_length=200)]


class IesPerson(Event):
    """One person as IES masters them. `individual_number` is the sync key."""

    individual_number: IndividualNumber
    snap_case_number: _Text40
    first_name: _Text100
    last_name: _Text100
    date_of_birth: date
    ssn_last4: SsnLast4
    email: _Text200 | None = None
    phone: _Text40 | None = None
    address_line1: _Text200
    address_line2: _Text200 | None = None
    city: _Text100
    state: _Text2
    zip: _Text10
    county: _Text100
    dhs_office: _Text200
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
