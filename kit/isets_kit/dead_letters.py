"""Parked events of a service's consumers: list them, replay them once the cause is fixed, or discard them.

    python -m <service>.dead_letters list    [--subject S ...]
    python -m <service>.dead_letters replay  [--subject S ...]
    python -m <service>.dead_letters discard [--subject S ...]

`replay` applies the parked events of each held subject in the order they were parked, through the
consumer's own apply path (inbox check, handler, position update), one transaction per event under the
subject's row lock, so it cannot race the running consumer. It stops a subject at the first event that
fails again (that event stays parked, the subject stays held) and releases the hold when none is left.
An event already in the inbox is dropped, never applied twice; a stale one (its sequence not above the
last applied) stays parked as `stale` for `discard`. `discard` records the subject's parked events in
the inbox as discarded, deletes them and releases the hold.
"""

import argparse
import asyncio
import json
import logging
import sys
from dataclasses import dataclass

from aiokafka import ConsumerRecord
from sqlalchemy import delete, select, update

from isets_kit.consumer import EventConsumer, Reason, advance, describe, is_stale, is_transient

log = logging.getLogger("isets.dead_letters")


class ReplayFailed(Exception):
    pass


@dataclass
class SubjectReplay:
    consumer: str
    topic: str
    subject: str
    applied: int = 0
    duplicates: int = 0
    stale: int = 0
    released: bool = False
    error: str | None = None

    def summary(self) -> dict:
        return {key: value for key, value in vars(self).items() if value is not None}


async def list_parked(consumer: EventConsumer, subjects: list[str] | None = None) -> list[dict]:
    """One summary per parked event, in parked order (no payload)."""
    parked = consumer.parked
    query = select(parked).where(parked.c.consumer == consumer.group).order_by(parked.c.id)
    if subjects:
        query = query.where(parked.c.subject.in_(subjects))
    async with consumer.unit_of_work() as uow:
        rows = (await uow.session.execute(query)).all()
    return [
        {
            "id": row.id,
            "consumer": row.consumer,
            "subject": row.subject,
            "reason": row.reason,
            "event_type": row.event_type,
            "event_id": row.event_id,
            "sequence": row.sequence,
            "original": f"{row.topic}/{row.partition}@{row.offset}",
            "parked_at": row.parked_at.isoformat(),
            "error": row.error,
        }
        for row in rows
    ]


async def replay(consumer: EventConsumer, subjects: list[str] | None = None) -> list[SubjectReplay]:
    """Replay the parked events of every held subject (or of the given ones)."""
    positions = consumer.positions
    query = select(positions.c.topic, positions.c.subject).where(
        positions.c.consumer == consumer.group, positions.c.held_since.is_not(None)
    )
    if subjects:
        query = query.where(positions.c.subject.in_(subjects))
    async with consumer.unit_of_work() as uow:
        held = (await uow.session.execute(query.order_by(positions.c.topic, positions.c.subject))).all()
    return [await replay_subject(consumer, topic, subject) for topic, subject in held]


async def replay_subject(consumer: EventConsumer, topic: str, subject: str) -> SubjectReplay:
    result = SubjectReplay(consumer.group, topic, subject)
    while not result.released:
        try:
            async with consumer.unit_of_work() as uow:
                await _replay_next(consumer, uow, topic, subject, result)
                await uow.commit()
        except Exception as error:
            if is_transient(error):
                raise
            result.error = describe(error.__cause__ or error) if isinstance(error, ReplayFailed) else describe(error)
            await _note_error(consumer, topic, subject, result.error)
            log.warning("replay of %s stopped at an event that failed again: %s", consumer.group, result.error)
            return result
    return result


async def _replay_next(consumer: EventConsumer, uow, topic: str, subject: str, result: SubjectReplay) -> None:
    """Under the subject's lock: apply its first waiting parked event, or release the hold if none is left."""
    position = (await consumer.lock_positions(uow, {(topic, subject)})).get((topic, subject))
    if position is None or position.held_since is None:
        result.released = True  # released meanwhile (another replay or a discard)
        return
    parked = consumer.parked
    row = (
        await uow.session.execute(
            select(parked)
            .where(parked.c.consumer == consumer.group, parked.c.topic == topic, parked.c.subject == subject,
                   parked.c.reason != Reason.STALE.value)
            .order_by(parked.c.id)
            .limit(1)
        )
    ).first()
    if row is None:
        position.held_since, position.changed = None, True
        await consumer.write_positions(uow, {(topic, subject): position})
        result.released = True
        return
    inbox = consumer.inbox
    applied_before = await uow.session.scalar(
        select(inbox.c.event_id).where(inbox.c.consumer == consumer.group, inbox.c.event_id == row.event_id)
    )
    if applied_before:
        await uow.session.execute(delete(parked).where(parked.c.id == row.id))
        result.duplicates += 1
        return
    delivery = consumer.read(_record_of(row))
    if delivery is None or delivery.reason is not None:
        raise ReplayFailed(delivery.error if delivery else f"{row.event_type} is no longer handled")
    if is_stale(position, delivery.sequence):
        await uow.session.execute(update(parked).where(parked.c.id == row.id).values(reason=Reason.STALE.value))
        result.stale += 1
        return
    try:
        await consumer.apply(uow, [delivery.envelope])
    except Exception as error:
        if is_transient(error):
            raise
        raise ReplayFailed() from error
    advance(position, delivery.sequence)
    await consumer.write_positions(uow, {(topic, subject): position})
    await uow.session.execute(delete(parked).where(parked.c.id == row.id))
    result.applied += 1


