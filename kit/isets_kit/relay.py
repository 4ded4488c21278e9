"""Outbox relay: publishes committed outbox rows to Kafka in order, marks them sent, retries failures.

A row is marked published only after Kafka acknowledged it, so a crash between commit and publish
loses nothing: the row is still pending when the process comes back. A crash after publish and
before marking re-sends the row; consumers' inboxes make that harmless.

Each key's rows go out in id order, which is the key's commit order (see unit_of_work), and a later row
of a key is never sent before an earlier one has been confirmed. A row Kafka will never take is parked
and holds back the later rows of its key until an operator retries or discards it
(`python -m <service>.outbox`, see isets_kit.outbox); other keys go on.
"""

import asyncio
import logging
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import InvalidTopicError, MessageSizeTooLargeError, RecordTooLargeError, for_code
from aiokafka.record.default_records import DefaultRecordBatchBuilder
from sqlalchemy import Table, exists, func, select, text, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.db import is_postgres, one_of
from isets_kit.metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG
from isets_kit.unit_of_work import utcnow

log = logging.getLogger("isets.relay")

RELAY_LOCK = 0x15E7_0B0C  # PostgreSQL advisory lock key: one relay per service database publishes at a time
# Rows the broker will refuse however often they are sent (KeyError: no publisher for the row's topic).
UNSENDABLE = (MessageSizeTooLargeError, RecordTooLargeError, InvalidTopicError, KeyError)
BACKLOG_COUNT_SECONDS = 5.0
HEADERS_ALLOWANCE = 256  # bytes of headers the publisher adds to ours (e.g. FastStream's correlation id)


class TopicLimits:
    """The largest record each topic takes (its max.message.bytes), asked of the broker.

    The relay parks a row over its topic's limit without sending it: a record the broker refuses leaves a
    gap in the idempotent producer's sequence of its partition, which aiokafka's producer does not get over
    (OutOfOrderSequenceNumber for every later record of that partition)."""

    def __init__(self, bootstrap: str):
        self._bootstrap = bootstrap
        self._known: dict[str, int] = {}

    async def allows(self, topic: str, size: int) -> bool:
        if size <= self._known.get(topic, 0):
            return True
        self._known[topic] = await self._ask(topic)  # asked again before refusing: an operator may have raised it
        return size <= self._known[topic]

    async def _ask(self, topic: str) -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap)
        await admin.start()
        try:
            [response] = await admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, topic, {"max.message.bytes": None})]
            )
        finally:
            await admin.close()
        [(error_code, error_message, _type, _name, entries)] = response.resources
        if error_code:
            raise for_code(error_code)(f"{topic}: {error_message}")
        return int(next(entry[1] for entry in entries if entry[0] == "max.message.bytes"))


