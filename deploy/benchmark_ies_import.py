"""Benchmark: IES extract → ies_sync → Kafka → intake, on real Kafka and PostgreSQL. Prints figures; asserts nothing.

    bash deploy/benchmark.sh [--rows 200000] [--changed 0.05]

1. Generates an extract (deterministic) and imports it through the gateway: prints ies_sync rows/s,
   the time until intake has applied every change, and peak RSS of every process (Kafka included).
2. Loads the same file with PostgreSQL COPY into a plain table, as a reference for raw ingest speed.
3. Re-imports a copy with a share of rows changed and prints the same figures.

With --memory-rows N it instead imports one N-row extract with only ies_sync and the gateway running,
printing ies_sync's RSS as the import goes (flat memory: the file is streamed in chunks).
"""

import argparse
import asyncio
import re
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx
import psutil

from ies_sync.domain import COLUMNS
from ies_sync.synthetic import write_extract
from stack import Stack, default_ports, recreate_databases, service_names

APPLIED = re.compile(r'isets_events_consumed_total\{outcome="applied",type="ies_sync.person.changed"\} ([0-9.e+]+)')


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


def applied_events(client: httpx.Client, intake_url: str) -> int:
    match = APPLIED.search(client.get(f"{intake_url}/metrics").text)
    return int(float(match.group(1))) if match else 0


def import_and_measure(client, headers, stack: Stack, path: Path, pids: dict[str, int], label: str) -> dict:
    before = applied_events(client, stack.url("intake"))
    sampler = PeakRss(pids)
    sampler.start()
    started = time.monotonic()
    with path.open("rb") as body:
        response = client.post(
            "/api/ies/imports", params={"file_name": path.name}, content=body, headers=headers | {"Content-Type": "text/csv"}
        )
    response.raise_for_status()
    run_id = response.json()["id"]
    while (run := client.get(f"/api/ies/imports/{run_id}", headers=headers).json())["status"] == "running":
        time.sleep(0.5)
    imported = time.monotonic()
    expected = run["new"] + run["changed"]
    while applied_events(client, stack.url("intake")) - before < expected:
        time.sleep(0.5)
    applied = time.monotonic()
    peaks = sampler.stop()
    import_seconds = (datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])).total_seconds()
    print(f"\n== {label}: {path.name} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"rows read {run['rows_read']:,}: new {run['new']:,}, changed {run['changed']:,}, unchanged {run['unchanged']:,}, "
          f"rejected {run['rejected']:,}")
    print(f"ies_sync import: {import_seconds:.1f} s = {run['rows_read'] / import_seconds:,.0f} rows/s "
          f"(upload + import, wall: {imported - started:.1f} s)")
    print(f"intake applied all {expected:,} changes {applied - started:.1f} s after the upload began "
          f"({expected / max(applied - started, 1e-9):,.0f} events/s end to end)")
    print("peak RSS: " + ", ".join(f"{name} {peak / 2**20:,.0f} MiB" for name, peak in peaks.items()))
    return {"rows_per_second": run["rows_read"] / import_seconds}


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
            result = import_and_measure(client, headers, stack, first, pids, "first import (all new)")
            copy_seconds = asyncio.run(copy_reference(args.pg_port, first))
            copy_rate = args.rows / copy_seconds
            print(f"PostgreSQL COPY of the same file: {copy_seconds:.1f} s = {copy_rate:,.0f} rows/s; "
                  f"ies_sync is {result['rows_per_second'] / copy_rate:.1%} of COPY")
            import_and_measure(client, headers, stack, second, pids, f"re-import with {args.changed:.0%} changed")
    finally:
        stack.stop_all()
        for path in (first, second):
            path.unlink(missing_ok=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
