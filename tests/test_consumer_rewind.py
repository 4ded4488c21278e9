"""A database outage while a batch spanning two partitions is being applied skips nothing and applies
nothing twice: the failed batch is not acknowledged and every one of its partitions is rewound
(FastStream 0.7.8's nack seeks each partition of a batch back to its first record)."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from deploy.stack import recreate_databases
from tests.toy_consumer import Toy, eventually

pytestmark = pytest.mark.kafka

ROOT = Path(__file__).resolve().parent.parent
# A PostgreSQL of this test alone, so stopping it leaves the shared one serving the other tests. Below the
# kernel's ephemeral ports (32768 and up): while it is down the consumer keeps connecting to it, and a connect
# to a free local port in that range can pick that very port as its own source and hold it (a TCP
# self-connect), so the restart found the port taken.
PRIVATE_PG_PORT = int(os.environ.get("ISETS_TEST_PG_PORT", "55433")) + 7 - 30000
EVENTS_PER_ROUND = 100  # per partition
MAX_ROUNDS = 10


def postgres(command: str) -> None:
    subprocess.run(["bash", str(ROOT / "deploy" / "postgres.sh"), command], check=True, stdout=sys.stderr,
                   env=os.environ | {"PG_PORT": str(PRIVATE_PG_PORT)})


@pytest.fixture(scope="module")
def private_database():
    postgres("start")
    try:
        asyncio.run(recreate_databases(PRIVATE_PG_PORT, ["isets_test_rewind"]))
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{PRIVATE_PG_PORT}/isets_test_rewind"
    finally:
        postgres("stop")


def test_postgresql_outage_during_a_batch_of_two_partitions_skips_nothing_and_applies_nothing_twice(infrastructure, private_database):
    outage: dict = {}
    produced: list[int] = []

    async def scenario(toy: Toy):
        async def stop_database_mid_batch(envelopes):
            partitions = {envelope.subject.split("-")[1] for envelope in envelopes}
            if not outage and len(partitions) >= 2:
                outage["batch"] = (len(envelopes), sorted(partitions))
                await asyncio.to_thread(postgres, "stop")
                outage["restart"] = asyncio.create_task(restart_later())

        async def restart_later():
            await asyncio.sleep(3)
            await asyncio.to_thread(postgres, "start")

        async def produce_round(number: int):
            # Both partitions at once, so the batches the consumer fetches meanwhile hold records of both.
            await asyncio.gather(*(
                toy.produce(*[toy.envelope(toy.subject(f"p{partition}-{number}-{i}"), i) for i in range(EVENTS_PER_ROUND)],
                            partition=partition)
                for partition in (0, 1)
            ))

        toy.on_batch = stop_database_mid_batch
        async with toy.running(before_start=lambda: produce_round(0)):
            rounds = 1  # until a batch spanning both partitions met the outage (the fetches' timing decides which)
            while "batch" not in outage and rounds < MAX_ROUNDS:
                await asyncio.sleep(0.5)
                await produce_round(rounds)
                rounds += 1
            assert "batch" in outage, f"no batch spanned both partitions in {rounds} rounds"
            await eventually(lambda: _at_least(toy.applied_event_ids, rounds * 2 * EVENTS_PER_ROUND), timeout=120,
                             message="every event applied after the outage")
            await asyncio.sleep(2)  # time for a wrongly repeated batch to show
            await outage["restart"]
            produced.append(rounds * 2 * EVENTS_PER_ROUND)
            return await toy.applied_event_ids()

    async def main():
        toy = Toy(infrastructure, private_database, batch_size=1000)
        try:
            return await scenario(toy)
        finally:
            await toy.close()

    applied = asyncio.run(main())
    assert outage["batch"][1] == ["p0", "p1"], "the outage must hit a batch spanning both partitions"
    assert len(applied) == len(set(applied)) == produced[0]


async def _at_least(read, count: int) -> bool:
    try:
        return len(await read()) >= count
    except (OSError, DBAPIError):  # the database is down: not yet
        return False