class KafkaSender:
    """Sends one topic's records with aiokafka's idempotent producer itself. The relay needs nothing of
    FastStream's publish path but send(), and that path (middlewares, a correlation id made per record) cost
    as much CPU again per record as the producer."""

    def __init__(self, topic: str, **producer_settings):
        self.topic = topic
        self._settings = producer_settings
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        self._producer = AIOKafkaProducer(enable_idempotence=True, **self._settings)
        await self._producer.start()

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()

    async def publish(self, body: bytes, *, key: bytes, headers: dict[str, str], no_confirm: bool = True) -> asyncio.Future:
        """Queue the record; the future resolves once Kafka acknowledged it (the relay waits on the futures).
        `no_confirm` is there for the signature the relay shares with FastStream's publishers."""
        return await self._producer.send(
            self.topic, body, key=key, headers=[(name, value.encode()) for name, value in headers.items()]
        )


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker,
        outbox: Table,
        publishers: dict[str, KafkaSender],
        wakeup: asyncio.Event,
        batch_size: int = 500,
        idle_poll_seconds: float = 1.0,
        limits: TopicLimits | None = None,
    ):
        """`limits`: the topics' size limits, checked before sending (None: the broker alone judges)."""
        self._sessions = sessions
        self._limits = limits
        self._outbox = outbox
        self._publishers = publishers
        self._wakeup = wakeup
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._backlog_counted_at = float("-inf")

    async def run_forever(self) -> None:
        backoff = 0.5
        while True:
            try:
                sent = await self.publish_pending()
                backoff = 0.5
            except Exception:  # broker or database down: keep the rows, try again later
                log.exception("outbox relay cycle failed; retrying in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30)
                continue
            if sent < self._batch_size:
                self._wakeup.clear()
                try:
                    await asyncio.wait_for(self._wakeup.wait(), self._idle_poll)
                except TimeoutError:
                    pass

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows; returns how many were published, raises if the broker failed."""
        outbox = self._outbox
        async with self._sessions() as session, session.begin():
            if is_postgres(session.bind) and not await session.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK))):
                return 0  # another replica's relay is publishing: one at a time keeps each customer's order
            rows = await self.read_pending(session)
            if not rows:
                OUTBOX_BACKLOG.set(0)
                return 0
            cycle = await self._send_in_rounds(rows)
            now = utcnow()
            if cycle.published:
                await session.execute(
                    update(outbox).where(one_of(outbox.c.id, [row.id for row in cycle.published])).values(published_at=now)
                )
            for row, error in cycle.parked:
                log.error("outbox row %s (%s) parked: it can never be published: %r", row.id, row.event_type, error)
                await session.execute(self._attempt_failed(row, error).values(parked_at=now))
            for row, error in cycle.failed:
                await session.execute(self._attempt_failed(row, error))
            for topic, sent in Counter(row.topic for row in cycle.published).items():
                EVENTS_PUBLISHED.labels(topic).inc(sent)
            if time.monotonic() >= self._backlog_counted_at + BACKLOG_COUNT_SECONDS or len(rows) < self._batch_size:
                # Counting a backlog of millions scans them all: while full cycles follow each other, now and then.
                backlog = await session.scalar(
                    select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None), outbox.c.parked_at.is_(None))
                )
                OUTBOX_BACKLOG.set(backlog or 0)
                self._backlog_counted_at = time.monotonic()
        if cycle.failed:
            raise cycle.failed[0][1]
        return len(cycle.published)

    async def read_pending(self, session) -> list:
        """The next batch of rows to send, in id order. On PostgreSQL without sorting: the scan walks the unsent
        rows' index in order and stops at the batch. With statistics from when few rows were unsent, PostgreSQL had
        read every unsent row and sorted them, for each batch (150 ms a cycle behind an extract's backlog)."""
        if is_postgres(session.bind):
            await session.execute(text("SET LOCAL enable_sort = off"))
        return (await session.execute(self.pending().order_by(self._outbox.c.id).limit(self._batch_size))).all()

    def pending(self):
        """Rows to send: not yet published, not parked, and not behind a parked (undiscarded) row of their key."""
        outbox = self._outbox
        holding = outbox.alias("holding")
        held_back = exists().where(  # served by the partial index ix_outbox_holding_back
            holding.c.key == outbox.c.key,
            holding.c.id < outbox.c.id,
            holding.c.parked_at.is_not(None),
            holding.c.discarded_at.is_(None),
        )
        return select(outbox).where(outbox.c.published_at.is_(None), outbox.c.parked_at.is_(None), ~held_back)

    def _attempt_failed(self, row, error: Exception):
        return (
            update(self._outbox)
            .where(self._outbox.c.id == row.id)
            .values(attempts=self._outbox.c.attempts + 1, last_error=repr(error)[:2000])
        )

    async def _send_in_rounds(self, rows) -> "Cycle":
        """Round k sends the k-th row of every key at once. A key whose row failed sends nothing more in this
        cycle, so a later row of a key never reaches Kafka before an earlier one; other keys go on."""
        cycle = Cycle()
        queues: dict[str, deque] = defaultdict(deque)
        for row in rows:
            queues[row.key].append(row)
        while queues:
            heads = [queue.popleft() for queue in queues.values()]
            errors = await self._send(heads)
            for row, error in zip(heads, errors, strict=True):
                if isinstance(error, UNSENDABLE) and len(heads) > 1:
                    # A broker refusal fails a partition's whole produce batch, so another key's row may carry
                    # the error of the bad one: each is tried alone before it is parked.
                    [error] = await self._send([row])
                if error is None:
                    cycle.published.append(row)
                    continue
                (cycle.parked if isinstance(error, UNSENDABLE) else cycle.failed).append((row, error))
                del queues[row.key]
            queues = {key: queue for key, queue in queues.items() if queue}
        return cycle

    async def _send(self, rows) -> list[Exception | None]:
        """Send rows concurrently (one per key); the error of each, or None once Kafka confirmed it."""
        started: list = []
        for row in rows:
            body, key = row.payload.encode(), row.key.encode()
            headers = {"content-type": "application/json", "event-type": row.event_type}
            try:
                publisher = self._publishers[row.topic]
                await self._check_size(row.topic, key, body, headers)
                started.append(await publisher.publish(body, key=key, headers=headers, no_confirm=True))
            except Exception as error:
                started.append(error)
        confirmations = iter(
            await asyncio.gather(*(s for s in started if not isinstance(s, Exception)), return_exceptions=True)
        )
        return [s if isinstance(s, Exception) else _error(next(confirmations)) for s in started]

    async def _check_size(self, topic: str, key: bytes, body: bytes, headers: dict[str, str]) -> None:
        if self._limits is None:
            return
        size = HEADERS_ALLOWANCE + DefaultRecordBatchBuilder.estimate_size_in_bytes(
            key, body, [(name, value.encode()) for name, value in headers.items()]
        )
        if not await self._limits.allows(topic, size):
            raise RecordTooLargeError(f"a record of about {size} bytes is over the max.message.bytes of {topic}")


def _error(result) -> Exception | None:
    return result if isinstance(result, Exception) else None


@dataclass
class Cycle:
    published: list = field(default_factory=list)
    parked: list[tuple] = field(default_factory=list)
    failed: list[tuple] = field(default_factory=list)  # kept pending: the broker may get over it
