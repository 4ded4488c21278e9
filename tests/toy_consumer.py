"""A throwaway consumer on the real broker and a real database: the kit's EventConsumer with a handler
the test controls, on a topic and an event type of its own (registered only while the test runs)."""

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from faststream.kafka import KafkaBroker
from pydantic import Field
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, func, insert, select

from isets_contracts import Envelope, Event, topics
from isets_contracts.envelope import EVENT_TYPES, event
from isets_kit.consumer import EventConsumer
from isets_kit.db import make_engine, make_sessions
from isets_kit.messaging_tables import add_messaging_tables
from isets_kit.unit_of_work import UnitOfWork

metadata = MetaData()
applied = Table(
    "applied",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("subject", String(120), nullable=False),
    Column("n", Integer, nullable=False),
    Column("event_id", String(36), nullable=False),
)
outbox, inbox = add_messaging_tables(metadata)
positions, parked = metadata.tables["subject_positions"], metadata.tables["parked_events"]


def probe_type(topic: str) -> type[Event]:
    """A fresh event type published on `topic` (remove it with forget())."""

    class Probe(Event):
        n: int
        name: str | None = None  # personal data, for the tests that check it never leaks
        ssn_last4: str | None = Field(default=None, pattern=r"^\d{4}$")

    return event(f"test.probe.{uuid.uuid4().hex[:12]}", topic)(Probe)


def forget(event_type: type[Event]) -> None:
    EVENT_TYPES.pop((event_type.event_type, event_type.event_version), None)


async def create_topics(bootstrap: str, *names: str, partitions: int = 2) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1) for name in names])
    finally:
        await admin.close()


async def eventually(condition: Callable[[], Awaitable[Any]], timeout: float = 60, message: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = await condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        await asyncio.sleep(0.2)


class Toy:
    """The consumer under test, its database and its broker; `failing` holds (subject, n) the handler refuses."""

    def __init__(self, bootstrap: str, database_url: str, batch_size: int = 500):
        self.bootstrap = bootstrap
        self.prefix = uuid.uuid4().hex[:10]  # the toys of one test session share a database
        self.topic = f"isets.test-{self.prefix}.v1"
        self.group = f"toy-{uuid.uuid4().hex[:10]}"
        self.Probe = probe_type(self.topic)
        self.failing: set[tuple[str, int]] = set()
        self.on_batch: Callable[[list[Envelope]], Awaitable[None]] | None = None
        self.engine = make_engine(database_url)
        self.sessions = make_sessions(self.engine)
        self.broker = KafkaBroker(bootstrap, logger=None)
        self.consumer = EventConsumer(
            group=self.group,
            broker=self.broker,
            unit_of_work=lambda: UnitOfWork(self.sessions, outbox, "toy", asyncio.Event(), topic=None),
            metadata=metadata,
            handlers={self.Probe: self._handle},
            retries=2,
            backoff_seconds=0.01,
            batch_size=batch_size,
        )

    async def _handle(self, uow: UnitOfWork, envelopes: list[Envelope]) -> None:
        if self.on_batch is not None:
            await self.on_batch(envelopes)
        for envelope in envelopes:
            if (envelope.subject, envelope.data.n) in self.failing:
                raise ValueError("refused by the test")
        await uow.session.execute(
            insert(applied), [{"subject": e.subject, "n": e.data.n, "event_id": str(e.id)} for e in envelopes]
        )

    def subject(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def envelope(self, subject: str, n: int, sequence: int | None = None, **data: Any) -> Envelope:
        return Envelope.wrap(self.Probe(n=n, **data), source="test", subject=subject, sequence=sequence)

    async def produce(self, *items: Envelope | tuple[str, bytes], partition: int = 0) -> None:
        """Envelopes (keyed by subject), or raw (key, value) pairs, in order onto one partition."""
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            for item in items:
                key, value = (item.subject, item.model_dump_json().encode()) if isinstance(item, Envelope) else item
                await producer.send_and_wait(self.topic, value, key=key.encode(), partition=partition)
        finally:
            await producer.stop()

    async def applied_event_ids(self) -> list[str]:
        async with self.sessions() as session:
            return list(await session.scalars(select(applied.c.event_id).where(applied.c.subject.startswith(self.prefix))))

    async def applied(self, subject: str | None = None) -> list[tuple[str, int]]:
        query = select(applied.c.subject, applied.c.n).where(applied.c.subject.startswith(self.prefix)).order_by(applied.c.id)
        if subject is not None:
            query = query.where(applied.c.subject == subject)
        async with self.sessions() as session:
            return [tuple(row) for row in (await session.execute(query)).all()]

    async def parked(self) -> list[tuple[str, str, int | None]]:
        """(subject, reason, n) of the parked events, in parked order."""
        async with self.sessions() as session:
            rows = (await session.execute(select(parked.c.subject, parked.c.reason, parked.c.value)
                                          .where(parked.c.consumer == self.group).order_by(parked.c.id))).all()
        return [(row.subject, row.reason, _n_of(row.value)) for row in rows]

    async def held(self) -> set[str]:
        async with self.sessions() as session:
            return set(await session.scalars(select(positions.c.subject).where(
                positions.c.consumer == self.group, positions.c.held_since.is_not(None))))

    async def inbox_count(self) -> int:
        async with self.sessions() as session:
            return await session.scalar(select(func.count()).select_from(inbox).where(inbox.c.consumer == self.group))

    async def dead_letters(self, expected: int, timeout: float = 30) -> list:
        """The records on the consumer's dead-letter topic, once there are `expected` of them."""
        consumer = AIOKafkaConsumer(topics.dead_letter(self.group), bootstrap_servers=self.bootstrap,
                                    auto_offset_reset="earliest", group_id=None)
        await consumer.start()
        try:
            letters: list = []
            deadline = time.monotonic() + timeout
            while len(letters) < expected and time.monotonic() < deadline:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    letters.extend(records)
            return letters
        finally:
            await consumer.stop()

    @asynccontextmanager
    async def running(self, before_start: Callable[[], Awaitable[None]] | None = None):
        await create_topics(self.bootstrap, self.topic, topics.dead_letter(self.group))
        async with self.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        if before_start is not None:
            await before_start()
        await self.broker.start()
        try:
            yield self
        finally:
            await self.broker.stop()

    async def close(self) -> None:
        forget(self.Probe)
        await self.engine.dispose()


def _n_of(value: bytes) -> int | None:
    try:
        return json.loads(value)["data"]["n"]
    except (ValueError, KeyError, TypeError):
        return None
