"""The customer record (DOMAIN.md §2): IES-mastered identity, E&T status with history, SNAP eligibility history.

Plain Python; the ORM maps these classes from the outside (adapters/orm.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from isets_contracts import Event
from isets_contracts.events import CustomerRegistered, EtStatusChanged, IesPerson, ProfileChanged
from isets_contracts.reference import EtStatus, SnapEligibility

# IES masters these; staff may not edit them (SNAP case number excepted, see `edit_snap_case_number`).
IES_FIELDS = (
    "snap_case_number", "first_name", "last_name", "date_of_birth", "ssn_last4", "email", "phone",
    "address_line1", "address_line2", "city", "state", "zip", "county", "dhs_office", "snap_eligibility",
    "redetermination_date", "midpoint_date",
)


@dataclass
class StatusChange:
    status: EtStatus
    effective_date: date
    cause: str
    actor: str | None
    recorded_at: datetime


@dataclass
class EligibilityChange:
    status: SnapEligibility
    as_of: datetime


@dataclass(eq=False)
class Customer:
    id: str
    individual_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    ssn_last4: str
    snap_case_number: str
    ies_snap_case_number: str
    address_line1: str
    city: str
    state: str
    zip: str
    county: str
    dhs_office: str
    snap_eligibility: SnapEligibility
    ies_as_of: datetime
    email: str | None = None
    phone: str | None = None
    address_line2: str | None = None
    redetermination_date: date | None = None
    midpoint_date: date | None = None
    et_status: EtStatus | None = None
    et_status_date: date | None = None
    version: int = 1
    status_history: list[StatusChange] = field(default_factory=list)
    eligibility_history: list[EligibilityChange] = field(default_factory=list)

    @property
    def pending_events(self) -> list[Event]:
        return self.__dict__.setdefault("_pending_events", [])

    @classmethod
    def register_from_ies(cls, customer_id: str, person: IesPerson, now: datetime) -> "Customer":
        """Rule: an IES record matched by individual number creates the customer in status IES Matched."""
        customer = cls(
            id=customer_id,
            individual_number=person.individual_number,
            ies_snap_case_number=person.snap_case_number,
            ies_as_of=person.as_of,
            **{name: getattr(person, name) for name in IES_FIELDS},
        )
        customer.eligibility_history.append(EligibilityChange(person.snap_eligibility, person.as_of))
        customer.pending_events.append(
            CustomerRegistered(
                customer_id=customer_id,
                individual_number=person.individual_number,
                first_name=person.first_name,
                last_name=person.last_name,
            )
        )
        customer.set_status(EtStatus.IES_MATCHED, "IES record matched by individual number", now)
        return customer

    def apply_ies(self, person: IesPerson) -> list[str]:
        """Take IES's current values; returns the fields that changed. Eligibility changes are kept as history."""
        changed = [
            name
            for name in IES_FIELDS
            if name != "snap_case_number" and getattr(self, name) != getattr(person, name)
        ]
        for name in changed:
            setattr(self, name, getattr(person, name))
        if person.snap_case_number != self.ies_snap_case_number:
            # IES is the master: its new case number replaces whatever staff typed.
            self.ies_snap_case_number = self.snap_case_number = person.snap_case_number
            changed.append("snap_case_number")
        if "snap_eligibility" in changed:
            self.eligibility_history.append(EligibilityChange(person.snap_eligibility, person.as_of))
        self.ies_as_of = max(self.ies_as_of, person.as_of)
        if changed:
            self.version += 1
            self.pending_events.append(ProfileChanged(customer_id=self.id, changed_fields=changed, cause="IES sync"))
        return changed

    def set_status(self, status: EtStatus, cause: str, now: datetime, actor: str | None = None) -> bool:
        """Every change of E&T status leaves a history row (status, date, cause, who)."""
        if status == self.et_status:
            return False
        previous = self.et_status
        self.et_status, self.et_status_date = status, now.date()
        self.status_history.append(StatusChange(status, now.date(), cause, actor, now))
        self.pending_events.append(
            EtStatusChanged(
                customer_id=self.id, status=status, previous_status=previous, effective_date=now.date(), cause=cause
            )
        )
        return True

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
