"""Outbox relay: publishes committed outbox rows to Kafka in order, marks them sent, retries failures.

A row is marked published only after Kafka acknowledged it, so a crash between commit and publish
loses nothing: the row is still pending when the process comes back. A crash after publish and
before marking re-sends the row; consumers' inboxes make that harmless.
"""

import asyncio
import logging

from faststream.kafka.publisher.usecase import DefaultPublisher as KafkaPublisher
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.db import is_postgres
from isets_kit.metrics import EVENTS_PUBLISHED, OUTBOX_BACKLOG
from isets_kit.unit_of_work import utcnow

log = logging.getLogger("isets.relay")


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
            query = select(outbox).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id).limit(self._batch_size)
            if is_postgres(session.bind):
                query = query.with_for_update(skip_locked=True)
            rows = (await session.execute(query)).all()
            if not rows:
                OUTBOX_BACKLOG.set(0)
                return 0
            sent_rows = outbox.c.id.in_([row.id for row in rows])
            failure = await self._send(rows)
            if failure is not None:
                # Kept pending, with the failure recorded (and committed) for operators.
                await session.execute(
                    update(outbox).where(sent_rows).values(attempts=outbox.c.attempts + 1, last_error=repr(failure)[:2000])
                )
            else:
                await session.execute(update(outbox).where(sent_rows).values(published_at=utcnow()))
                for row in rows:
                    EVENTS_PUBLISHED.labels(row.topic).inc()
                backlog = await session.scalar(
                    select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
                )
                OUTBOX_BACKLOG.set(backlog or 0)
        if failure is not None:
            raise failure
        return len(rows)

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
