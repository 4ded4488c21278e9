"""Event modules by producing service, and the typed fields every producer promises."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

import isets_contracts.events
from isets_contracts import EVENT_TYPES, Envelope, decode, topics
from isets_contracts.events import (
    ActivityStatusChanged,
    CredentialEarned,
    CustomerExited,
    EarnfareBenefitChanged,
    EmploymentRecorded,
    IesPersonChanged,
)
from isets_contracts.reference import (
    ActivityCode,
    ActivityKind,
    ActivityStatus,
    CredentialType,
    ExitCompletionStatus,
    ExitReason,
    Program,
)

TODAY = date(2026, 11, 24)


def employment(**overrides) -> EmploymentRecorded:
    fields = dict(customer_id="c-1", employment_id="e-1", employer_name="Acme", job_title="Clerk", start_date=TODAY, hours_per_week=Decimal("25"))
    return EmploymentRecorded(**(fields | overrides))


def activity(**overrides) -> ActivityStatusChanged:
    fields = dict(
        customer_id="c-1", activity_id="a-1", activity_code=ActivityCode.JOB_SEARCH_TRAINING, activity_name="Job Search Training",
        kind=ActivityKind.SNAP_ET, location="LOC-A", status=ActivityStatus.STARTED, effective_date=TODAY,
    )
    return ActivityStatusChanged(**(fields | overrides))


def exited(**overrides) -> CustomerExited:
    fields = dict(
        customer_id="c-1", location="LOC-A", program=Program.SNAP_JP, completion_status=ExitCompletionStatus.SUCCESSFUL,
        outcome_reason=ExitReason.COMPLETED_REQUIREMENTS, program_completion_date=TODAY,
    )
    return CustomerExited(**(fields | overrides))


def person(**overrides) -> IesPersonChanged:
    fields = dict(
        individual_number="100000001", snap_case_number="SC1", first_name="Tom", last_name="Juan",
        date_of_birth=date(1997, 5, 1), ssn_last4="1543", address_line1="1 Main St", city="Springfield",
        state="IL", zip="62701", county="Sangamon", dhs_office="Springfield FCRC", snap_eligibility="Yes",
        as_of=datetime(2026, 11, 1, tzinfo=UTC), is_new=True, changed_fields=["first_name"],
    )
    return IesPersonChanged(**(fields | overrides))


@pytest.mark.parametrize("event_class", sorted(EVENT_TYPES.values(), key=lambda c: c.event_type), ids=lambda c: c.event_type)
def test_each_event_lives_in_the_module_of_its_producing_service_and_goes_to_its_topic(event_class):
    producer = event_class.event_type.split(".")[0]
    assert event_class.__module__ == f"isets_contracts.events.{producer}"
    assert event_class.topic == getattr(topics, producer.upper())
    assert getattr(isets_contracts.events, event_class.__name__) is event_class


@pytest.mark.parametrize("hours", ["25.555", "-1", "168.01", "twenty", "NaN"])
def test_weekly_hours_are_a_decimal_from_0_to_168_with_at_most_2_places(hours):
    with pytest.raises(ValidationError, match="hours_per_week"):
        employment(hours_per_week=hours)


@pytest.mark.parametrize("amount", ["14.001", "-0.01", "123456789.00", "NaN"])
def test_money_is_a_non_negative_decimal_with_at_most_2_places(amount):
    with pytest.raises(ValidationError, match="benefit_amount"):
        EarnfareBenefitChanged(customer_id="c-1", benefit_amount=amount, effective_date=TODAY, monthly_benefit_hours=14)


def test_hours_and_money_travel_as_fixed_point_strings_and_come_back_exact():
    sent = employment(hours_per_week=Decimal("1E+1"))
    raw = Envelope.wrap(sent, source="employment", subject="c-1").model_dump_json()
    assert json.loads(raw)["data"]["hours_per_week"] == "10"
    assert decode(raw).data.hours_per_week == Decimal("10")
    benefit = EarnfareBenefitChanged(customer_id="c-1", benefit_amount=Decimal("196.00"), effective_date=TODAY, monthly_benefit_hours=14)
    assert decode(Envelope.wrap(benefit, source="intake", subject="c-1").model_dump_json()).data.benefit_amount == Decimal("196.00")


@pytest.mark.parametrize("ssn_last4", ["123", "12345", "12a4", "123-45-6789", "١٢٣٤"])
def test_ssn_last4_is_exactly_4_ascii_digits(ssn_last4):
    with pytest.raises(ValidationError, match="ssn_last4"):
        person(ssn_last4=ssn_last4)


@pytest.mark.parametrize(
    "make,field,value",
    [
        (activity, "activity_code", "XYZ"),
        (activity, "status", "Open"),
        (activity, "kind", "Other"),
        (exited, "program", "SNAP"),
        (exited, "completion_status", "Exited"),
        (exited, "outcome_reason", "Bored"),
    ],
)
def test_statuses_programs_and_codes_are_the_reference_enumerations(make, field, value):
    with pytest.raises(ValidationError, match=field):
        make(**{field: value})


def test_credential_type_is_a_reference_enumeration():
    assert CredentialEarned(customer_id="c-1", credential_id="cr-1", title="CDL", credential_type="Occupational Skills License",
                            date_earned=TODAY).credential_type is CredentialType.OCCUPATIONAL_LICENSE
    with pytest.raises(ValidationError, match="credential_type"):
        CredentialEarned(customer_id="c-1", credential_id="cr-1", title="CDL", credential_type="Driving licence", date_earned=TODAY)


def test_exit_reason_must_belong_to_its_completion_status():
    assert exited(completion_status=ExitCompletionStatus.UNSUCCESSFUL, outcome_reason=ExitReason.MOVED_AWAY).outcome_reason is ExitReason.MOVED_AWAY
    assert exited(completion_status=ExitCompletionStatus.MOVED, outcome_reason=None).outcome_reason is None
    with pytest.raises(ValidationError, match="does not go with"):
        exited(completion_status=ExitCompletionStatus.UNSUCCESSFUL, outcome_reason=ExitReason.COMPLETED_REQUIREMENTS)
    with pytest.raises(ValidationError, match="does not go with"):
        exited(completion_status=ExitCompletionStatus.MOVED, outcome_reason=ExitReason.UNEMPLOYED)


@pytest.mark.parametrize(
    "make,field,length",
    [(activity, "customer_id", 65), (activity, "activity_id", 41), (activity, "location", 41), (employment, "employment_id", 41), (exited, "location", 41)],
)
def test_ids_longer_than_their_consumers_store_are_refused(make, field, length):
    make(**{field: "x" * (length - 1)})
    with pytest.raises(ValidationError, match=field):
        make(**{field: "x" * length})
