"""Parked outbox rows of one service: rows Kafka will never take, each holding back the later rows of its key.

    python -m <service>.outbox list    [--id N ...]
    python -m <service>.outbox retry   [--id N ...]
    python -m <service>.outbox discard [--id N ...]

`list` prints one JSON line per parked row (no payload). `retry` un-parks rows once the cause is fixed
(e.g. the topic's max.message.bytes raised): the relay sends them again, before the later rows of their
key. `discard` gives rows up for good: the later rows of their key flow again. Without --id, every
parked row.
"""

import argparse
import asyncio
import json

from sqlalchemy import Table, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.db import make_engine, make_sessions
from isets_kit.settings import ServiceSettings
from isets_kit.unit_of_work import utcnow

SHOWN = ("id", "key", "event_type", "sequence", "attempts", "last_error", "parked_at")


def _parked(outbox: Table, ids: list[int] | None):
    condition = [outbox.c.parked_at.is_not(None), outbox.c.discarded_at.is_(None)]
    if ids:
        condition.append(outbox.c.id.in_(ids))
    return condition


async def parked_rows(sessions: async_sessionmaker, outbox: Table, ids: list[int] | None = None) -> list[dict]:
    async with sessions() as session:
        rows = await session.execute(
            select(*(outbox.c[name] for name in SHOWN)).where(*_parked(outbox, ids)).order_by(outbox.c.id)
        )
        return [row._asdict() for row in rows]


async def retry(sessions: async_sessionmaker, outbox: Table, ids: list[int] | None = None) -> int:
    async with sessions() as session, session.begin():
        result = await session.execute(update(outbox).where(*_parked(outbox, ids)).values(parked_at=None))
        return result.rowcount


async def discard(sessions: async_sessionmaker, outbox: Table, ids: list[int] | None = None) -> int:
    async with sessions() as session, session.begin():
        result = await session.execute(update(outbox).where(*_parked(outbox, ids)).values(discarded_at=utcnow()))
        return result.rowcount


def main(service: str, settings: ServiceSettings, outbox: Table, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog=f"python -m {service}.outbox", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["list", "retry", "discard"])
    parser.add_argument("--id", type=int, action="append", dest="ids", help="only this outbox row (repeatable)")
    args = parser.parse_args(argv)

    async def run() -> None:
        engine = make_engine(settings.database_url)
        sessions = make_sessions(engine)
        try:
            if args.command == "list":
                for row in await parked_rows(sessions, outbox, args.ids):
                    print(json.dumps(row, default=str))
            elif args.command == "retry":
                print(f"{await retry(sessions, outbox, args.ids)} parked row(s) of {service} will be sent again")
            else:
                print(f"{await discard(sessions, outbox, args.ids)} parked row(s) of {service} discarded")
        finally:
            await engine.dispose()

    asyncio.run(run())
