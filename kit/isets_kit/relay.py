"""Outbox relay: publishes committed outbox rows to Kafka in order, marks them sent, retries failures.

A row is marked published only after Kafka acknowledged it, so a crash between commit and publish
loses nothing: the row is still pending when the process comes back. A crash after publish and
before marking re-sends the row; consumers' inboxes make that harmless.
"""

import asyncio
import logging

from aiokafka.errors import InvalidTopicError, MessageSizeTooLargeError, RecordTooLargeError
from faststream.kafka.publisher.usecase import DefaultPublisher as KafkaPublisher
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.db import is_postgres
from isets_kit.metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG
from isets_kit.unit_of_work import utcnow

log = logging.getLogger("isets.relay")

RELAY_LOCK = 0x15E7_0B0C  # PostgreSQL advisory lock key: one relay per service database publishes at a time
# Rows the broker will refuse however often they are sent (KeyError: no publisher for the row's topic).
UNSENDABLE = (MessageSizeTooLargeError, RecordTooLargeError, InvalidTopicError, KeyError)


class OutboxRelay:
    def __init__(
        self,
        sessions: async_sessionmaker,
        outbox: Table,
        publishers: dict[str, KafkaPublisher],
        wakeup: asyncio.Event,
        batch_size: int = 500,
        idle_poll_seconds: float = 1.0,
    ):
        self._sessions = sessions
        self._outbox = outbox
        self._publishers = publishers
        self._wakeup = wakeup
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds

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
            query = (
                select(outbox)
                .where(outbox.c.published_at.is_(None), outbox.c.parked_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self._batch_size)
            )
            rows = (await session.execute(query)).all()
            if not rows:
                OUTBOX_BACKLOG.set(0)
                return 0
            failure = await self._send(rows)
            published = [row.id for row in rows]
            if failure is not None:
                published, failure = await self._send_one_by_one(session, rows)
            if published:
                await session.execute(update(outbox).where(outbox.c.id.in_(published)).values(published_at=utcnow()))
            for row in rows:
                if row.id in published:
                    EVENTS_PUBLISHED.labels(row.topic).inc()
            backlog = await session.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None), outbox.c.parked_at.is_(None))
            )
            OUTBOX_BACKLOG.set(backlog or 0)
        if failure is not None:
            raise failure
        return len(published)

    async def _send_one_by_one(self, session, rows) -> tuple[list[int], Exception | None]:
        """After a failed batch: send in order until a failure the broker may get over (kept pending, with
        the error recorded, and returned); a row that can never be sent (too large, unknown topic) is parked."""
        outbox, published = self._outbox, []
        for row in rows:
            failure = await self._send([row])
            if failure is None:
                published.append(row.id)
                continue
            if isinstance(failure, UNSENDABLE):
                log.error("outbox row %s (%s) parked: it can never be published: %r", row.id, row.event_type, failure)
                await session.execute(
                    update(outbox).where(outbox.c.id == row.id).values(parked_at=utcnow(), last_error=repr(failure)[:2000])
                )
                continue
            await session.execute(
                update(outbox)
                .where(outbox.c.id == row.id)
                .values(attempts=outbox.c.attempts + 1, last_error=repr(failure)[:2000])
            )
            return published, failure
        return published, None

    async def _send(self, rows) -> Exception | None:
        try:
            confirmations = [
                await self._publishers[row.topic].publish(
                    row.payload.encode(),
                    key=row.key.encode(),
                    headers={"content-type": "application/json", "event-type": row.event_type},
                    no_confirm=True,
                )
                for row in rows
            ]
            await asyncio.gather(*confirmations)
        except Exception as error:
            return error
        return None
