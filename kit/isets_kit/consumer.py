"""Consuming events: explicit acks, idempotent inbox, retries with back-off, dead-letter topic.

A batch from Kafka is applied in one transaction (fast path). If that fails, each message is retried
on its own, in order, with back-off; one that still fails goes to the dead-letter topic with its
original bytes and the error, and the rest of the batch goes on. Offsets are committed only after the
database commit (AckPolicy.NACK_ON_ERROR): an infrastructure failure (database or broker down) rewinds
the partition instead of skipping or dead-lettering. Whatever was dead-lettered is recorded in the
inbox too, so a redelivery neither applies it nor dead-letters it twice.
"""

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from isets_contracts import Envelope, Event, decode, topics
from isets_contracts.envelope import peek_type
from isets_kit.metrics import EVENTS_CONSUMED, EVENTS_FAILED
from isets_kit.unit_of_work import UnitOfWork

log = logging.getLogger("isets.consumer")

# A handler gets consecutive events of its type from one batch, in order, within one transaction.
Handler = Callable[[UnitOfWork, list[Envelope]], Awaitable[None]]
# SQLSTATE classes of a database that is unavailable or busy, not of a bad message:
# connection, transaction rollback (serialization, deadlock), resources, operator intervention, system.
TRANSIENT_SQLSTATE_CLASSES = frozenset({"08", "40", "53", "57", "58"})
REWIND_PAUSE_SECONDS = 1.0
RETRY_BUDGET_SECONDS = 60.0  # back-off sleeps per batch stop here, well inside Kafka's poll interval


def is_transient(error: BaseException) -> bool:
    """An error of the infrastructure (retry the same message later), not of the message (dead-letter it)."""
    if isinstance(error, (OperationalError, InterfaceError, ConnectionError, OSError, TimeoutError)):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        sqlstate = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        return bool(sqlstate) and sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES
    return type(error).__module__.startswith("asyncpg") and "Connection" in type(error).__name__


