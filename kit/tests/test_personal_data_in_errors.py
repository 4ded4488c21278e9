"""Errors name the field (or the statement) and the rule, never the value: what they carry ends up in
logs, dead-letter headers and API answers, and the values are personal data."""

import json
from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import Column, MetaData, String, Table, insert
from sqlalchemy.exc import IntegrityError

from isets_contracts import Envelope
from isets_contracts.envelope import decode
from isets_contracts.events import IesPersonChanged
from isets_kit.db import make_engine
from isets_kit.http import RequestBody
from isets_kit.text import free_text, plain_text

NAME = "Zelda-Quartermaine"

people = Table("people", MetaData(), Column("ssn_last4", String(4), primary_key=True), Column("last_name", String(100)))


@pytest.mark.asyncio(loop_scope="session")
async def test_database_errors_name_the_statement_never_the_values(tmp_path):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path}/people.db")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(people.metadata.create_all)
            await connection.execute(insert(people).values(ssn_last4="9876", last_name=NAME))
        with pytest.raises(IntegrityError) as refused:
            async with engine.begin() as connection:
                await connection.execute(insert(people).values(ssn_last4="9876", last_name=NAME))
        assert "INSERT INTO people" in str(refused.value)
        assert NAME not in str(refused.value) and "9876" not in str(refused.value)
    finally:
        await engine.dispose()


def _envelope_of_a_person(**data) -> dict:
    person = {
        "individual_number": "100000001", "snap_case_number": "SC-1", "first_name": NAME, "last_name": "Juan",
        "date_of_birth": "1997-05-01", "ssn_last4": "1543", "address_line1": "1 Main St", "city": "Springfield",
        "state": "IL", "zip": "62701", "county": "Sangamon", "dhs_office": "Sangamon County FCRC",
        "snap_eligibility": "Yes", "as_of": "2026-11-02T00:00:00Z", "is_new": True, "changed_fields": [],
    }
    return {"type": IesPersonChanged.event_type, "source": "test", "subject": "100000001", "data": person | data}


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps(_envelope_of_a_person(date_of_birth="1997-02-30")),
        json.dumps(_envelope_of_a_person(ssn_last4="123-45-6789", state="Illinois")),
        '{"data": {"last_name": "Zelda-Quartermaine", "type"',  # cut short: not JSON
    ],
    ids=["bad date", "bad SSN last 4 and state", "invalid JSON"],
)
def test_event_validation_errors_never_repeat_the_value(raw):
    with pytest.raises(ValidationError) as refused:
        decode(raw)
    text = str(refused.value)
    assert "data." in text or "json_invalid" in text  # the field, or what is wrong
    assert "Quartermaine" not in text and "1997-02-30" not in text and "123-45-6789" not in text and "Illinois" not in text


def test_envelope_of_valid_person_still_decodes():
    envelope = decode(json.dumps(_envelope_of_a_person()))
    assert isinstance(envelope, Envelope) and envelope.data.date_of_birth == date(1997, 5, 1)


class Contact(RequestBody):
    name: plain_text(max_length=10)  # type: ignore[valid-type]
    note: free_text(max_length=100) | None = None  # type: ignore[valid-type]


def test_request_body_errors_never_repeat_the_value():
    with pytest.raises(ValidationError) as refused:
        Contact.model_validate({"name": NAME, "nickname": NAME})
    assert [e["loc"] for e in refused.value.errors()] == [("name",), ("nickname",)]
    assert NAME not in str(refused.value)


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[2J", "line\nbreak", "tab\there", "next\x85line", "\x7f"])
def test_plain_text_refuses_every_control_character(value):
    with pytest.raises(ValidationError) as refused:
        Contact.model_validate({"name": value})
    assert refused.value.errors()[0]["msg"] == "contains a control character"


def test_free_text_keeps_tab_and_newline_and_refuses_the_rest():
    assert Contact.model_validate({"name": " Ana ", "note": "one\n\ttwo"}).model_dump() == {"name": "Ana", "note": "one\n\ttwo"}
    with pytest.raises(ValidationError) as refused:
        Contact.model_validate({"name": "Ana", "note": "one\x00two"})
    assert refused.value.errors()[0]["msg"] == "contains a control character (only tab and newline are allowed)"
