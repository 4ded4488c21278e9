"""Benchmark: IES extract → ies_sync → Kafka → intake, on real Kafka and PostgreSQL. Prints figures; asserts nothing.

    bash deploy/benchmark.sh [--rows 200000] [--changed 0.05]

1. Generates an extract (deterministic) and imports it through the gateway: prints ies_sync rows/s, the
   relay's events/s (ies_sync's outbox to Kafka), intake's events/s, the time until intake has applied
   every change, peak RSS of every process (Kafka included) and the CPU seconds each used meanwhile.
2. Loads the same file with PostgreSQL COPY into a plain table, as a reference for raw ingest speed.
3. Waits until every consumer has caught up and vacuums the databases (a settled system, as a week later),
   then re-imports a copy with a share of rows changed and prints the same figures.
4. With --kafka-tools (the kafka-tools jars, fetched by benchmark.sh): Kafka's own ProducerPerformance and
   ConsumerPerformance on the same broker, with as many records of the events' average size, as the
   references for the relay and for intake.

With --memory-rows N it instead imports one N-row extract with only ies_sync and the gateway running,
printing ies_sync's RSS as the import goes (flat memory: the file is streamed in chunks).
"""

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx
import psutil
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from isets_contracts import topics
from ies_sync.domain import COLUMNS
from ies_sync.synthetic import write_extract
from stack import Stack, default_ports, recreate_databases, service_names

APPLIED = re.compile(r'isets_events_consumed_total\{outcome="applied",type="ies_sync.person.changed"\} ([0-9.e+]+)')
PUBLISHED = re.compile(r'isets_events_published_total\{topic="isets.ies_sync.v1"\} ([0-9.e+]+)')
PERF_TOPIC = "isets.benchmark.perf"


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """User + system CPU seconds each process (and its children: PostgreSQL's backends) has used so far."""
    used = {}
    for name, pid in pids.items():
        try:
            process = psutil.Process(pid)
            used[name] = sum(sum(p.cpu_times()[:2]) for p in (process, *process.children(recursive=True)))
        except psutil.Error:
            used[name] = 0.0
    return used


class PeakRss(threading.Thread):
    """Samples the resident set size of named processes (and their children) every 200 ms."""

    def __init__(self, pids: dict[str, int]):
        super().__init__(daemon=True)
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak = {name: 0 for name in pids}
        self.running = True

    def run(self):
        while self.running:
            for name, process in self.processes.items():
                try:
                    rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
                except psutil.Error:
                    continue
                self.peak[name] = max(self.peak[name], rss)
            time.sleep(0.2)

    def stop(self) -> dict[str, int]:
        self.running = False
        self.join()
        return self.peak


def metric(client: httpx.Client, url: str, pattern: re.Pattern) -> int:
    match = pattern.search(client.get(f"{url}/metrics").text)
    return int(float(match.group(1))) if match else 0


class Progress:
    """When a counter (events published by ies_sync's relay, applied by intake) first and last moved."""

    def __init__(self, start: int):
        self.start, self.last, self.first_at, self.last_at = start, start, None, None

    def see(self, value: int, now: float) -> None:
        if value > self.last:
            self.first_at = self.first_at or now
            self.last, self.last_at = value, now

    def rate(self) -> float:
        """Events per second between the first and the last movement seen (sampled every 0.2 s)."""
        if self.first_at is None or self.last_at == self.first_at:
            return 0.0
        return (self.last - self.start) / (self.last_at - self.first_at)


