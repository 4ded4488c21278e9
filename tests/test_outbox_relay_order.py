"""The producer keeps each key's order on the real broker and the real PostgreSQL: concurrent transactions of
one key, a relay batch that partly failed, and a row Kafka will never take (parked, holding its key back)."""

import asyncio
import json
import os
import random
import uuid
from datetime import UTC, date, datetime

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import KafkaConnectionError
from faststream.kafka import KafkaBroker
from sqlalchemy import MetaData, insert, select

from isets_contracts import topics
from isets_contracts.events import EtStatusChanged
from isets_contracts.reference import EtStatus
from isets_kit import outbox as outbox_command
from isets_kit.db import make_engine, make_sessions
from isets_kit.messaging_tables import add_messaging_tables
from isets_kit.relay import OutboxRelay, TopicLimits
from isets_kit.unit_of_work import UnitOfWork
from deploy.stack import recreate_databases

pytestmark = pytest.mark.kafka

PG_PORT = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
metadata = MetaData()
outbox, _ = add_messaging_tables(metadata)


async def fresh_database(name: str):
    await recreate_databases(PG_PORT, [name])
    engine = make_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{name}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return engine, make_sessions(engine)


async def create_topic(bootstrap: str, partitions: int, **config: str) -> str:
    name = f"isets.test_relay_{uuid.uuid4().hex[:8]}.v1"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1, topic_configs=config)])
    finally:
        await admin.close()
    return name


async def add_rows(sessions, topic: str, rows: list[tuple[str, int, int]]) -> None:
    """Outbox rows (key, sequence, payload padding), committed in the order given."""
    async with sessions() as session, session.begin():
        await session.execute(
            insert(outbox),
            [
                {"event_id": str(uuid.uuid4()), "event_type": "test.row", "topic": topic, "key": key, "sequence": sequence,
                 "payload": json.dumps({"key": key, "sequence": sequence, "pad": "x" * padding}),
                 "created_at": datetime.now(UTC)}
                for key, sequence, padding in rows
            ],
        )


