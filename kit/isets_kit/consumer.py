"""Consuming events: explicit acks, idempotent inbox, per-subject order, retries, parked events.

A batch from Kafka is applied in one transaction (fast path). If that fails, each message is retried
on its own, in order, with back-off. Offsets are committed only after the database commit
(AckPolicy.NACK_ON_ERROR): an infrastructure failure (database or broker down) rewinds the partitions
instead of skipping or dead-lettering.

Order per subject (= Kafka key) is kept by two rules, both decided under the subject's
`subject_positions` row lock, which `isets_kit.dead_letters` replay takes too:
- an event that cannot be applied (fails every try, undecodable, unknown version of a handled type) is
  parked and its subject held: every later event of that subject is parked behind it, until an
  operator replays or discards them; other subjects flow on;
- an event whose producer sequence is not above the last one applied for its subject, and which is not
  in the inbox, is parked as stale instead of being applied behind newer ones.
Parked = a row in `parked_events` (the source of truth for replay) and a copy on the dead-letter
topic (for alerting), with headers naming the error but never field values.
"""

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from itertools import groupby
from typing import Any

from aiokafka import ConsumerRecord
from aiokafka.errors import KafkaError, KafkaTimeoutError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import BaseModel, ValidationError
from sqlalchemy import MetaData, insert, select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from isets_contracts import Envelope, Event, topics
from isets_contracts.envelope import envelope_of
from isets_kit.db import insert_rows, one_of, upsert
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
ERROR_TEXT_LIMIT = 1000


class Reason(StrEnum):
    FAILED = "failed"
    HELD = "held"
    STALE = "stale"
    UNDECODABLE = "undecodable"
    UNKNOWN_VERSION = "unknown_version"


HOLDING_REASONS = frozenset({Reason.FAILED, Reason.UNDECODABLE, Reason.UNKNOWN_VERSION})


def is_transient(error: BaseException) -> bool:
    """An error of the infrastructure (retry the same message later), not of the message (dead-letter it)."""
    if isinstance(error, (OperationalError, InterfaceError, ConnectionError, OSError, TimeoutError)):
        return True
    if isinstance(error, KafkaError):  # e.g. the dead-letter copy could not be sent: the broker is away
        return error.retriable or isinstance(error, KafkaTimeoutError)
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        sqlstate = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
        return bool(sqlstate) and sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES
    return type(error).__module__.startswith("asyncpg") and "Connection" in type(error).__name__


def describe(error: BaseException) -> str:
    """The error's class and the rule it broke, without the values involved (they may be personal data)."""
    if isinstance(error, ValidationError):
        rules = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}"
            for e in error.errors(include_url=False, include_input=False, include_context=False)
        )
        return f"ValidationError: {rules}"[:ERROR_TEXT_LIMIT]
    if isinstance(error, DBAPIError):  # its text carries the statement's parameters: keep the driver's first line
        first_line = str(error.orig).splitlines()[0] if str(error.orig) else ""
        return f"{type(error).__name__}: {first_line}"[:ERROR_TEXT_LIMIT]
    return f"{type(error).__name__}: {error}"[:ERROR_TEXT_LIMIT]


def position_id(topic: str, partition: int, offset: int) -> str:
    """Inbox id of a record that has no event id of its own (it never decoded)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kafka:{topic}/{partition}/{offset}"))


async def _undecoded(_message: Any) -> None:
    """We decode the records ourselves, so a malformed body reaches the parking path, not the framework."""
    return None


class _Head(BaseModel):
    """What a record says about itself before its payload is validated."""

    id: str | None = None
    type: str
    version: int = 1


@dataclass
class Delivery:
    """One Kafka record on its way through the consumer."""

    record: ConsumerRecord
    envelope: Envelope | None = None
    event_type: str = "undecodable"
    reason: Reason | None = None  # set when it cannot be applied
    error: str | None = None
    head_id: str | None = None

    @cached_property
    def event_id(self) -> str:
        """The event id; for a record that never decoded, an id derived from where it sits in Kafka."""
        if self.envelope is not None:
            return str(self.envelope.id)
        return self.head_id or position_id(self.record.topic, self.record.partition, self.record.offset)

    @property
    def subject(self) -> str:
        """The Kafka key: what Kafka keeps in order (the producers key every event by its subject)."""
        if self.record.key is not None:
            return self.record.key.decode(errors="replace")[:120]
        return self.envelope.subject if self.envelope is not None else ""

    @property
    def sequence(self) -> int | None:
        return self.envelope.sequence if self.envelope is not None else None

    @property
    def position_key(self) -> tuple[str, str]:
        return self.record.topic, self.subject


@dataclass
class Position:
    """A subject's `subject_positions` row as read (under its lock) and as it will be written."""

    last_sequence: int | None = None
    held_since: datetime | None = None
    changed: bool = False


