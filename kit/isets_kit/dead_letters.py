"""Dead letters of one consumer group: list them, or replay them once the cause is fixed.

    python -m <service>.dead_letters list
    python -m <service>.dead_letters replay [--record PARTITION:OFFSET ...]

Replaying takes each record's inbox mark off (so the consumer no longer skips it) and publishes its
original bytes, key and headers to its original topic. Other consumer groups of that topic applied or
dead-lettered it before; their inboxes make the second copy harmless.
"""

import argparse
import asyncio
import json
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Table, delete

from isets_contracts import decode, topics
from isets_kit.consumer import position_id
from isets_kit.db import make_engine, make_sessions
from isets_kit.settings import ServiceSettings


@dataclass
class DeadLetter:
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    @property
    def original_topic(self) -> str:
        return self.headers["x-original-topic"]

    @property
    def inbox_ids(self) -> set[str]:
        """The ids the consumer may have recorded it under: its event id, or its position if it never decoded."""
        ids = {position_id(self.original_topic, int(self.headers["x-original-partition"]), int(self.headers["x-original-offset"]))}
        try:
            ids.add(str(decode(self.value).id))
        except Exception:
            pass
        return ids

    @property
    def record(self) -> str:
        return f"{self.partition}:{self.offset}"

    def summary(self) -> dict:
        return {
            "record": self.record,
            "original": f"{self.original_topic}/{self.headers['x-original-partition']}@{self.headers['x-original-offset']}",
            "error": self.headers.get("x-error"),
        }


async def read_dead_letters(bootstrap: str, group: str, settle_seconds: float = 5) -> list[DeadLetter]:
    """Every record on the group's dead-letter topic (read without a consumer group: nothing is committed)."""
    topic = topics.dead_letter(group)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest")
    await consumer.start()
    try:
        letters: list[DeadLetter] = []
        deadline = asyncio.get_running_loop().time() + settle_seconds
        ends: dict = {}
        while True:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                letters.extend(
                    DeadLetter(r.partition, r.offset, r.key, r.value, {k: v.decode(errors="replace") for k, v in r.headers or ()})
                    for r in records
                )
            partitions = consumer.assignment()
            if partitions and not ends:
                ends = await consumer.end_offsets(list(partitions))
            if ends and all([await consumer.position(p) >= end for p, end in ends.items()]):
                break
            if not ends and asyncio.get_running_loop().time() > deadline:
                break  # the topic does not exist (yet): no dead letters
        return sorted(letters, key=lambda letter: (letter.partition, letter.offset))
    finally:
        await consumer.stop()


async def replay(bootstrap: str, group: str, sessions, inbox: Table, letters: list[DeadLetter]) -> int:
    async with sessions() as session, session.begin():
        for letter in letters:
            await session.execute(delete(inbox).where(inbox.c.consumer == group, inbox.c.event_id.in_(letter.inbox_ids)))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for letter in letters:
            headers = [(k, v.encode()) for k, v in letter.headers.items() if not k.startswith("x-")]
            await producer.send_and_wait(letter.original_topic, letter.value, key=letter.key, headers=headers)
    finally:
        await producer.stop()
    return len(letters)


def main(group: str, settings: ServiceSettings, inbox: Table, argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {group}.dead_letters", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["list", "replay"])
    parser.add_argument("--record", action="append", help="only this dead letter, as PARTITION:OFFSET (repeatable)")
    args = parser.parse_args(argv)

    async def run() -> None:
        letters = await read_dead_letters(settings.kafka_bootstrap, group)
        if args.record:
            letters = [letter for letter in letters if letter.record in set(args.record)]
        if args.command == "list":
            for letter in letters:
                print(json.dumps(letter.summary()))
            return
        engine = make_engine(settings.database_url)
        try:
            replayed = await replay(settings.kafka_bootstrap, group, make_sessions(engine), inbox, letters)
        finally:
            await engine.dispose()
        print(f"replayed {replayed} dead letter(s) of {group}")

    asyncio.run(run())