def position_id(topic: str, partition: int, offset: int) -> str:
    """Inbox id of a record that has no event id of its own (it never decoded)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kafka:{topic}/{partition}/{offset}"))


async def _undecoded(_message: Any) -> None:
    """We decode the records ourselves, so a malformed body reaches the dead-letter path, not the framework."""
    return None


@dataclass
class Delivery:
    record: ConsumerRecord
    envelope: Envelope | None = None
    error: str | None = None

    @property
    def inbox_id(self) -> str:
        """The event id; for a record that never decoded, an id derived from where it sits in Kafka."""
        if self.envelope is not None:
            return str(self.envelope.id)
        return position_id(self.record.topic, self.record.partition, self.record.offset)

    @property
    def event_type(self) -> str:
        return self.envelope.type if self.envelope is not None else "undecodable"


class EventConsumer:
    def __init__(
        self,
        *,
        group: str,
        broker: KafkaBroker,
        unit_of_work: Callable[[], UnitOfWork],
        inbox: Table,
        handlers: dict[type[Event], Handler],
        retries: int = 3,
        backoff_seconds: float = 0.2,
        batch_size: int = 500,
    ):
        self.group = group
        self._broker = broker
        self._unit_of_work = unit_of_work
        self._inbox = inbox
        self._handlers = {(cls.event_type, cls.event_version): handler for cls, handler in handlers.items()}
        self._retries = retries
        self._backoff = backoff_seconds
        self.dead_letter_topic = topics.dead_letter(group)
        self._dead_letters = broker.publisher(self.dead_letter_topic, title=f"{self.dead_letter_topic}:Publish")
        subscribed = sorted({cls.topic for cls in handlers})
        broker.subscriber(
            *subscribed,
            group_id=group,
            batch=True,
            max_records=batch_size,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            decoder=_undecoded,
            title=f"{group} consumer",
            description=f"consumer group {group}: applies {', '.join(sorted(t for t, _ in self._handlers))}",
        )(self._on_batch)

    async def _on_batch(self, _bodies: Any, message: KafkaMessage) -> None:
        records = message.raw_message if isinstance(message.raw_message, tuple) else (message.raw_message,)
        await self.process(list(records))

    async def process(self, records: list[ConsumerRecord]) -> None:
        try:
            await self._process(records)
        except Exception as error:
            if is_transient(error):
                # Rewound by the ack policy; a short pause keeps a database outage from becoming a hot loop.
                log.warning("infrastructure error, partition rewound: %r", error)
                await asyncio.sleep(REWIND_PAUSE_SECONDS)
            raise

    async def _process(self, records: list[ConsumerRecord]) -> None:
        deliveries = [d for d in map(self._decode, records) if d is not None]
        undecodable = [d for d in deliveries if d.envelope is None]
        decoded = [d.envelope for d in deliveries if d.envelope is not None]
        if undecodable:
            await self._dead_letter_unless_done(undecodable)
        try:
            await self._apply_in_one_transaction(decoded)
            return
        except Exception as error:
            if is_transient(error):
                raise
            log.warning("batch of %d failed; applying one by one", len(decoded), exc_info=True)
        deadline = time.monotonic() + RETRY_BUDGET_SECONDS
        for delivery in deliveries:
            if delivery.envelope is not None:
                await self._apply_alone_with_retries(delivery, deadline)

    async def _apply_alone_with_retries(self, delivery: Delivery, deadline: float) -> None:
        for attempt in range(1, self._retries + 1):
            try:
                await self._apply_in_one_transaction([delivery.envelope])
                return
            except Exception as error:
                if is_transient(error):
                    raise
                EVENTS_FAILED.labels(delivery.envelope.type).inc()
                delivery.error = f"{type(error).__name__}: {error}"
                log.warning("event %s failed (attempt %d/%d): %s", delivery.envelope.id, attempt, self._retries, error)
                if attempt < self._retries and time.monotonic() < deadline:
                    await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
        await self._dead_letter_unless_done([delivery])

    async def _apply(self, uow: UnitOfWork, envelopes: list[Envelope]) -> list[Envelope]:
        """Apply the events not handled before, in order, and record them in the inbox in the same transaction.

        Consecutive events of one type go to their handler together, so it can load what they touch at once.
        Returns the events applied.
        """
        fresh = await self._not_yet_handled(uow, envelopes)
        for (event_type, version), run in groupby(fresh, key=lambda envelope: (envelope.type, envelope.version)):
            run = list(run)
            await self._handlers[(event_type, version)](uow, run)
            await self._record(uow, [(str(e.id), e.type) for e in run])
        return fresh

    async def _apply_in_one_transaction(self, envelopes: list[Envelope]) -> None:
        async with self._unit_of_work() as uow:
            applied = await self._apply(uow, envelopes)
            await uow.commit()
        for envelope in applied:  # counted once committed
            EVENTS_CONSUMED.labels(envelope.type, "applied").inc()

    async def _record(self, uow: UnitOfWork, handled: list[tuple[str, str]]) -> None:
        now = datetime.now(UTC)
        await uow.session.execute(
            insert(self._inbox),
            [{"event_id": event_id, "consumer": self.group, "event_type": event_type, "processed_at": now} for event_id, event_type in handled],
        )

    async def _handled_ids(self, uow: UnitOfWork, ids: set[str]) -> set[str]:
        return set(
            await uow.session.scalars(
                select(self._inbox.c.event_id).where(self._inbox.c.consumer == self.group, self._inbox.c.event_id.in_(ids))
            )
        )

    async def _not_yet_handled(self, uow: UnitOfWork, envelopes: list[Envelope]) -> list[Envelope]:
        seen = await self._handled_ids(uow, {str(e.id) for e in envelopes})
        fresh = []
        for envelope in envelopes:
            if str(envelope.id) in seen:
                EVENTS_CONSUMED.labels(envelope.type, "duplicate").inc()
                continue
            seen.add(str(envelope.id))
            fresh.append(envelope)
        return fresh

    def _decode(self, record: ConsumerRecord) -> Delivery | None:
        """The record's envelope; a Delivery with an error when it cannot be read; None for event types
        this service does not handle (ignored, so a producer adding a new type never fills our dead letters)."""
        try:
            event_type, version = peek_type(record.value)
        except (ValidationError, ValueError, TypeError) as error:
            return Delivery(record, error=f"undecodable event: {type(error).__name__}: {error}"[:4000])
        if (event_type, version) not in self._handlers:
            EVENTS_CONSUMED.labels(event_type, "ignored").inc()
            return None
        try:
            return Delivery(record, envelope=decode(record.value))
        except Exception as error:
            return Delivery(record, error=f"undecodable event: {type(error).__name__}: {error}"[:4000])

    async def _dead_letter_unless_done(self, deliveries: list[Delivery]) -> None:
        """Publish to the dead-letter topic, then record in the inbox (its own transaction), once per record."""
        async with self._unit_of_work() as uow:
            done = await self._handled_ids(uow, {d.inbox_id for d in deliveries})
        todo = [d for d in deliveries if d.inbox_id not in done]
        for delivery in todo:
            await self._dead_letter(delivery)
        if todo:
            async with self._unit_of_work() as uow:
                await self._record(uow, [(d.inbox_id, f"dead-lettered {d.event_type}"[:120]) for d in todo])
                await uow.commit()

    async def _dead_letter(self, delivery: Delivery) -> None:
        record = delivery.record
        headers = {key: value.decode(errors="replace") for key, value in (record.headers or ())}
        headers |= {
            "x-error": delivery.error or "unknown",
            "x-original-topic": record.topic,
            "x-original-partition": str(record.partition),
            "x-original-offset": str(record.offset),
            "x-consumer-group": self.group,
        }
        await self._dead_letters.publish(record.value, key=record.key, headers=headers)
        EVENTS_CONSUMED.labels(delivery.event_type, "dead_lettered").inc()
        log.error("dead-lettered %s offset %s:%s: %s", delivery.event_type, record.partition, record.offset, delivery.error)
