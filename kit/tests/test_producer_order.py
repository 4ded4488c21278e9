"""The producer side of "one customer's events stay in order": per-subject sequences, events collected
from aggregates, the own-topic check, relay rounds and parked rows (SQLite; the broker is faked here and
real in tests/test_outbox_relay_order.py)."""

import asyncio
import json
from dataclasses import dataclass
from datetime import date

import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Column, MetaData, String, Table, create_engine, func, insert, select
from sqlalchemy.orm import registry

from isets_contracts import Envelope, Event, topics
from isets_contracts.events import EtStatusChanged, IesPersonChanged
from isets_contracts.reference import EtStatus
from isets_kit import outbox as outbox_command
from isets_kit.messaging_migrations import STEPS, create_messaging_tables
from isets_kit.messaging_tables import add_messaging_tables
from isets_kit.relay import OutboxRelay
from isets_kit.settings import ServiceSettings
from isets_kit.testing import sqlite_sessions
from isets_kit.unit_of_work import ForeignEvent, UnitOfWork

metadata = MetaData()
cases = Table("case_file", metadata, Column("id", String(36), primary_key=True), Column("note", String(100)))
outbox, inbox = add_messaging_tables(metadata)
sequences = metadata.tables["subject_sequences"]


def status(customer: str) -> EtStatusChanged:
    return EtStatusChanged(customer_id=customer, status=EtStatus.ACTIVE, previous_status=None, effective_date=date(2026, 11, 24), cause="t")


@dataclass(eq=False)
class CaseFile:
    """A test aggregate: plain Python, records the events its changes announce."""

    id: str
    note: str = ""

    @property
    def pending_events(self) -> list[Event]:
        return self.__dict__.setdefault("_pending_events", [])

    def annotate(self, note: str, event: Event | None = None) -> None:
        self.note = note
        self.pending_events.append(event or status(self.id))


registry(metadata=metadata).map_imperatively(CaseFile, cases)


@pytest.fixture
def db(tmp_path):
    with sqlite_sessions(tmp_path / "kit.db", metadata) as sessions:
        yield sessions


def unit_of_work(db) -> UnitOfWork:
    return UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE)


async def outbox_rows(db) -> list:
    async with db() as session:
        return (await session.execute(select(outbox).order_by(outbox.c.id))).all()


async def write(db, *keys: str) -> None:
    """One transaction publishing one event per key given."""
    async with unit_of_work(db) as uow:
        for key in keys:
            uow.publish(status(key), subject=key)
        await uow.commit()


# --- sequences ---------------------------------------------------------------------------------------
def test_sequence_numbers_increase_per_key_within_and_across_transactions(db):
    async def scenario():
        await write(db, "c1", "c2", "c1")
        await write(db, "c2", "c1")
        return await outbox_rows(db)

    rows = asyncio.run(scenario())
    assert [(row.key, row.sequence) for row in rows] == [("c1", 1), ("c2", 1), ("c1", 2), ("c2", 2), ("c1", 3)]
    assert [json.loads(row.payload)["sequence"] for row in rows] == [1, 1, 2, 2, 3]  # in the envelope too


# --- events collected from aggregates ----------------------------------------------------------------
def test_an_aggregates_recorded_event_reaches_the_outbox_without_a_hand_call(db):
    async def scenario():
        async with unit_of_work(db) as uow:
            uow.session.add(CaseFile("case-1"))
            await uow.commit()
        async with unit_of_work(db) as uow:
            (await uow.session.get(CaseFile, "case-1")).annotate("seen")
            await uow.commit()  # the handler never names the event
        return await outbox_rows(db)

    [row] = asyncio.run(scenario())
    assert (row.key, row.event_type, row.sequence) == ("case-1", "intake.et_status.changed", 1)


