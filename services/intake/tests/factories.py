from datetime import UTC, date, datetime

from isets_contracts.events import ActivityStatusChanged, CustomerExited, IesPerson
from isets_contracts.reference import (
    ACTIVITY_CATALOGUE,
    ActivityCode,
    ActivityStatus,
    ExitCompletionStatus,
    ExitReason,
    Program,
    SnapEligibility,
)
from intake.domain.customer import Customer

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def ies_person(**overrides) -> IesPerson:
    fields = dict(
        individual_number="100000001", snap_case_number="SC-1", first_name="Tom", last_name="Juan",
        date_of_birth=date(1997, 5, 1), ssn_last4="1543", address_line1="1 Main St", city="Springfield",
        state="IL", zip="62701", county="Sangamon", dhs_office="Sangamon County FCRC",
        snap_eligibility=SnapEligibility.YES, as_of=datetime(2026, 11, 2, tzinfo=UTC),
    )
    return IesPerson(**(fields | overrides))


def customer(**overrides) -> Customer:
    registered = Customer.register_from_ies("c-1", ies_person(**overrides), NOW)
    registered.pending_events.clear()
    return registered


def enrolled(location: str = "LOC-A", program: Program = Program.SNAP_JP) -> Customer:
    c = customer()
    c.send_referral(location, "Sangamon County FCRC", program, "statewide", NOW)
    c.accept_referral(1, c.referral(1).version, True, f"staff@{location}", NOW)
    return c


def activity(
    status: ActivityStatus, activity_id: str = "a-1", code: ActivityCode = ActivityCode.JOB_SEARCH_TRAINING, location: str = "LOC-A", on: date = date(2026, 11, 24)
) -> ActivityStatusChanged:
    entry = ACTIVITY_CATALOGUE[code]
    return ActivityStatusChanged(
        customer_id="c-1", activity_id=activity_id, activity_code=code, activity_name=entry.name, kind=entry.kind,
        location=location, status=status, effective_date=on, start_date=on if status is ActivityStatus.STARTED else None,
        worksite_based=entry.worksite_based,
    )


def exit_from(location: str = "LOC-A", retention_tracked: bool = False) -> CustomerExited:
    return CustomerExited(
        customer_id="c-1", location=location, program=Program.SNAP_JP, completion_status=ExitCompletionStatus.SUCCESSFUL,
        outcome_reason=ExitReason.COMPLETED_REQUIREMENTS, program_completion_date=date(2026, 11, 24),
        retention_tracked=retention_tracked,
    )
