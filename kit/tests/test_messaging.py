"""Outbox, relay and idempotent consumer against a real (SQLite) database; the broker side is faked here
and proven for real in tests/ on Kafka."""

import asyncio
import gc
import json
import weakref
from datetime import UTC, date, datetime

import pytest
from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.exc import DBAPIError, OperationalError

from isets_contracts import Envelope, topics
from isets_contracts.events import EtStatusChanged, ReferralRejected
from isets_contracts.reference import EtStatus
from isets_kit import consumer as consumer_module
from isets_kit.consumer import EventConsumer, is_transient
from isets_kit.messaging_tables import add_messaging_tables
from isets_kit.relay import OutboxRelay
from isets_kit.testing import sqlite_sessions
from isets_kit.unit_of_work import UnitOfWork

metadata = MetaData()
effects = Table("effect", metadata, Column("id", Integer, primary_key=True), Column("note", String(100)))
outbox, inbox = add_messaging_tables(metadata)


class SqlState(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


class FakePublisher:
    """Stands in for a FastStream publisher: records what was sent, can fail on demand."""

    def __init__(self):
        self.sent: list[tuple] = []
        self.down = False

    async def publish(self, body, *, key=None, headers=None, no_confirm=False):
        future = asyncio.get_running_loop().create_future()
        if self.down:
            future.set_exception(ConnectionError("broker unreachable"))
        else:
            self.sent.append((body, key, headers))
            future.set_result(None)
        return future if no_confirm else await future


@pytest.fixture
def db(tmp_path):
    with sqlite_sessions(tmp_path / "kit.db", metadata) as sessions:
        yield sessions


def status_event(customer: str = "c1") -> Envelope:
    payload = EtStatusChanged(customer_id=customer, status=EtStatus.ACTIVE, previous_status=None, effective_date=date(2026, 11, 24), cause="t")
    return Envelope.wrap(payload, source="test", subject=customer)


def record(offset: int, value: bytes, key: bytes | None = None) -> ConsumerRecord:
    """A record keyed by its envelope's subject, as the relay sends it (b"k" when it is no envelope)."""
    if key is None:
        try:
            key = json.loads(value)["subject"].encode()
        except ValueError:
            key = b"k"
    return ConsumerRecord("isets.intake.v1", 0, offset, 0, 0, key, value, None, 1, len(value), [])


def consumer_with(db, handler, retries: int = 3, more_handlers: dict | None = None) -> tuple[EventConsumer, FakePublisher]:
    consumer = EventConsumer(
        group="test",
        broker=KafkaBroker(),
        unit_of_work=lambda: UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE),
        metadata=metadata,
        handlers={EtStatusChanged: handler} | (more_handlers or {}),
        retries=retries,
        backoff_seconds=0,
    )
    dead_letters = FakePublisher()
    consumer._dead_letters = dead_letters
    return consumer, dead_letters


async def count(db, table) -> int:
    async with db() as session:
        return await session.scalar(select(func.count()).select_from(table))


def test_event_delivered_twice_is_applied_once(db):
    async def handler(uow, envelopes):
        for envelope in envelopes:
            await uow.session.execute(insert(effects).values(note=str(envelope.id)))

    consumer, _ = consumer_with(db, handler)
    raw = status_event().model_dump_json().encode()

    async def scenario():
        await consumer.process([record(0, raw), record(1, raw)])
        await consumer.process([record(2, raw)])
        return await count(db, effects), await count(db, inbox)

    assert asyncio.run(scenario()) == (1, 1)


def test_undecodable_message_is_dead_lettered_once_and_the_rest_of_the_batch_applied(db):
    async def handler(uow, envelopes):
        for _ in envelopes:
            await uow.session.execute(insert(effects).values(note="ok"))

    consumer, dead_letters = consumer_with(db, handler)
    batch = [record(0, b"not json"), record(1, status_event().model_dump_json().encode())]

    async def scenario():
        await consumer.process(batch)
        await consumer.process(batch)
        return await count(db, effects)

    assert asyncio.run(scenario()) == 1
    [(body, key, headers)] = dead_letters.sent
    assert body == b"not json" and key == b"k"
    assert headers["x-original-offset"] == "0" and headers["x-error"].startswith("undecodable event")


def test_failing_event_is_retried_then_dead_lettered_while_others_apply(db):
    poison, good = status_event("poison"), status_event("good")
    attempts: list[str] = []

    async def handler(uow, envelopes):
        for envelope in envelopes:
            attempts.append(envelope.subject)
            if envelope.subject == "poison":
                raise ValueError("cannot apply")
            await uow.session.execute(insert(effects).values(note=envelope.subject))

    consumer, dead_letters = consumer_with(db, handler, retries=3)

    batch = [record(0, poison.model_dump_json().encode()), record(1, good.model_dump_json().encode())]

    async def scenario():
        await consumer.process(batch)
        await consumer.process(batch)  # the same records again, as after a rebalance
        async with db() as session:
            parked = metadata.tables["parked_events"]
            return list(await session.scalars(select(effects.c.note))), dict((await session.execute(select(parked.c.event_id, parked.c.reason))).all())

    notes, parked_rows = asyncio.run(scenario())
    assert notes == ["good"]
    assert attempts.count("poison") == 1 + 3  # once in the batch, then 3 attempts alone; never again
    assert len(dead_letters.sent) == 1 and dead_letters.sent[0][2]["x-error"] == "ValueError: cannot apply"
    assert parked_rows == {str(poison.id): "failed"}