def test_events_of_a_new_aggregate_and_of_one_dropped_from_the_identity_map_are_collected(db):
    import gc

    async def scenario():
        async with unit_of_work(db) as uow:
            uow.session.add(CaseFile("case-1"))
            uow.session.add(CaseFile("case-2"))
            await uow.commit()
        async with unit_of_work(db) as uow:
            new = CaseFile("case-3")
            new.annotate("registered")
            uow.session.add(new)
            for case in await uow.session.scalars(select(CaseFile).order_by(CaseFile.id)):
                case.annotate("again", status(case.id))
                case.note = ""  # no change left to flush: only the recorded event keeps it interesting
            del case, new
            await uow.session.flush()
            gc.collect()
            await uow.commit()
        return await outbox_rows(db)

    assert sorted(row.key for row in asyncio.run(scenario())) == ["case-1", "case-2", "case-3", "case-3"]


def test_events_following_a_consumed_event_carry_its_correlation_and_causation(db):
    cause = Envelope.wrap(status("c9"), source="other", subject="c9", correlation_id="request-7")

    async def scenario():
        async with unit_of_work(db) as uow:
            uow.session.add(CaseFile("case-1"))
            await uow.commit()
        async with unit_of_work(db) as uow:
            case = await uow.session.get(CaseFile, "case-1")
            for envelope in uow.following([cause]):
                case.annotate(envelope.subject)
            await uow.commit()
        return await outbox_rows(db)

    [row] = asyncio.run(scenario())
    envelope = json.loads(row.payload)
    assert (envelope["correlation_id"], envelope["causation_id"]) == ("request-7", str(cause.id))


def test_the_unit_of_work_refuses_an_event_of_another_topic_and_nothing_is_written(db):
    foreign = IesPersonChanged.model_construct()  # an ies_sync event; intake may not publish it

    async def by_hand():
        async with unit_of_work(db) as uow:
            await uow.session.execute(insert(cases).values(id="by-hand"))
            uow.publish(status("c1"), subject="c1")
            uow.publish(foreign, subject="c1")
            await uow.commit()

    async def from_an_aggregate():
        async with unit_of_work(db) as uow:
            case = CaseFile("from-aggregate")
            uow.session.add(case)
            uow.publish(status("c1"), subject="c1")
            case.annotate("x", foreign)
            await uow.commit()

    async def written():
        async with db() as session:
            return [await session.scalar(select(func.count()).select_from(table)) for table in (cases, outbox, sequences)]

    with pytest.raises(ForeignEvent, match="isets.ies_sync.v1"):
        asyncio.run(by_hand())
    with pytest.raises(ForeignEvent, match="isets.ies_sync.v1"):
        asyncio.run(from_an_aggregate())
    assert asyncio.run(written()) == [0, 0, 0]


# --- relay rounds --------------------------------------------------------------------------------------
class FlakyPublisher:
    """Stands in for a FastStream publisher; fails the sends `fail(row key, sequence)` answers an error for."""

    def __init__(self, fail=lambda key, sequence: None):
        self.sent: list[tuple[str, int]] = []
        self.fail = fail

    async def publish(self, body, *, key=None, headers=None, no_confirm=False):
        sequence = json.loads(body)["sequence"]
        future = asyncio.get_running_loop().create_future()
        error = self.fail(key.decode(), sequence)
        if error is None:
            self.sent.append((key.decode(), sequence))
            future.set_result(None)
        else:
            future.set_exception(error)
        return future


def relay_with(db, publisher) -> OutboxRelay:
    return OutboxRelay(db, outbox, {topics.INTAKE: publisher}, asyncio.Event(), batch_size=100)