@dataclass
class Outcome:
    """What one transaction decided: events to apply, records to park (and why), redeliveries to skip."""

    to_apply: list[Envelope] = field(default_factory=list)
    parked: list[tuple[Delivery, Reason]] = field(default_factory=list)
    duplicates: list[Delivery] = field(default_factory=list)


class EventConsumer:
    def __init__(
        self,
        *,
        group: str,
        broker: KafkaBroker,
        unit_of_work: Callable[[], UnitOfWork],
        metadata: MetaData,
        handlers: dict[type[Event], Handler],
        retries: int = 3,
        backoff_seconds: float = 0.2,
        batch_size: int = 500,
    ):
        self.group = group
        self._broker = broker
        self.unit_of_work = unit_of_work
        self.inbox = metadata.tables["inbox"]
        self.positions = metadata.tables["subject_positions"]
        self.parked = metadata.tables["parked_events"]
        self._handlers = {(cls.event_type, cls.event_version): handler for cls, handler in handlers.items()}
        self._envelopes = {(cls.event_type, cls.event_version): envelope_of(cls) for cls in handlers}
        self._handled_types = {event_type for event_type, _ in self._handlers}
        self._retries = retries
        self._backoff = backoff_seconds
        self.dead_letter_topic = topics.dead_letter(group)
        self._dead_letters = broker.publisher(self.dead_letter_topic, title=f"{self.dead_letter_topic}:Publish")
        self.topics = sorted({cls.topic for cls in handlers})
        broker.subscriber(
            *self.topics,
            group_id=group,
            batch=True,
            max_records=batch_size,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            decoder=_undecoded,
            title=f"{group} consumer",
            description=f"consumer group {group}: applies {', '.join(sorted(self._handled_types))}",
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
                log.warning("infrastructure error, partitions rewound: %s", describe(error))
                await asyncio.sleep(REWIND_PAUSE_SECONDS)
            raise

    async def _process(self, records: list[ConsumerRecord]) -> None:
        deliveries = [d for d in map(self.read, records) if d is not None]
        try:
            await self._in_one_transaction(deliveries)
            return
        except Exception as error:
            if is_transient(error):
                raise
            log.warning("batch of %d failed (%s); applying one by one", len(deliveries), describe(error))
        deadline = time.monotonic() + RETRY_BUDGET_SECONDS
        for delivery in deliveries:
            await self._alone_with_retries(delivery, deadline)

    async def _alone_with_retries(self, delivery: Delivery, deadline: float) -> None:
        for attempt in range(1, self._retries + 1):
            try:
                await self._in_one_transaction([delivery])
                return
            except Exception as error:
                if is_transient(error):
                    raise
                EVENTS_FAILED.labels(delivery.event_type).inc()
                delivery.error = describe(error)
                log.warning("event %s failed (attempt %d/%d): %s", delivery.event_id, attempt, self._retries, delivery.error)
                if attempt < self._retries and time.monotonic() < deadline:
                    await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
        delivery.reason = Reason.FAILED
        await self._in_one_transaction([delivery])

    async def _in_one_transaction(self, deliveries: list[Delivery]) -> None:
        """Decide, under the subjects' row locks, what to apply and what to park; apply, park, commit."""
        async with self.unit_of_work() as uow:
            positions = await self.lock_positions(uow, {d.position_key for d in deliveries})
            known = await self._known_ids(uow, {d.event_id for d in deliveries})
            outcome = Outcome()
            now = datetime.now(UTC)
            for delivery in deliveries:
                if delivery.event_id in known:
                    outcome.duplicates.append(delivery)
                    continue
                known.add(delivery.event_id)
                position = positions.setdefault(delivery.position_key, Position())
                reason = delivery.reason or self.park_reason(position, delivery.sequence)
                if reason is None:
                    advance(position, delivery.sequence)
                    outcome.to_apply.append(delivery.envelope)
                else:
                    if reason in HOLDING_REASONS and position.held_since is None:
                        position.held_since, position.changed = now, True
                    outcome.parked.append((delivery, reason))
            await self.apply(uow, outcome.to_apply)
            await self._park(uow, outcome.parked, now)
            await self.write_positions(uow, positions)
            for delivery, reason in outcome.parked:  # before the commit: a lost commit re-sends the alert, never loses it
                await self._dead_letter(delivery, reason)
            await uow.commit()
        for delivery in outcome.duplicates:  # counted once committed
            EVENTS_CONSUMED.labels(delivery.event_type, "duplicate").inc()
        for envelope in outcome.to_apply:
            EVENTS_CONSUMED.labels(envelope.type, "applied").inc()
        for delivery, reason in outcome.parked:
            EVENTS_CONSUMED.labels(delivery.event_type, "dead_lettered" if reason in HOLDING_REASONS else "parked").inc()

    @staticmethod
    def park_reason(position: Position, sequence: int | None) -> Reason | None:
        if position.held_since is not None:
            return Reason.HELD
        if is_stale(position, sequence):
            return Reason.STALE
        return None

    async def apply(self, uow: UnitOfWork, envelopes: list[Envelope]) -> None:
        """Hand the events to their handlers, in order, and record them in the inbox (same transaction).

        Consecutive events of one type go to their handler together, so it can load what they touch at once."""
        for (event_type, version), run in groupby(envelopes, key=lambda envelope: (envelope.type, envelope.version)):
            run = list(run)
            await self._handlers[(event_type, version)](uow, run)
        await self.record_in_inbox(uow, [(str(e.id), e.type) for e in envelopes])

    async def record_in_inbox(self, uow: UnitOfWork, handled: list[tuple[str, str]]) -> None:
        if not handled:
            return
        now = datetime.now(UTC)
        await insert_rows(
            uow.session,
            self.inbox,
            [{"event_id": event_id, "consumer": self.group, "event_type": event_type[:120], "processed_at": now}
             for event_id, event_type in handled],
        )

    async def lock_positions(self, uow: UnitOfWork, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Position]:
        """The subjects' positions, their rows locked until the transaction ends (one query).

        A subject without a row is neither held nor sequenced, so there is nothing for a replay to race on."""
        keys = set(keys)
        if not keys:
            return {}
        table = self.positions
        rows = await uow.session.execute(
            select(table.c.topic, table.c.subject, table.c.last_sequence, table.c.held_since)
            .where(
                table.c.consumer == self.group,
                one_of(table.c.topic, {topic for topic, _ in keys}),
                one_of(table.c.subject, {subject for _, subject in keys}),
            )
            .order_by(table.c.topic, table.c.subject)
            .with_for_update()
        )
        return {(row.topic, row.subject): Position(row.last_sequence, row.held_since) for row in rows}

    async def write_positions(self, uow: UnitOfWork, positions: dict[tuple[str, str], Position]) -> None:
        rows = [
            {"consumer": self.group, "topic": topic, "subject": subject, "last_sequence": p.last_sequence, "held_since": p.held_since}
            for (topic, subject), p in sorted(positions.items())
            if p.changed
        ]
        await upsert(uow.session, self.positions, rows, ["consumer", "topic", "subject"])

    async def _known_ids(self, uow: UnitOfWork, ids: set[str]) -> set[str]:
        """Ids applied (or discarded) before, or parked now: a redelivery of either is a duplicate."""
        inbox, parked = self.inbox, self.parked
        applied = await uow.session.scalars(select(inbox.c.event_id).where(inbox.c.consumer == self.group, one_of(inbox.c.event_id, ids)))
        waiting = await uow.session.scalars(select(parked.c.event_id).where(parked.c.consumer == self.group, one_of(parked.c.event_id, ids)))
        return set(applied) | set(waiting)

    async def _park(self, uow: UnitOfWork, deliveries: list[tuple[Delivery, Reason]], now: datetime) -> None:
        if not deliveries:
            return
        await uow.session.execute(
            insert(self.parked),
            [
                {
                    "consumer": self.group,
                    "topic": d.record.topic,
                    "partition": d.record.partition,
                    "offset": d.record.offset,
                    "subject": d.subject,
                    "event_id": d.event_id,
                    "event_type": d.event_type[:120],
                    "sequence": d.sequence,
                    "value": d.record.value,
                    "headers": headers_json(d.record.headers),
                    "reason": reason.value,
                    "error": d.error,
                    "parked_at": now,
                }
                for d, reason in deliveries
            ],
        )
        for d, reason in deliveries:
            log.error("parked (%s) %s at %s/%s@%s: %s", reason, d.event_type, d.record.topic, d.record.partition, d.record.offset, d.error)

    def read(self, record: ConsumerRecord) -> Delivery | None:
        """The record as a Delivery (with a reason when it cannot be applied); None for event types this
        service does not handle (ignored and counted, so a producer adding a new type never parks anything)."""
        try:
            head = _Head.model_validate_json(record.value)
        except (ValidationError, ValueError, TypeError) as error:
            return Delivery(record, reason=Reason.UNDECODABLE, error=f"undecodable event: {describe(error)}")
        if head.type not in self._handled_types:
            EVENTS_CONSUMED.labels(head.type, "ignored").inc()
            return None
        head_id = head.id if head.id and len(head.id) <= 36 else None
        if (head.type, head.version) not in self._handlers:
            return Delivery(record, event_type=head.type, head_id=head_id, reason=Reason.UNKNOWN_VERSION,
                            error=f"unknown version {head.version} of {head.type}")
        try:
            envelope = self._envelopes[(head.type, head.version)].model_validate_json(record.value)
        except Exception as error:
            return Delivery(record, event_type=head.type, head_id=head_id, reason=Reason.UNDECODABLE,
                            error=f"undecodable event: {describe(error)}")
        return Delivery(record, envelope=envelope, event_type=envelope.type)

    async def _dead_letter(self, delivery: Delivery, reason: Reason) -> None:
        record = delivery.record
        headers = {key: value.decode(errors="replace") for key, value in (record.headers or ())}
        headers |= {
            "x-reason": reason.value,
            "x-error": delivery.error or reason.value,
            "x-original-topic": record.topic,
            "x-original-partition": str(record.partition),
            "x-original-offset": str(record.offset),
            "x-consumer-group": self.group,
        }
        try:
            await self._dead_letters.publish(record.value, key=record.key, headers=headers)
        except KafkaError as error:
            if is_transient(error):
                raise
            # e.g. too large for the topic: the parked row is what counts, the copy is only the alert
            log.error("dead-letter copy of %s/%s@%s not sent: %s", record.topic, record.partition, record.offset, describe(error))


def is_stale(position: Position, sequence: int | None) -> bool:
    """Not above the last sequence applied for the subject: applying it would put it behind a newer event."""
    return sequence is not None and position.last_sequence is not None and sequence <= position.last_sequence


def advance(position: Position, sequence: int | None) -> None:
    if sequence is not None and (position.last_sequence is None or sequence > position.last_sequence):
        position.last_sequence, position.changed = sequence, True


def headers_json(headers: Iterable[tuple[str, bytes]] | None) -> str:
    return json.dumps([[key, value.decode(errors="replace")] for key, value in headers or ()])