def test_event_that_fails_once_then_succeeds_is_applied_not_dead_lettered(db):
    failures = [ValueError("flaky")]

    async def handler(uow, envelopes):
        if failures:
            raise failures.pop()
        await uow.session.execute(insert(effects).values(note="ok"))

    consumer, dead_letters = consumer_with(db, handler)
    asyncio.run(consumer.process([record(0, status_event().model_dump_json().encode())]))
    assert asyncio.run(count(db, effects)) == 1 and dead_letters.sent == []


@pytest.mark.parametrize(
    "error,transient",
    [
        (OperationalError("SELECT 1", {}, Exception("connection refused")), True),
        (DBAPIError("SELECT 1", {}, SqlState("57P01")), True),  # admin shutdown: the server restarts
        (DBAPIError("SELECT 1", {}, SqlState("40P01")), True),  # deadlock
        (DBAPIError("INSERT", {}, SqlState("23505")), False),  # unique violation: the message's own fault
        (ConnectionRefusedError(), True),
        (ValueError("bad data"), False),
    ],
)
def test_infrastructure_errors_are_told_apart_from_bad_messages(error, transient):
    assert is_transient(error) is transient


def test_database_outage_is_raised_so_the_partition_is_rewound_not_skipped(db, monkeypatch):
    async def handler(uow, envelopes):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    consumer, dead_letters = consumer_with(db, handler)
    monkeypatch.setattr(consumer_module, "REWIND_PAUSE_SECONDS", 0)
    with pytest.raises(OperationalError):
        asyncio.run(consumer.process([record(0, status_event().model_dump_json().encode())]))
    assert dead_letters.sent == []


def test_event_types_the_service_does_not_handle_are_ignored(db):
    calls = []

    async def handler(uow, envelopes):
        calls.extend(envelopes)

    consumer, dead_letters = consumer_with(db, handler)
    other = Envelope.wrap(ReferralRejected(customer_id="c", referral_number=1, record_number="1.2", location="L", reason="r"), source="t", subject="c")
    asyncio.run(consumer.process([record(0, other.model_dump_json().encode())]))
    assert calls == [] and dead_letters.sent == [] and asyncio.run(count(db, inbox)) == 0


def test_outbox_rows_are_written_only_when_the_transaction_commits(db):
    async def scenario():
        async with UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE) as uow:
            uow.publish(status_event().data, subject="c1")  # never committed
        async with UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE) as uow:
            uow.publish(status_event().data, subject="c2")
            await uow.commit()
        async with db() as session:
            return list(await session.scalars(select(outbox.c.key)))

    assert asyncio.run(scenario()) == ["c2"]


def test_a_finished_unit_of_work_and_its_events_are_freed_without_the_cycle_collector(db):
    """An import's transaction publishes thousands of events: they go when the unit of work does, not when
    Python's collector next comes round (which a started service makes rarer)."""
    async def scenario():
        uow = UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE)
        async with uow:
            uow.publish(status_event().data, subject="c1")
            await uow.commit()
        published = weakref.ref(uow.published[0])
        del uow
        return published

    gc.disable()
    try:
        assert asyncio.run(scenario())() is None
    finally:
        gc.enable()


def test_relay_marks_rows_sent_only_after_the_broker_acknowledged_them(db):
    publisher = FakePublisher()
    relay = OutboxRelay(db, outbox, {"isets.intake.v1": publisher}, asyncio.Event(), batch_size=10)

    async def scenario():
        async with UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE) as uow:
            for customer in ("c1", "c2", "c3"):
                uow.publish(status_event(customer).data, subject=customer)
            await uow.commit()
        publisher.down = True
        with pytest.raises(ConnectionError):
            await relay.publish_pending()
        publisher.down = False
        async with db() as session:
            after_failure = (await session.execute(select(outbox.c.published_at, outbox.c.attempts, outbox.c.last_error))).all()
        published = await relay.publish_pending()
        async with db() as session:
            pending = await session.scalar(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None)))
        return after_failure, published, pending

    after_failure, published, pending = asyncio.run(scenario())
    assert all(row.published_at is None for row in after_failure)
    assert [(row.attempts, "broker unreachable" in (row.last_error or "")) for row in after_failure] == [(1, True)] * 3
    assert published == 3 and pending == 0
    assert [key for _, key, _ in publisher.sent][-3:] == [b"c1", b"c2", b"c3"]  # in commit order


