"""Keeps the outbox and inbox from growing forever.

Published outbox rows are kept a while for inspection; unpublished and parked ones are never deleted.
Inbox rows must outlive any redelivery, so they are kept well past the topics' retention (7 days).
"""

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy import Table, delete
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.unit_of_work import utcnow

log = logging.getLogger("isets.housekeeping")


async def prune(
    sessions: async_sessionmaker, outbox: Table, inbox: Table, now: datetime, outbox_days: int, inbox_days: int
) -> tuple[int, int]:
    async with sessions() as session, session.begin():
        published = await session.execute(
            delete(outbox).where(outbox.c.published_at < now - timedelta(days=outbox_days))
        )
        processed = await session.execute(delete(inbox).where(inbox.c.processed_at < now - timedelta(days=inbox_days)))
    return published.rowcount, processed.rowcount


async def prune_forever(
    sessions: async_sessionmaker, outbox: Table, inbox: Table, outbox_days: int, inbox_days: int, every_seconds: float
) -> None:
    while True:
        try:
            removed = await prune(sessions, outbox, inbox, utcnow(), outbox_days, inbox_days)
            if any(removed):
                log.info("pruned %d published outbox rows and %d inbox rows", *removed)
        except Exception:
            log.exception("housekeeping failed; trying again later")
        await asyncio.sleep(every_seconds)
