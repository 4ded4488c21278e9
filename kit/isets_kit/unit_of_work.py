"""The unit of work: one database transaction holding the state change and the events announcing it."""

import asyncio
from datetime import UTC, datetime

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from isets_contracts import Envelope, Event
from isets_kit import context


class UnitOfWork:
    def __init__(self, sessions: async_sessionmaker, outbox: Table, source: str, outbox_written: asyncio.Event):
        self._sessions = sessions
        self._outbox = outbox
        self._source = source
        self._outbox_written = outbox_written
        self._pending: list[dict] = []
        self.session: AsyncSession

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        await self.session.begin()
        self._pending = []
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            await self.session.rollback()
        await self.session.close()

    def publish(self, payload: Event, *, subject: str, cause: Envelope | None = None) -> Envelope:
        """Queue an event into the outbox of this transaction; it is sent only if the transaction commits.

        `cause`: the consumed event this one follows from (its correlation id and actor carry over);
        without it, the current request's correlation id and caller are used."""
        if cause is not None:
            correlation_id, causation_id, actor = cause.correlation_id or str(cause.id), str(cause.id), cause.actor
        else:
            correlation_id, causation_id, actor = context.correlation_id.get(), None, context.actor.get()
        envelope = Envelope.wrap(
            payload,
            source=self._source,
            subject=subject,
            correlation_id=correlation_id,
            causation_id=causation_id,
            actor=actor,
        )
        self._pending.append(
            {
                "event_id": str(envelope.id),
                "event_type": envelope.type,
                "topic": payload.topic,
                "key": subject,
                "payload": envelope.model_dump_json(),
                "created_at": envelope.time,
            }
        )
        return envelope

    async def commit(self) -> None:
        had_events = bool(self._pending)
        if self._pending:
            await self.session.execute(insert(self._outbox), self._pending)
            self._pending = []
        await self.session.commit()
        if had_events:
            self._outbox_written.set()


def utcnow() -> datetime:
    return datetime.now(UTC)