async def on_topic(bootstrap: str, topic: str, expected: int, timeout: float = 20) -> list[tuple[str, int]]:
    """(key, sequence) of every record on the topic, in each partition's order, once `expected` are there."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest")
    await consumer.start()
    records = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(records) < expected and asyncio.get_running_loop().time() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        await asyncio.sleep(0.5)  # nothing more than expected should follow
        for batch in (await consumer.getmany(timeout_ms=500)).values():
            records.extend(batch)
    finally:
        await consumer.stop()
    return [(r.key.decode(), json.loads(r.value)["sequence"]) for r in records]


def of_key(sent: list[tuple[str, int]], key: str) -> list[int]:
    return [sequence for k, sequence in sent if k == key]


async def states(sessions) -> dict[tuple[str, int], str]:
    async with sessions() as session:
        rows = await session.execute(select(outbox).order_by(outbox.c.id))
        return {(row.key, row.sequence): "published" if row.published_at else "parked" if row.parked_at else "pending"
                for row in rows}


def test_concurrent_transactions_of_one_key_keep_commit_order_as_id_order_and_sequence_order(infrastructure):
    async def scenario():
        engine, sessions = await fresh_database("isets_test_relay_sequences")

        async def transaction():
            async with UnitOfWork(sessions, outbox, "test", asyncio.Event(), topic=topics.INTAKE) as uow:
                for _ in range(2):
                    uow.publish(
                        EtStatusChanged(customer_id="c1", status=EtStatus.ACTIVE, previous_status=None,
                                        effective_date=date(2026, 11, 25), cause="t"),
                        subject="c1",
                    )
                await asyncio.sleep(random.random() / 50)
                await uow.commit()

        try:
            await asyncio.gather(*(transaction() for _ in range(8)))
            async with sessions() as session:
                return list(await session.scalars(select(outbox.c.sequence).order_by(outbox.c.id)))
        finally:
            await engine.dispose()

    assert asyncio.run(scenario()) == list(range(1, 17))


def test_parked_row_holds_back_the_later_rows_of_its_key_on_the_real_broker(infrastructure):
    async def scenario():
        engine, sessions = await fresh_database("isets_test_relay_parked")
        # One partition: the too-large row shares its produce batch with another key's row, which must still go out.
        topic = await create_topic(infrastructure, 1, **{"max.message.bytes": "4096"})
        broker = KafkaBroker(infrastructure, enable_idempotence=True)
        relay = OutboxRelay(sessions, outbox, {topic: broker.publisher(topic)}, asyncio.Event(), limits=TopicLimits(infrastructure))
        await broker.start()
        try:
            await add_rows(sessions, topic, [("a", 1, 10), ("b", 1, 10), ("a", 2, 20_000), ("b", 2, 10), ("a", 3, 10), ("b", 3, 10)])
            await relay.publish_pending()
            await relay.publish_pending()
            held = await states(sessions)
            sent_while_held = await on_topic(infrastructure, topic, expected=4)

            [parked] = await outbox_command.parked_rows(sessions, outbox)
            assert (parked["key"], parked["sequence"]) == ("a", 2) and "max.message.bytes" in parked["last_error"]
            assert await outbox_command.retry(sessions, outbox, [parked["id"]]) == 1
            await relay.publish_pending()  # tried again: still too large, parked again; a's third row still held
            [parked_again] = await outbox_command.parked_rows(sessions, outbox)
            after_retry = await states(sessions)

            assert await outbox_command.discard(sessions, outbox, [parked["id"]]) == 1
            await relay.publish_pending()
            after_discard = await states(sessions)
            sent = await on_topic(infrastructure, topic, expected=5)
            return held, sent_while_held, parked_again, after_retry, after_discard, sent
        finally:
            await broker.stop()
            await engine.dispose()

    held, sent_while_held, parked_again, after_retry, after_discard, sent = asyncio.run(scenario())
    assert held == {("a", 1): "published", ("b", 1): "published", ("a", 2): "parked", ("b", 2): "published",
                    ("a", 3): "pending", ("b", 3): "published"}
    assert of_key(sent_while_held, "a") == [1] and of_key(sent_while_held, "b") == [1, 2, 3]
    assert parked_again["attempts"] == 2 and after_retry == held
    assert after_discard[("a", 3)] == "published"
    assert of_key(sent, "a") == [1, 3] and of_key(sent, "b") == [1, 2, 3]


def test_parked_row_retried_once_its_topic_takes_it_goes_out_before_the_rows_it_held_back(infrastructure):
    async def scenario():
        engine, sessions = await fresh_database("isets_test_relay_retried")
        topic = await create_topic(infrastructure, 1, **{"max.message.bytes": "4096"})
        broker = KafkaBroker(infrastructure, enable_idempotence=True)
        relay = OutboxRelay(sessions, outbox, {topic: broker.publisher(topic)}, asyncio.Event(), limits=TopicLimits(infrastructure))
        await broker.start()
        try:
            await add_rows(sessions, topic, [("c", 1, 20_000), ("c", 2, 10)])
            await relay.publish_pending()
            held = await states(sessions)
            admin = AIOKafkaAdminClient(bootstrap_servers=infrastructure)  # the operator raises the topic's limit
            await admin.start()
            try:
                await admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, {"max.message.bytes": "100000"})])
            finally:
                await admin.close()
            assert await outbox_command.retry(sessions, outbox) == 1
            await relay.publish_pending()
            return held, await states(sessions), await on_topic(infrastructure, topic, expected=2)
        finally:
            await broker.stop()
            await engine.dispose()

    held, after_retry, sent = asyncio.run(scenario())
    assert held == {("c", 1): "parked", ("c", 2): "pending"}
    assert set(after_retry.values()) == {"published"} and of_key(sent, "c") == [1, 2]


class FailingOnce:
    """The real publisher, but one key's row fails once as if the broker were unreachable for it."""

    def __init__(self, publisher, key: str, sequence: int):
        self._publisher, self._failing = publisher, (key, sequence)

    async def publish(self, body, *, key, headers, no_confirm):
        if (key.decode(), json.loads(body)["sequence"]) == self._failing:
            self._failing = None
            raise KafkaConnectionError("broker unreachable")
        return await self._publisher.publish(body, key=key, headers=headers, no_confirm=no_confirm)


def test_partial_relay_failure_never_sends_a_later_row_of_a_key_first_on_the_real_broker(infrastructure):
    async def scenario():
        engine, sessions = await fresh_database("isets_test_relay_partial")
        topic = await create_topic(infrastructure, 3)
        broker = KafkaBroker(infrastructure, enable_idempotence=True)
        relay = OutboxRelay(
            sessions, outbox, {topic: FailingOnce(broker.publisher(topic), "a", 2)}, asyncio.Event(), limits=TopicLimits(infrastructure)
        )
        await broker.start()
        try:
            await add_rows(sessions, topic, [(key, n, 10) for n in (1, 2, 3) for key in ("a", "b", "c")])
            with pytest.raises(KafkaConnectionError):
                await relay.publish_pending()
            after_failure = await states(sessions)
            sent_after_failure = await on_topic(infrastructure, topic, expected=7)
            await relay.publish_pending()
            return after_failure, sent_after_failure, await states(sessions), await on_topic(infrastructure, topic, expected=9)
        finally:
            await broker.stop()
            await engine.dispose()

    after_failure, sent_after_failure, after_recovery, sent = asyncio.run(scenario())
    assert {row for row, state in after_failure.items() if state == "pending"} == {("a", 2), ("a", 3)}
    assert of_key(sent_after_failure, "a") == [1]
    assert of_key(sent_after_failure, "b") == [1, 2, 3] and of_key(sent_after_failure, "c") == [1, 2, 3]
    assert set(after_recovery.values()) == {"published"}
    assert of_key(sent, "a") == [1, 2, 3]