def import_and_measure(client, headers, stack: Stack, path: Path, pids: dict[str, int], label: str) -> dict:
    ies_sync, intake = stack.url("ies_sync"), stack.url("intake")
    published = Progress(metric(client, ies_sync, PUBLISHED))
    applied = Progress(metric(client, intake, APPLIED))
    sampler = PeakRss(pids)
    sampler.start()
    cpu_before = cpu_seconds(pids)
    started = time.monotonic()
    with path.open("rb") as body:
        response = client.post(
            "/api/ies/imports", params={"file_name": path.name}, content=body, headers=headers | {"Content-Type": "text/csv"}
        )
    response.raise_for_status()
    run_id = response.json()["id"]
    run = None
    while True:
        now = time.monotonic()
        published.see(metric(client, ies_sync, PUBLISHED), now)
        applied.see(metric(client, intake, APPLIED), now)
        if run is None or run["status"] == "running":
            run = client.get(f"/api/ies/imports/{run_id}", headers=headers).json()
            imported = time.monotonic()
        elif applied.last - applied.start >= run["new"] + run["changed"]:
            break
        time.sleep(0.2)
    expected = run["new"] + run["changed"]
    peaks = sampler.stop()
    cpu_used = {name: seconds - cpu_before[name] for name, seconds in cpu_seconds(pids).items()}
    import_seconds = (datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])).total_seconds()
    print(f"\n== {label}: {path.name} ({path.stat().st_size / 1e6:.1f} MB), load {load()}")
    print(f"rows read {run['rows_read']:,}: new {run['new']:,}, changed {run['changed']:,}, unchanged {run['unchanged']:,}, "
          f"rejected {run['rejected']:,}")
    print(f"ies_sync import: {import_seconds:.1f} s = {run['rows_read'] / import_seconds:,.0f} rows/s "
          f"(upload + import, wall: {imported - started:.1f} s)")
    print(f"relay (ies_sync outbox to Kafka): {published.rate():,.0f} events/s")
    print(f"intake applied: {applied.rate():,.0f} events/s; all {expected:,} changes applied "
          f"{applied.last_at - started if applied.last_at else 0:.1f} s after the upload began")
    print("peak RSS: " + ", ".join(f"{name} {peak / 2**20:,.0f} MiB" for name, peak in peaks.items()))
    # Where the machine's cores went until intake had applied every change (per row read).
    print(f"CPU until then ({os.cpu_count()} cores): " + ", ".join(
        f"{name} {seconds:,.1f} s ({seconds / run['rows_read'] * 1e6:,.0f} µs/row)"
        for name, seconds in sorted(cpu_used.items(), key=lambda item: -item[1]) if seconds >= 0.05
    ))
    return {"rows_per_second": run["rows_read"] / import_seconds, "relay": published.rate(), "intake": applied.rate(),
            "events": expected}