def test_partial_relay_failure_sends_no_later_row_of_the_failed_key_and_marks_the_others_published(db):
    down = {"a": 2}  # a's second row fails (the broker may get over it)
    publisher = FlakyPublisher(lambda key, seq: KafkaConnectionError() if down.get(key) == seq else None)
    relay = relay_with(db, publisher)

    async def scenario():
        await write(db, "a", "b", "c")
        await write(db, "a", "b")
        await write(db, "a", "b")
        with pytest.raises(KafkaConnectionError):
            await relay.publish_pending()
        after_failure = await outbox_rows(db)
        down.clear()
        await relay.publish_pending()
        return after_failure, await outbox_rows(db)

    after_failure, after_recovery = asyncio.run(scenario())
    published = {(row.key, row.sequence) for row in after_failure if row.published_at is not None}
    assert published == {("a", 1), ("b", 1), ("b", 2), ("b", 3), ("c", 1)}
    assert [(row.key, row.sequence, row.attempts) for row in after_failure if row.published_at is None] == [("a", 2, 1), ("a", 3, 0)]
    assert ("a", 3) not in publisher.sent[:6]  # never sent before a's second row
    assert [seq for key, seq in publisher.sent if key == "a"] == [1, 2, 3]
    assert all(row.published_at is not None for row in after_recovery)


def test_parked_row_holds_back_the_later_rows_of_its_key_until_discarded_or_retried(db):
    too_large = {("a", 2)}
    publisher = FlakyPublisher(lambda key, seq: MessageSizeTooLargeError() if (key, seq) in too_large else None)
    relay = relay_with(db, publisher)

    async def state():
        return {(row.key, row.sequence): ("published" if row.published_at else "parked" if row.parked_at else "pending")
                for row in await outbox_rows(db)}

    async def scenario():
        await write(db, "a", "b")
        await write(db, "a", "b")
        await write(db, "a")
        await relay.publish_pending()
        await relay.publish_pending()  # the held row stays held on later cycles
        held = await state()
        [parked] = await outbox_command.parked_rows(db, outbox)
        await outbox_command.retry(db, outbox, [parked["id"]])
        await relay.publish_pending()  # tried again, first, and parked again
        retried = (await state(), list(publisher.sent), (await outbox_command.parked_rows(db, outbox))[0]["attempts"])
        await outbox_command.discard(db, outbox, [parked["id"]])
        await relay.publish_pending()
        return held, parked, retried, await state()

    held, parked, retried, after_discard = asyncio.run(scenario())
    assert held == {("a", 1): "published", ("a", 2): "parked", ("a", 3): "pending", ("b", 1): "published", ("b", 2): "published"}
    assert set(parked) == {"id", "key", "event_type", "sequence", "attempts", "last_error", "parked_at"}  # no payload
    assert (parked["key"], parked["sequence"], parked["attempts"]) == ("a", 2, 1)
    assert retried == (held, [("a", 1), ("b", 1), ("b", 2)], 2)  # a's second row tried again, a's third held
    assert after_discard[("a", 3)] == "published"
    assert [seq for key, seq in publisher.sent if key == "a"] == [1, 3]


def test_outbox_command_lists_parked_rows_as_json_lines(db, tmp_path, capsys):
    async def park():
        await write(db, "a")
        async with db() as session, session.begin():
            await session.execute(outbox.update().values(parked_at=func.now(), last_error="MessageSizeTooLargeError()"))

    asyncio.run(park())
    settings = ServiceSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'kit.db'}")
    outbox_command.main("test", settings, outbox, ["list"])
    [line] = capsys.readouterr().out.splitlines()
    assert json.loads(line)["key"] == "a" and "payload" not in json.loads(line)
    outbox_command.main("test", settings, outbox, ["discard", "--id", str(json.loads(line)["id"])])
    assert "1 parked row(s) of test discarded" in capsys.readouterr().out
    outbox_command.main("test", settings, outbox, ["list"])
    assert capsys.readouterr().out == ""


# --- migrations ----------------------------------------------------------------------------------------
def test_the_kit_migration_steps_build_exactly_the_kit_messaging_tables(tmp_path):
    declared = MetaData()
    add_messaging_tables(declared)
    with create_engine(f"sqlite:///{tmp_path / 'steps.db'}").begin() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        create_messaging_tables(Operations(context), through=list(STEPS)[-1])
        assert compare_metadata(MigrationContext.configure(connection), declared) == []
