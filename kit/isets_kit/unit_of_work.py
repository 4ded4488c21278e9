"""The unit of work: one database transaction holding the state change and the events announcing it.

Events come in two ways. Aggregates record them in `pending_events` (and carry their subject as `id`); the
unit of work collects them from every aggregate the transaction loaded or added, so a handler cannot forget
to announce a change. An event not tied to an aggregate is queued with `publish`. Either way it must be of
the service's own topic: any other is refused before anything is written, and the transaction rolls back.

At commit each event gets the next number of its subject's sequence, and goes into the outbox in the same
transaction as the change it announces.
"""

import asyncio
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Table, event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from isets_contracts import Envelope, Event
from isets_kit.db import insert_of, insert_records
from isets_kit import context

OUTBOX_COLUMNS = ["event_id", "event_type", "topic", "key", "sequence", "payload", "created_at"]


class ForeignEvent(RuntimeError):
    """A service publishes only to its own topic; anything else is a programming error."""


@dataclass
class _Queued:
    payload: Event
    subject: str
    cause: Envelope | None


class UnitOfWork:
    def __init__(
        self,
        sessions: async_sessionmaker,
        outbox: Table | None,
        source: str,
        outbox_written: asyncio.Event,
        *,
        topic: str | None,
    ):
        """`topic`: the one topic this service publishes to (None: it publishes nothing)."""
        self._sessions = sessions
        self._outbox = outbox
        self._sequences = outbox.metadata.tables["subject_sequences"] if outbox is not None else None
        self._source = source
        self._topic = topic
        self._outbox_written = outbox_written
        self._queued: list[_Queued] = []
        self._aggregates: dict[int, object] = {}
        self._cause: Envelope | None = None
        self.published: list[Envelope] = []  # what the last commit wrote to the outbox
        self.session: AsyncSession

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        if self._outbox is not None:
            event.listen(self.session.sync_session, "loaded_as_persistent", self._seen)
            event.listen(self.session.sync_session, "transient_to_pending", self._seen)
        await self.session.begin()
        self._queued, self._aggregates, self._cause, self.published = [], {}, None, []
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            await self.session.rollback()
        await self.session.close()
        if self._outbox is not None:
            # The session let go of this unit of work, else the two hold each other (and every event of the
            # transaction) until Python's cycle collector comes round.
            event.remove(self.session.sync_session, "loaded_as_persistent", self._seen)
            event.remove(self.session.sync_session, "transient_to_pending", self._seen)

    def _seen(self, _session, instance) -> None:
        # Held strongly: the session's identity map would let go of an unchanged aggregate with pending events.
        if getattr(type(instance), "pending_events", None) is not None:
            self._aggregates.setdefault(id(instance), instance)

    def following(self, envelopes: Iterable[Envelope]) -> Iterator[Envelope]:
        """Consumed events one by one: what the handler changes for each is announced as following from it
        (its correlation id and actor carry over, its id becomes the causation id)."""
        for envelope in envelopes:
            self._cause = envelope
            try:
                yield envelope
                self._collect()
            finally:
                self._cause = None

    def publish(self, payload: Event, *, subject: str, cause: Envelope | None = None) -> None:
        """Queue an event not recorded by an aggregate; it is sent only if the transaction commits.

        `cause`: the consumed event this one follows from (default: the one `following` is at); without one,
        the current request's correlation id and caller are used."""
        self._check_topic(payload)
        self._queued.append(_Queued(payload, subject, cause or self._cause))

    def _check_topic(self, payload: Event) -> None:
        if payload.topic != self._topic:
            raise ForeignEvent(
                f"{self._source} publishes to {self._topic or 'no topic'}; "
                f"{payload.event_type} belongs to {payload.topic}"
            )

    def _collect(self) -> None:
        for aggregate in self._aggregates.values():
            events = aggregate.pending_events
            for payload in events:
                self._check_topic(payload)
            self._queued.extend(_Queued(payload, str(aggregate.id), self._cause) for payload in events)
            events.clear()

    async def commit(self) -> None:
        self._collect()
        if self._queued:
            self.published = await self._write_outbox(self._queued)
            self._queued = []
        await self.session.commit()
        if self.published:
            self._outbox_written.set()

    async def _write_outbox(self, queued: list[_Queued]) -> list[Envelope]:
        next_number = await self._reserve_sequences(Counter(q.subject for q in queued))
        envelopes, records = [], []
        for item in queued:
            envelope = self._envelope(item, next_number[item.subject])
            next_number[item.subject] += 1
            envelopes.append(envelope)
            records.append((
                str(envelope.id), envelope.type, item.payload.topic, item.subject, envelope.sequence,
                envelope.model_dump_json(), envelope.time,
            ))
        await insert_records(self.session, self._outbox, OUTBOX_COLUMNS, records)
        return envelopes

    async def _reserve_sequences(self, counts: Counter[str]) -> dict[str, int]:
        """The first of the numbers reserved for each subject in this transaction.

        The upsert locks each subject's row until commit, and comes before the outbox insert: two
        transactions of one subject therefore insert their outbox rows (and take their ids) in commit
        order, so the relay's order by id is each subject's commit order, and so is its sequence."""
        table = self._sequences
        # Sorted, so transactions touching several subjects lock them in one order and cannot deadlock.
        rows = [{"key": key, "last_sequence": counts[key]} for key in sorted(counts)]
        statement, values = insert_of(self.session, table, rows)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key], set_={"last_sequence": table.c.last_sequence + statement.excluded.last_sequence}
        ).returning(table.c.key, table.c.last_sequence)
        result = await self.session.execute(statement, values)
        return {key: last - counts[key] + 1 for key, last in result}

    def _envelope(self, item: _Queued, sequence: int) -> Envelope:
        cause = item.cause
        if cause is not None:
            correlation_id, causation_id, actor = cause.correlation_id or str(cause.id), str(cause.id), cause.actor
        else:
            correlation_id, causation_id, actor = context.correlation_id.get(), None, context.actor.get()
        return Envelope.wrap(
            item.payload,
            source=self._source,
            subject=item.subject,
            sequence=sequence,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor=actor,
        )


def utcnow() -> datetime:
    return datetime.now(UTC)
