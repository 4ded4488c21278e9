"""Per-subject order in the consumer on SQLite (the demo's database); the same rules are proven on
the real broker and PostgreSQL in tests/test_consumer_order.py."""

import asyncio

import pytest
from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker
from pydantic import ValidationError
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError

from isets_contracts import Envelope
from isets_contracts.events import EtStatusChanged
from isets_contracts.reference import EtStatus
from isets_kit.consumer import EventConsumer, describe
from isets_kit.db import make_engine, make_sessions
from isets_kit.dead_letters import discard, replay
from isets_kit.messaging_tables import add_messaging_tables
from isets_kit.unit_of_work import UnitOfWork

metadata = MetaData()
effects = Table("effect", metadata, Column("id", Integer, primary_key=True), Column("subject", String(40)), Column("cause", String(40)))
outbox, inbox = add_messaging_tables(metadata)
parked = metadata.tables["parked_events"]


class Publisher:
    def __init__(self):
        self.sent: list = []

    async def publish(self, body, *, key=None, headers=None):
        self.sent.append(headers)


@pytest.fixture
def sessions(tmp_path):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'order.db'}")

    async def create():
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)

    asyncio.run(create())
    yield make_sessions(engine)
    asyncio.run(engine.dispose())


def make_consumer(sessions, refused: set[str]) -> EventConsumer:
    async def handler(uow, envelopes):
        for envelope in envelopes:
            if envelope.data.cause in refused:
                raise ValueError("refused")
            await uow.session.execute(insert(effects).values(subject=envelope.subject, cause=envelope.data.cause))

    consumer = EventConsumer(group="order", broker=KafkaBroker(), metadata=metadata, handlers={EtStatusChanged: handler},
                             unit_of_work=lambda: UnitOfWork(sessions, outbox, "test", asyncio.Event(), topic=None), retries=1, backoff_seconds=0)
    consumer._dead_letters = Publisher()
    return consumer


def event(subject: str, cause: str, sequence: int | None = None) -> Envelope:
    payload = EtStatusChanged(customer_id=subject, status=EtStatus.ACTIVE, previous_status=None, effective_date="2026-11-24", cause=cause)
    return Envelope.wrap(payload, source="test", subject=subject, sequence=sequence)


def records(*envelopes: Envelope) -> list[ConsumerRecord]:
    return [ConsumerRecord("isets.intake.v1", 0, offset, 0, 0, e.subject.encode(), e.model_dump_json().encode(), None, 1, 1, [])
            for offset, e in enumerate(envelopes)]


async def effects_and_parked(sessions):
    async with sessions() as session:
        done = [tuple(row) for row in (await session.execute(select(effects.c.subject, effects.c.cause).order_by(effects.c.id))).all()]
        waiting = [tuple(row) for row in (await session.execute(select(parked.c.subject, parked.c.reason).order_by(parked.c.id))).all()]
    return done, waiting


def test_a_held_subject_waits_for_replay_while_others_flow_and_a_second_replay_applies_nothing(sessions):
    refused = {"a1"}
    consumer = make_consumer(sessions, refused)

    async def scenario():
        await consumer.process(records(event("A", "a1"), event("A", "a2"), event("B", "b1")))
        before = await effects_and_parked(sessions)
        refused.clear()
        first, second = await replay(consumer), await replay(consumer)
        return before, [r.applied for r in first + second], await effects_and_parked(sessions)

    before, applied, after = asyncio.run(scenario())
    assert before == ([("B", "b1")], [("A", "failed"), ("A", "held")])
    assert applied == [2] and after == ([("B", "b1"), ("A", "a1"), ("A", "a2")], [])


def test_stale_event_is_parked_and_discard_records_it_as_handled(sessions):
    consumer = make_consumer(sessions, set())

    async def scenario():
        await consumer.process(records(event("A", "a2", sequence=2), event("A", "a1", sequence=1), event("A", "a3", sequence=3)))
        before = await effects_and_parked(sessions)
        discarded = await discard(consumer)
        return before, discarded, await effects_and_parked(sessions)

    before, discarded, after = asyncio.run(scenario())
    assert before == ([("A", "a2"), ("A", "a3")], [("A", "stale")])
    assert discarded == 1 and after == ([("A", "a2"), ("A", "a3")], [])


def test_error_descriptions_name_the_rule_but_never_the_values():
    with pytest.raises(ValidationError) as validation:
        EtStatusChanged.model_validate({"customer_id": "c", "status": "Juana Dela Cruz", "effective_date": "x", "cause": "t"})
    database = IntegrityError("INSERT INTO person VALUES (:ssn)", {"ssn": "98765"}, Exception("UNIQUE constraint failed: person.ssn"))
    texts = describe(validation.value), describe(database)
    assert "Juana" not in texts[0] and "status: Input should be" in texts[0]
    assert "98765" not in texts[1] and texts[1] == "IntegrityError: UNIQUE constraint failed: person.ssn"