async def consumers_lag(bootstrap: str) -> int:
    """Records written but not yet consumed, summed over every consumer group."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await admin.start()
    await consumer.start()
    try:
        committed = {}
        for group, _protocol in await admin.list_consumer_groups():
            committed[group] = await admin.list_consumer_group_offsets(group)
        partitions = {partition for offsets in committed.values() for partition in offsets}
        ends = await consumer.end_offsets(list(partitions)) if partitions else {}
        return sum(ends[partition] - max(meta.offset, 0) for offsets in committed.values() for partition, meta in offsets.items())
    finally:
        await consumer.stop()
        await admin.close()


def settle(bootstrap: str, pg_port: int, databases: list[str]) -> None:
    """The weekly extract arrives on a settled system: every consumer has caught up with the first load and
    PostgreSQL has vacuumed and analysed the tables it filled (what autovacuum does in the week between)."""
    started = time.monotonic()
    while asyncio.run(consumers_lag(bootstrap)) > 0:
        time.sleep(1)
    caught_up = time.monotonic() - started
    asyncio.run(vacuum_analyze(pg_port, databases))
    print(f"\nsettled: consumers caught up {caught_up:.0f} s after intake, then VACUUM ANALYZE in {time.monotonic() - started - caught_up:.0f} s")


async def vacuum_analyze(pg_port: int, databases: list[str]) -> None:
    for database in databases:
        connection = await asyncpg.connect(host="127.0.0.1", port=pg_port, user="postgres", database=database)
        try:
            await connection.execute("VACUUM ANALYZE")
        finally:
            await connection.close()


def load() -> str:
    return "average " + " / ".join(f"{value:.2f}" for value in os.getloadavg()) + " (1/5/15 min)"


async def copy_reference(pg_port: int, path: Path) -> float:
    connection = await asyncpg.connect(host="127.0.0.1", port=pg_port, user="postgres", database="isets_bench_ies_sync")
    try:
        await connection.execute("DROP TABLE IF EXISTS copy_reference")
        await connection.execute(f"CREATE TABLE copy_reference ({', '.join(f'{c} text' for c in COLUMNS)})")
        started = time.monotonic()
        await connection.copy_to_table("copy_reference", source=str(path), format="csv", header=True)
        seconds = time.monotonic() - started
        await connection.execute("DROP TABLE copy_reference")
        return seconds
    finally:
        await connection.close()


def copy_ratio(pg_port: int, path: Path, rows: int, result: dict) -> None:
    copy_seconds = asyncio.run(copy_reference(pg_port, path))
    copy_rate = rows / copy_seconds
    print(f"PostgreSQL COPY of the same file: {copy_seconds:.1f} s = {copy_rate:,.0f} rows/s; "
          f"ies_sync is {result['rows_per_second'] / copy_rate:.1%} of COPY")


async def average_event_bytes(pg_port: int) -> int:
    connection = await asyncpg.connect(host="127.0.0.1", port=pg_port, user="postgres", database="isets_bench_ies_sync")
    try:
        return int(await connection.fetchval("SELECT avg(octet_length(payload)) FROM outbox") or 1000)
    finally:
        await connection.close()


async def create_perf_topic(bootstrap: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        partitions = topics.declared(topics.IES_SYNC).partitions
        await admin.create_topics([NewTopic(PERF_TOPIC, num_partitions=partitions, replication_factor=1)])
    finally:
        await admin.close()


def kafka_tool(tools: str, tool: str, *args: str) -> str:
    return subprocess.run(
        ["java", "-Xmx256m", "-cp", f"{tools}/*", f"org.apache.kafka.tools.{tool}", *args],
        check=True, capture_output=True, text=True, timeout=900,
    ).stdout


def kafka_references(tools: str, bootstrap: str, records: int, record_bytes: int, results: list[dict]) -> None:
    """Kafka's own tools on the same broker: as many records of the events' average size, idempotent
    producer with the relay's linger and batch size, then one consumer reading them all."""
    asyncio.run(create_perf_topic(bootstrap))
    produced = kafka_tool(
        tools, "ProducerPerformance", "--topic", PERF_TOPIC, "--num-records", str(records), "--record-size", str(record_bytes),
        "--throughput", "-1", "--producer-props", f"bootstrap.servers={bootstrap}", "acks=all", "enable.idempotence=true",
        "linger.ms=20", f"batch.size={256 * 1024}",
    ).strip().splitlines()[-1]
    producer_rate = float(re.search(r"([0-9.]+) records/sec", produced).group(1))
    consumed = kafka_tool(
        tools, "ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", PERF_TOPIC, "--messages", str(records),
        "--timeout", "60000",
    ).strip().splitlines()[-1]
    consumer_rate = float(consumed.split(",")[5])
    print(f"\n== Kafka's own tools, {records:,} records of {record_bytes} bytes, load {load()}")
    print(f"ProducerPerformance: {producer_rate:,.0f} records/s; ConsumerPerformance: {consumer_rate:,.0f} records/s")
    for result in results:
        print(f"{result['label']}: relay {result['relay'] / producer_rate:.1%} of ProducerPerformance, "
              f"intake {result['intake'] / consumer_rate:.1%} of ConsumerPerformance")


