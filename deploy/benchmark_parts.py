"""The IES slice's parts, each alone and in process, on PostgreSQL (and Kafka for the relay). Prints figures.

    bash deploy/benchmark.sh --parts [--rows 100000] [--profile]

1. ies_sync's import of an all-new extract, then of a copy with 5 % changed (no relay running).
2. The ies_sync outbox that import wrote, sent to Kafka by the outbox relay (as many cycles as it takes).
3. intake's consumer on IES events for as many new people, fed as Kafka records without a broker, then on
   the 5 % changed people.
Each line gives the rate and the CPU seconds of this process (the rest of the time is PostgreSQL's or
Kafka's work, waited for). --profile adds cProfile's 25 functions with the most time of their own.
"""

import argparse
import asyncio
import cProfile
import csv
import io
import pstats
import time
from contextlib import contextmanager
from pathlib import Path

from aiokafka import ConsumerRecord
from faststream.kafka import KafkaBroker

from isets_contracts import Envelope, topics
from isets_contracts.events import IesPersonChanged
from isets_kit.consumer import EventConsumer
from isets_kit.db import make_engine, make_sessions
from isets_kit.migrations import upgrade_to_head
from isets_kit.relay import KafkaSender, OutboxRelay, TopicLimits
from isets_kit.runtime import create_missing_topics, tune_garbage_collection
from isets_kit.settings import ServiceSettings
from isets_kit.unit_of_work import UnitOfWork
from ies_sync import service_layer as ies_sync
from ies_sync.adapters.orm import outbox as ies_sync_outbox
from ies_sync.domain import COLUMNS, PERSON_COLUMNS, parse_values
from ies_sync.synthetic import write_extract
from intake import service_layer as intake
from intake.adapters.orm import metadata as intake_metadata, outbox as intake_outbox
from stack import recreate_databases

SERVICES = Path(__file__).resolve().parent.parent / "services"


class Counted:
    count = 0


@contextmanager
def measured(label: str, unit: str, profile: bool, count: int = 0):
    """Times the block; `count` (or the yielded object's, set inside the block) is how many it handled."""
    counted = Counted()
    counted.count = count
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    yield counted
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    print(f"{label}: {counted.count:,} {unit} in {seconds:.1f} s = {counted.count / seconds:,.0f} {unit}/s; "
          f"this process's CPU {time.process_time() - cpu:.1f} s", flush=True)
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def extract(rows: int, changed: float = 0.0) -> io.StringIO:
    text = io.StringIO()
    write_extract(text, rows=rows, seed=1, changed=changed, change_seed=2)
    text.seek(0)
    return text


async def database(pg_port: int, service: str):
    name = f"isets_bench_parts_{service}"
    await recreate_databases(pg_port, [name])
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{pg_port}/{name}"
    await upgrade_to_head(SERVICES / service / service / "migrations", url)
    engine = make_engine(url)
    return engine, make_sessions(engine)


async def import_and_relay(args) -> None:
    engine, sessions = await database(args.pg_port, "ies_sync")
    def new_uow():
        return UnitOfWork(sessions, ies_sync_outbox, "ies_sync", asyncio.Event(), topic=topics.IES_SYNC)
    for label, text in (("all new", extract(args.rows)), ("5 % changed", extract(args.rows, 0.05))):
        run_id = await ies_sync.start_run(new_uow, "extract", "bench.csv", None, "bench")
        with measured(f"ies_sync import, {label}", "rows", args.profile, args.rows):
            await ies_sync.import_extract(new_uow, run_id, text, "bench")
    bootstrap = f"127.0.0.1:{args.kafka_port}"
    await create_missing_topics(bootstrap, [topics.declared(topics.IES_SYNC)])
    settings = ServiceSettings()
    sender = KafkaSender(
        topics.IES_SYNC, bootstrap_servers=bootstrap, linger_ms=settings.kafka_linger_ms,
        max_batch_size=settings.kafka_batch_bytes, compression_type=settings.kafka_compression,
    )
    await sender.start()
    relay = OutboxRelay(
        sessions, ies_sync_outbox, {topics.IES_SYNC: sender}, asyncio.Event(),
        batch_size=settings.relay_batch_size, limits=TopicLimits(bootstrap),
    )
    try:
        with measured("relay, ies_sync's outbox to Kafka", "events", args.profile) as sent:
            while published := await relay.publish_pending():
                sent.count += published
    finally:
        await sender.stop()
        await engine.dispose()


def ies_records(rows: int, changed: float, sequence: int) -> list[ConsumerRecord]:
    """ies_sync's events for the extract's people (with `changed`: only the changed ones), as Kafka records."""
    records = []
    for offset, row in enumerate(csv.DictReader(extract(rows, changed))):
        if changed and not row["phone"].startswith("312-"):  # synthetic.py's changed people
            continue
        values = parse_values([row[column] for column in COLUMNS])
        payload = IesPersonChanged(**dict(zip(PERSON_COLUMNS, values, strict=True)), is_new=not changed, changed_fields=[], run_id="1")
        body = Envelope.wrap(payload, source="ies_sync", subject=values[0], sequence=sequence).model_dump_json().encode()
        records.append(ConsumerRecord(topics.IES_SYNC, offset % 6, offset, 0, 0, values[0].encode(), body, None, 1, len(body), []))
    return records


async def intake_consumer(args) -> None:
    engine, sessions = await database(args.pg_port, "intake")
    consumer = EventConsumer(
        group="intake", broker=KafkaBroker(), metadata=intake_metadata, handlers=intake.EVENT_HANDLERS,
        unit_of_work=lambda: UnitOfWork(sessions, intake_outbox, "intake", asyncio.Event(), topic=topics.INTAKE),
        batch_size=args.batch,
    )
    try:
        for label, records in (("new people", ies_records(args.rows, 0.0, 1)), ("5 % changed", ies_records(args.rows, 0.05, 2))):
            with measured(f"intake consumer, {label} (batches of {args.batch})", "events", args.profile, len(records)):
                for start in range(0, len(records), args.batch):
                    await consumer.process(records[start:start + args.batch])
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=ServiceSettings().consumer_batch_size)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--kafka-port", type=int, default=29092)
    parser.add_argument("--pg-port", type=int, default=55434)
    args = parser.parse_args()
    tune_garbage_collection()  # as a started service
    asyncio.run(import_and_relay(args))
    asyncio.run(intake_consumer(args))


if __name__ == "__main__":
    main()
