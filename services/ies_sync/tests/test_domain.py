from datetime import UTC, datetime

import pytest

from ies_sync.domain import PERSON_FIELDS, Decision, RowRejected, decide, parse_row
from ies_sync.synthetic import person


def row(**overrides):
    return person(0, seed=1) | overrides


def test_valid_row_parses_into_ies_person():
    parsed = parse_row(row())
    assert parsed.individual_number == "100000000"
    assert parsed.as_of.tzinfo is not None


@pytest.mark.parametrize(
    "overrides,reason",
    [
        ({"date_of_birth": "1990-13-45"}, "date_of_birth: is not a date"),
        ({"individual_number": ""}, "individual_number: is required"),
        ({"individual_number": "12AB"}, "individual_number: '12AB' must be digits only"),
        ({"ssn_last4": "123-45-6789"}, "ssn_last4: must be exactly the last 4 digits"),
        ({"snap_eligibility_status": "Maybe"}, "snap_eligibility_status: Input should be 'Pending Application', 'Yes' or 'No'"),
        ({"first_name": ""}, "first_name: Input should be a valid string"),
        ({"as_of": "yesterday"}, "as_of: 'yesterday' is not an ISO timestamp"),
    ],
)
def test_bad_row_is_rejected_with_field_and_reason(overrides, reason):
    with pytest.raises(RowRejected) as rejected:
        parse_row(row(**overrides))
    assert rejected.value.reason.startswith(reason)


def test_dates_accept_iso_and_us_format():
    assert parse_row(row(date_of_birth="05/01/1997")).date_of_birth.isoformat() == "1997-05-01"


def test_as_of_without_offset_is_illinois_local_time():
    parsed = parse_row(row(as_of="2026-11-02T06:00:00"))
    assert parsed.as_of.astimezone(UTC) == datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def test_new_person_is_published_with_every_field():
    comparison = decide(kept=False, as_of_order=0, changed_fields=())
    assert comparison.decision is Decision.NEW and comparison.publishes
    assert comparison.changed_fields == PERSON_FIELDS


def test_changed_person_names_only_the_changed_fields():
    comparison = decide(kept=True, as_of_order=1, changed_fields=("phone",))
    assert comparison.decision is Decision.CHANGED and comparison.publishes
    assert comparison.changed_fields == ("phone",)


def test_same_record_again_is_unchanged_and_not_published():
    comparison = decide(kept=True, as_of_order=0, changed_fields=())
    assert comparison.decision is Decision.UNCHANGED and not comparison.publishes and not comparison.stores


def test_same_values_with_a_newer_as_of_are_unchanged_but_stored():
    comparison = decide(kept=True, as_of_order=1, changed_fields=())
    assert comparison.decision is Decision.UNCHANGED and comparison.stores and not comparison.publishes


def test_older_as_of_never_overwrites_a_newer_one():
    comparison = decide(kept=True, as_of_order=-1, changed_fields=("phone",))
    assert comparison.decision is Decision.STALE
    assert not comparison.stores and not comparison.publishes


@pytest.mark.parametrize("character", ["\x00", "\n", "\r", "\x1b", "\x7f", "\x85"])
def test_a_control_character_in_a_field_rejects_the_row_naming_the_field_not_the_value(character):
    with pytest.raises(RowRejected) as rejected:
        parse_row(person(0, 1) | {"address_line2": f"Apt{character}4"})
    assert rejected.value.reason == "address_line2: contains a control character (only tab is allowed)"


def test_a_tab_inside_a_field_is_kept():
    assert parse_row(person(0, 1) | {"address_line2": "Apt\t4"}).address_line2 == "Apt\t4"