def memory_check(stack: Stack, rows: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="isets-bench-"))
    extract = work / f"extract-{rows}.csv"
    started = time.monotonic()
    with extract.open("w", newline="") as out:
        write_extract(out, rows=rows, seed=7)
    print(f"generated {rows:,} rows ({extract.stat().st_size / 1e6:,.0f} MB) in {time.monotonic() - started:.0f} s")
    for service in ("ies_sync", "gateway"):
        stack.start(service)
    try:
        ies_sync = psutil.Process(int(stack.pid_file("ies_sync").read_text()))
        with httpx.Client(base_url=stack.url("gateway"), timeout=600) as client:
            token = client.post("/auth/token", data={"username": "statewide", "password": "demo-password"}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            print(f"ies_sync RSS before: {ies_sync.memory_info().rss / 2**20:,.0f} MiB")
            with extract.open("rb") as body:
                run_id = client.post(
                    "/api/ies/imports", params={"file_name": extract.name}, content=body,
                    headers=headers | {"Content-Type": "text/csv"},
                ).json()["id"]
            peak, next_report = 0, 0.1
            while (run := client.get(f"/api/ies/imports/{run_id}", headers=headers).json())["status"] == "running":
                peak = max(peak, ies_sync.memory_info().rss)
                if run["rows_read"] >= next_report * rows:
                    print(f"  {run['rows_read']:>10,} rows read: ies_sync RSS {ies_sync.memory_info().rss / 2**20:,.0f} MiB")
                    next_report += 0.1
                time.sleep(0.5)
            seconds = (datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])).total_seconds()
            print(f"imported {run['rows_read']:,} rows in {seconds:.0f} s ({run['rows_read'] / seconds:,.0f} rows/s); "
                  f"ies_sync peak RSS {peak / 2**20:,.0f} MiB")
    finally:
        stack.stop_all()
        extract.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--changed", type=float, default=0.05)
    parser.add_argument("--kafka-port", type=int, default=29092)
    parser.add_argument("--pg-port", type=int, default=55434)
    parser.add_argument("--state", default=str(Path(__file__).resolve().parent.parent / ".state" / "bench"))
    parser.add_argument("--kafka-pid-file", required=True)
    parser.add_argument("--pg-pid-file", required=True)
    parser.add_argument("--memory-rows", type=int, help="only the flat-memory check, with an extract this long")
    parser.add_argument("--kafka-tools", help="directory of the kafka-tools jars: also run Kafka's perf tools")
    args = parser.parse_args()

    services = service_names()
    asyncio.run(recreate_databases(args.pg_port, [f"isets_bench_{service}" for service in services]))
    stack = Stack(
        state_dir=Path(args.state),
        kafka_bootstrap=f"127.0.0.1:{args.kafka_port}",
        database_urls={s: f"postgresql+asyncpg://postgres@127.0.0.1:{args.pg_port}/isets_bench_{s}" for s in services},
        ports={service: port + 20000 for service, port in default_ports().items()},
        extra_env={"ISETS_LOG_LEVEL": "WARNING"},
    )
    if args.memory_rows:
        memory_check(stack, args.memory_rows)
        return
    work = Path(tempfile.mkdtemp(prefix="isets-bench-"))
    first, second = work / f"extract-{args.rows}.csv", work / f"extract-{args.rows}-changed.csv"
    started = time.monotonic()
    with first.open("w", newline="") as out:
        write_extract(out, rows=args.rows, seed=1)
    with second.open("w", newline="") as out:
        write_extract(out, rows=args.rows, seed=1, changed=args.changed, change_seed=2)
    print(f"generated two extracts of {args.rows:,} rows in {time.monotonic() - started:.1f} s")

    stack.start_all()
    try:
        pids = {s: int(stack.pid_file(s).read_text()) for s in services}
        pids["kafka"] = int(Path(args.kafka_pid_file).read_text())
        pids["postgres (all backends)"] = int(Path(args.pg_pid_file).read_text().split()[0])
        with httpx.Client(base_url=stack.url("gateway"), timeout=300) as client:
            token = client.post("/auth/token", data={"username": "statewide", "password": "demo-password"}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            first_result = import_and_measure(client, headers, stack, first, pids, "first import (all new)")
            copy_ratio(args.pg_port, first, args.rows, first_result)
            settle(f"127.0.0.1:{args.kafka_port}", args.pg_port, [f"isets_bench_{service}" for service in services])
            second_result = import_and_measure(client, headers, stack, second, pids, f"re-import with {args.changed:.0%} changed")
            copy_ratio(args.pg_port, second, args.rows, second_result)
        if args.kafka_tools:
            record_bytes = asyncio.run(average_event_bytes(args.pg_port))
            kafka_references(
                args.kafka_tools, f"127.0.0.1:{args.kafka_port}", first_result["events"], record_bytes,
                [first_result | {"label": "all new"}, second_result | {"label": f"{args.changed:.0%} changed"}],
            )
    finally:
        stack.stop_all()
        for path in (first, second):
            path.unlink(missing_ok=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
