"""Consuming events: explicit acks, idempotent inbox, retries with back-off, dead-letter topic.

A batch from Kafka is applied in one transaction (fast path). If that fails, each message is retried
on its own with back-off; one that still fails goes to the dead-letter topic with its original bytes
and the error, and the rest of the batch goes on. Offsets are committed only after the database
commit (AckPolicy.NACK_ON_ERROR: an infrastructure failure rewinds the partition instead of skipping).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import InterfaceError, OperationalError

from isets_contracts import Envelope, Event, decode, topics
from isets_kit.metrics import EVENTS_CONSUMED, EVENTS_FAILED
from isets_kit.unit_of_work import UnitOfWork

log = logging.getLogger("isets.consumer")

# A handler gets consecutive events of its type from one batch, in order, within one transaction.
Handler = Callable[[UnitOfWork, list[Envelope]], Awaitable[None]]
# Errors of the infrastructure, not of the message: rewind and retry rather than dead-letter.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, OSError)


async def _undecoded(_message: Any) -> None:
    """We decode the records ourselves, so a malformed body reaches the dead-letter path, not the framework."""
    return None


@dataclass
class Delivery:
    record: ConsumerRecord
    envelope: Envelope | None = None
    error: str | None = None


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
        self._handlers = {cls.event_type: handler for cls, handler in handlers.items()}
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
            description=f"consumer group {group}: applies {', '.join(sorted(self._handlers))}",
        )(self._on_batch)

    async def _on_batch(self, _bodies: Any, message: KafkaMessage) -> None:
        records = message.raw_message if isinstance(message.raw_message, tuple) else (message.raw_message,)
        await self.process(list(records))

    async def process(self, records: list[ConsumerRecord]) -> None:
        deliveries = [self._decode(record) for record in records]
        for delivery in deliveries:
            if delivery.error:
                await self._dead_letter(delivery)
        decoded = [d.envelope for d in deliveries if d.envelope is not None]
        try:
            async with self._unit_of_work() as uow:
                await self._apply(uow, decoded)
                await uow.commit()
            return
        except TRANSIENT_ERRORS:
            raise
        except Exception:
            log.warning("batch of %d failed; applying one by one", len(decoded), exc_info=True)
        for delivery in deliveries:
            if delivery.envelope is not None:
                await self._apply_alone_with_retries(delivery)

    async def _apply_alone_with_retries(self, delivery: Delivery) -> None:
        for attempt in range(1, self._retries + 1):
            try:
                async with self._unit_of_work() as uow:
                    await self._apply(uow, [delivery.envelope])
                    await uow.commit()
                return
            except TRANSIENT_ERRORS:
                raise
            except Exception as error:
                EVENTS_FAILED.labels(delivery.envelope.type).inc()
                delivery.error = f"{type(error).__name__}: {error}"
                log.warning("event %s failed (attempt %d/%d): %s", delivery.envelope.id, attempt, self._retries, error)
                if attempt < self._retries:
                    await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
        await self._dead_letter(delivery)

    async def _apply(self, uow: UnitOfWork, envelopes: list[Envelope]) -> None:
        """Apply the events not applied before, in order, and record them in the inbox in the same transaction.

        Consecutive events of one type go to their handler together, so it can load what they touch at once.
        """
        fresh = await self._not_yet_applied(uow, envelopes)
        for event_type, run in groupby(fresh, key=lambda envelope: envelope.type):
            run = list(run)
            handler = self._handlers.get(event_type)
            if handler is None:
                EVENTS_CONSUMED.labels(event_type, "ignored").inc(len(run))
                continue
            await handler(uow, run)
            await uow.session.execute(
                insert(self._inbox),
                [
                    {"event_id": str(e.id), "consumer": self.group, "event_type": e.type, "processed_at": datetime.now(UTC)}
                    for e in run
                ],
            )
            EVENTS_CONSUMED.labels(event_type, "applied").inc(len(run))

    async def _not_yet_applied(self, uow: UnitOfWork, envelopes: list[Envelope]) -> list[Envelope]:
        ids = {str(e.id) for e in envelopes}
        seen = set(
            await uow.session.scalars(
                select(self._inbox.c.event_id).where(self._inbox.c.consumer == self.group, self._inbox.c.event_id.in_(ids))
            )
        )
        fresh = []
        for envelope in envelopes:
            if str(envelope.id) in seen:
                EVENTS_CONSUMED.labels(envelope.type, "duplicate").inc()
                continue
            seen.add(str(envelope.id))
            fresh.append(envelope)
        return fresh

    def _decode(self, record: ConsumerRecord) -> Delivery:
        try:
            return Delivery(record, envelope=decode(record.value))
        except Exception as error:
            return Delivery(record, error=f"undecodable event: {type(error).__name__}: {error}"[:4000])

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
        event_type = delivery.envelope.type if delivery.envelope else "undecodable"
        EVENTS_CONSUMED.labels(event_type, "dead_lettered").inc()
        log.error("dead-lettered %s offset %s:%s: %s", event_type, record.partition, record.offset, delivery.error)