def test_relay_sends_the_envelope_with_its_type_header(db):
    publisher = FakePublisher()
    relay = OutboxRelay(db, outbox, {"isets.intake.v1": publisher}, asyncio.Event())

    async def scenario():
        async with UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE) as uow:
            uow.publish(status_event().data, subject="c1")
            await uow.commit()
        await relay.publish_pending()
        return uow.published[0]

    sent = asyncio.run(scenario())
    body, key, headers = publisher.sent[0]
    assert Envelope[EtStatusChanged].model_validate_json(body) == sent
    assert headers["event-type"] == "intake.et_status.changed" and key == b"c1"
    assert sent.time.tzinfo is UTC or sent.time.utcoffset().total_seconds() == 0
    assert isinstance(sent.time, datetime)


def test_events_of_a_batch_reach_their_handlers_in_order_in_runs_of_one_type(db):
    seen: list[tuple[str, list[str]]] = []

    async def on_status(uow, envelopes):
        seen.append(("status", [e.subject for e in envelopes]))

    async def on_rejected(uow, envelopes):
        seen.append(("rejected", [e.subject for e in envelopes]))

    consumer, _ = consumer_with(db, on_status, more_handlers={ReferralRejected: on_rejected})
    rejected = Envelope.wrap(ReferralRejected(customer_id="c", referral_number=1, record_number="1.2", location="L", reason="r"), source="t", subject="r1")
    batch = [status_event("s1"), status_event("s2"), rejected, status_event("s3")]
    asyncio.run(consumer.process([record(i, e.model_dump_json().encode()) for i, e in enumerate(batch)]))
    assert seen == [("status", ["s1", "s2"]), ("rejected", ["r1"]), ("status", ["s3"])]


def test_events_published_while_handling_carry_the_cause(db):
    async def handler(uow, envelopes):
        for envelope in envelopes:
            uow.publish(ReferralRejected(customer_id="c", referral_number=1, record_number="1.2", location="L", reason="r"), subject="c", cause=envelope)

    consumer, _ = consumer_with(db, handler)
    cause = status_event()
    asyncio.run(consumer.process([record(0, cause.model_dump_json().encode())]))

    async def read():
        async with db() as session:
            return Envelope[ReferralRejected].model_validate_json(await session.scalar(select(outbox.c.payload)))

    published = asyncio.run(read())
    assert published.causation_id == str(cause.id) and published.correlation_id == str(cause.id)


def test_a_row_that_can_never_be_published_is_parked_and_the_rows_behind_it_go_out(db):
    publisher = FakePublisher()
    relay = OutboxRelay(db, outbox, {"isets.intake.v1": publisher}, asyncio.Event())

    async def scenario():
        async with UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE) as uow:
            uow.publish(status_event("c1").data, subject="c1")
            await uow.commit()
        async with db() as session, session.begin():  # a row for a topic this relay has no publisher for
            await session.execute(outbox.update().where(outbox.c.key == "c1").values(topic="isets.nowhere.v1"))
        async with UnitOfWork(db, outbox, "test", asyncio.Event(), topic=topics.INTAKE) as uow:
            uow.publish(status_event("c2").data, subject="c2")
            await uow.commit()
        published = await relay.publish_pending()
        async with db() as session:
            rows = (await session.execute(select(outbox.c.key, outbox.c.published_at, outbox.c.parked_at).order_by(outbox.c.id))).all()
        return published, rows

    published, rows = asyncio.run(scenario())
    assert published == 1 and [key for _, key, _ in publisher.sent] == [b"c2"]
    assert rows[0].parked_at is not None and rows[0].published_at is None
    assert rows[1].published_at is not None


def test_housekeeping_prunes_only_old_published_outbox_rows_and_old_inbox_rows(db):
    from datetime import timedelta

    from isets_kit.housekeeping import prune

    now = datetime(2026, 11, 24, tzinfo=UTC)
    old, recent = now - timedelta(days=40), now - timedelta(days=1)

    def outbox_row(key, created, published=None, parked=None):
        return {"event_id": key, "event_type": "t", "topic": "x", "key": key, "payload": "{}", "created_at": created,
                "published_at": published, "parked_at": parked}

    async def scenario():
        async with db() as session, session.begin():
            await session.execute(insert(outbox), [
                outbox_row("old-published", old, published=old),
                outbox_row("old-unpublished", old),
                outbox_row("old-parked", old, parked=old),
                outbox_row("recent-published", recent, published=recent),
            ])
            await session.execute(insert(inbox), [
                {"event_id": "old", "consumer": "c", "event_type": "t", "processed_at": old},
                {"event_id": "recent", "consumer": "c", "event_type": "t", "processed_at": recent},
            ])
        removed = await prune(db, outbox, inbox, now, outbox_days=7, inbox_days=30)
        async with db() as session:
            return removed, set(await session.scalars(select(outbox.c.key))), set(await session.scalars(select(inbox.c.event_id)))

    removed, outbox_keys, inbox_ids = asyncio.run(scenario())
    assert removed == (1, 1)
    assert outbox_keys == {"old-unpublished", "old-parked", "recent-published"}
    assert inbox_ids == {"recent"}
