import json
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from isets_contracts import EVENT_TYPES, Envelope, UnknownEventType, decode
from isets_contracts.events import EtStatusChanged, IesPersonChanged
from isets_contracts.reference import EtStatus, fiscal_year_bounds, fiscal_year_of
from isets_contracts.schemas import incompatibilities, schema_of, schema_path


def person_changed(**overrides) -> IesPersonChanged:
    fields = dict(
        individual_number="100000001", snap_case_number="SC1", first_name="Tom", last_name="Juan",
        date_of_birth=date(1997, 5, 1), ssn_last4="1543", address_line1="1 Main St", city="Springfield",
        state="IL", zip="62701", county="Sangamon", dhs_office="Springfield FCRC", snap_eligibility="Yes",
        as_of=datetime(2026, 11, 1, tzinfo=UTC), is_new=True, changed_fields=["first_name"],
    )
    return IesPersonChanged(**(fields | overrides))


def test_envelope_round_trips_with_typed_payload():
    envelope = Envelope.wrap(person_changed(), source="ies_sync", subject="100000001", correlation_id="req-1")
    decoded = decode(envelope.model_dump_json())
    assert decoded == envelope
    assert isinstance(decoded.data, IesPersonChanged)
    assert decoded.type == "ies_sync.person.changed" and decoded.version == 1


def test_envelope_time_must_be_timezone_aware():
    raw = json.loads(Envelope.wrap(person_changed(), source="ies_sync", subject="1").model_dump_json())
    raw["time"] = "2026-11-24T10:00:00"
    with pytest.raises(ValidationError, match="timezone"):
        decode(json.dumps(raw))


def test_decode_rejects_unknown_event_type():
    raw = json.loads(Envelope.wrap(person_changed(), source="ies_sync", subject="1").model_dump_json())
    raw["type"] = "ies_sync.person.vanished"
    with pytest.raises(UnknownEventType):
        decode(json.dumps(raw))


def test_old_consumer_reads_newer_event_with_added_optional_field():
    raw = json.loads(
        Envelope.wrap(
            EtStatusChanged(customer_id="c1", status=EtStatus.ACTIVE, previous_status=None,
                            effective_date=date(2026, 11, 2), cause="activity started"),
            source="intake", subject="c1",
        ).model_dump_json()
    )
    raw["data"]["field_added_in_a_later_release"] = "ignored"
    assert decode(json.dumps(raw)).data.status is EtStatus.ACTIVE


@pytest.mark.parametrize("event_type,version", sorted(EVENT_TYPES))
def test_event_is_compatible_with_its_committed_json_schema(event_type, version):
    path = schema_path(event_type, version)
    assert path.exists(), f"no committed schema for {event_type}: run python -m isets_contracts.schemas"
    committed = json.loads(path.read_text())
    assert incompatibilities(committed, schema_of(event_type, version)) == []


@pytest.mark.parametrize(
    "day,fiscal_year",
    [(date(2023, 7, 31), 2024), (date(2023, 7, 1), 2024), (date(2023, 6, 30), 2023), (date(2023, 6, 5), 2023), (date(2022, 4, 4), 2022)],
)
def test_fiscal_year_runs_1_july_to_30_june_named_by_the_year_it_ends(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year
    start, end = fiscal_year_bounds(fiscal_year)
    assert start <= day <= end and (start, end) == (date(fiscal_year - 1, 7, 1), date(fiscal_year, 6, 30))