async def _note_error(consumer: EventConsumer, topic: str, subject: str, error: str) -> None:
    """The first waiting event of the subject keeps the error of its latest replay."""
    parked = consumer.parked
    async with consumer.unit_of_work() as uow:
        first = (
            select(parked.c.id)
            .where(parked.c.consumer == consumer.group, parked.c.topic == topic, parked.c.subject == subject,
                   parked.c.reason != Reason.STALE.value)
            .order_by(parked.c.id)
            .limit(1)
            .scalar_subquery()
        )
        await uow.session.execute(update(parked).where(parked.c.id == first).values(error=error))
        await uow.commit()


def _record_of(row) -> ConsumerRecord:
    headers = [(key, value.encode()) for key, value in json.loads(row.headers)]
    return ConsumerRecord(row.topic, row.partition, row.offset, 0, 0, row.subject.encode(), row.value, None,
                          len(row.subject), len(row.value), headers)


async def discard(consumer: EventConsumer, subjects: list[str] | None = None) -> int:
    """Record the parked events of the subjects (default: all) in the inbox as discarded, delete them, release the holds."""
    parked = consumer.parked
    query = select(parked.c.topic, parked.c.subject).where(parked.c.consumer == consumer.group).distinct()
    if subjects:
        query = query.where(parked.c.subject.in_(subjects))
    async with consumer.unit_of_work() as uow:
        keys = (await uow.session.execute(query.order_by(parked.c.topic, parked.c.subject))).all()
    discarded = 0
    for topic, subject in keys:
        async with consumer.unit_of_work() as uow:
            positions = await consumer.lock_positions(uow, {(topic, subject)})
            rows = (
                await uow.session.execute(
                    select(parked.c.id, parked.c.event_id, parked.c.event_type)
                    .where(parked.c.consumer == consumer.group, parked.c.topic == topic, parked.c.subject == subject)
                    .order_by(parked.c.id)
                )
            ).all()
            inbox = consumer.inbox
            in_inbox = set(
                await uow.session.scalars(
                    select(inbox.c.event_id).where(inbox.c.consumer == consumer.group, inbox.c.event_id.in_([r.event_id for r in rows]))
                )
            )
            await consumer.record_in_inbox(uow, [(r.event_id, f"discarded {r.event_type}") for r in rows if r.event_id not in in_inbox])
            await uow.session.execute(delete(parked).where(parked.c.id.in_([r.id for r in rows])))
            position = positions.get((topic, subject))
            if position is not None and position.held_since is not None:
                position.held_since, position.changed = None, True
                await consumer.write_positions(uow, {(topic, subject): position})
            await uow.commit()
        discarded += len(rows)
    return discarded


def main(runtime, argv: list[str] | None = None) -> None:
    """The command line of one service: `runtime` is its ServiceRuntime, built (with its consumers) but not started."""
    parser = argparse.ArgumentParser(prog=f"python -m {runtime.name}.dead_letters", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["list", "replay", "discard"])
    parser.add_argument("--subject", action="append", help="only this subject (customer id / individual number); repeatable")
    args = parser.parse_args(argv)
    for handler in logging.getLogger().handlers:  # stdout carries the command's JSON lines only
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)

    async def run() -> None:
        try:
            for consumer in runtime.consumers:
                if args.command == "list":
                    for summary in await list_parked(consumer, args.subject):
                        print(json.dumps(summary))
                elif args.command == "replay":
                    for subject_replay in await replay(consumer, args.subject):
                        print(json.dumps(subject_replay.summary()))
                else:
                    print(json.dumps({"consumer": consumer.group, "discarded": await discard(consumer, args.subject)}))
        finally:
            await runtime.engine.dispose()

    asyncio.run(run())
