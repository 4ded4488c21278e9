"""ies_sync.person.changed v1 gained bounds (4-digit ssn_last4, digits-only individual number, maximum
lengths); it stays v1 because ies_sync already refused every row outside them before publishing."""

import pytest

from ies_sync.domain import MAX_LENGTH, RowRejected, parse_row
from ies_sync.synthetic import person

TEXT_FIELDS = sorted(set(MAX_LENGTH) - {"individual_number", "ssn_last4"})


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_the_person_event_accepts_every_length_ies_sync_keeps(field):
    longest = "x" * MAX_LENGTH[field]
    assert getattr(parse_row(person(0, seed=1) | {field: longest}), field) == longest
    with pytest.raises(RowRejected, match=f"{field}: at most {MAX_LENGTH[field]} characters"):
        parse_row(person(0, seed=1) | {field: longest + "x"})


def test_the_person_event_accepts_the_longest_individual_number_and_any_4_digit_ssn():
    parsed = parse_row(person(0, seed=1) | {"individual_number": "9" * MAX_LENGTH["individual_number"], "ssn_last4": "0000"})
    assert (parsed.individual_number, parsed.ssn_last4) == ("9" * 20, "0000")
