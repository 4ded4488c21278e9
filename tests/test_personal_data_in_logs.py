"""No personal data in any log line or dead-letter header after the whole cross-service suite has run.

Runs last (tests/conftest.py orders it so): its first test adds traffic that fails on purpose with a
recognisable person (a database error on PostgreSQL, an event that does not validate); the check then
reads every person the suite created from the services' databases, with those probes, and looks for
their name, date of birth, SSN last 4, e-mail and address in every service log of the test stack and in
every header of every dead-letter topic. The original record a dead letter carries is left out: it is
the event itself, kept to be replayed."""

import asyncio
import json
import re
from datetime import date

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from isets_contracts import topics
from isets_contracts.events import IesPersonChanged
from services.intake.tests.factories import ies_person
from tests.helpers import fresh_individual_numbers, wait_until
from tests.kafka_tools import produce, read_to_end

pytestmark = [pytest.mark.kafka, pytest.mark.after_all_traffic]

# Recognisable test persons: nothing else in a log could look like them.
PROBE = dict(
    first_name="Privacy", last_name="Probe-Quartermaine", date_of_birth=date(1971, 7, 13), ssn_last4="8642",
    email="privacy.probe@example.org", address_line1="77 Sentinel Rd",
)


def _probe_envelope(individual_number: str, **broken) -> bytes:
    person = ies_person(individual_number=individual_number, **PROBE).model_dump(mode="json") | broken
    raw = {
        "type": IesPersonChanged.event_type, "source": "test", "subject": individual_number,
        "data": person | {"is_new": True, "changed_fields": ["first_name"]},
    }
    return json.dumps(raw).encode()


def _dead_letters(bootstrap: str) -> list:
    """Of every consumer group's dead-letter topic there is."""

    async def read():
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
        await admin.start()
        try:
            names = await admin.list_topics()
        finally:
            await admin.close()
        dead_letter_topics = [name for name in names if name.startswith("isets.") and name.endswith(".dlq.v1")]
        return [record for topic in dead_letter_topics for record in await read_to_end(bootstrap, topic)]

    return asyncio.run(read())


def test_failing_traffic_with_personal_data(infrastructure, stack):
    """A NUL in an address (PostgreSQL refuses it: a database error) and a name sent as a list (the event
    does not validate): both end as intake's dead letters, with the error in a header and a log line."""
    first = fresh_individual_numbers(2)
    refused_by_database = _probe_envelope(str(first), address_line2="Apt\x00 5")
    not_valid = _probe_envelope(str(first + 1), first_name=[PROBE["first_name"]])
    produce(infrastructure, topics.IES_SYNC, [(str(first).encode(), refused_by_database), (str(first + 1).encode(), not_valid)])
    wait_until(
        lambda: {refused_by_database, not_valid} <= {letter.value for letter in _dead_letters(infrastructure)},
        timeout=90, message="both probes dead-lettered",
    )


def _stored_persons(stack) -> list[dict]:
    async def fetch():
        persons = []
        for service, table in (("ies_sync", "ies_person"), ("intake", "customer")):
            connection = await asyncpg.connect(stack.database_urls[service].replace("+asyncpg", ""))
            try:
                rows = await connection.fetch(
                    f"SELECT first_name, last_name, date_of_birth, ssn_last4, email, address_line1 FROM {table}"
                )
            finally:
                await connection.close()
            persons.extend(dict(row) for row in rows)
        return persons

    return asyncio.run(fetch())


def _quoted(value: str) -> list[str]:
    """As a value shows up in a repr, a JSON string or an SQL parameter list (and JSON-escaped in a log line)."""
    return [f"'{value}'", f'"{value}"', f'\\"{value}\\"']


def personal_data_needles(person: dict) -> list[str]:
    born: date = person["date_of_birth"]
    needles = [
        f"{person['first_name']} {person['last_name']}",
        born.isoformat(),
        f"datetime.date({born.year}, {born.month}, {born.day})",
        person["address_line1"],
        *_quoted(person["last_name"]),
        *_quoted(person["first_name"]),
        *_quoted(person["ssn_last4"]),
    ]
    if person["email"]:
        needles.append(person["email"])
    return needles


def test_no_known_person_appears_in_any_log_line_or_dead_letter_header(infrastructure, stack):
    persons = _stored_persons(stack) + [PROBE]
    needles = {needle for person in persons for needle in personal_data_needles(person)}
    finder = re.compile("|".join(re.escape(needle) for needle in sorted(needles, key=len, reverse=True)))

    found = []
    for log in sorted((stack.state_dir / "logs").glob("*.log")):
        for number, line in enumerate(log.read_text(errors="replace").splitlines(), 1):
            if match := finder.search(line):
                found.append(f"{log.name}:{number}: {match.group()!r} in {line[:300]}")
    letters = _dead_letters(infrastructure)
    assert letters, "the probes' dead letters should be among those checked"
    for letter in letters:
        for key, value in letter.headers or ():
            if match := finder.search(f"{key}: {value.decode(errors='replace')}"):
                found.append(f"dead letter {letter.topic}/{letter.partition}@{letter.offset} header {key}: {match.group()!r}")
    assert found == [], "\n".join(found[:20])
