"""Benchmark: the Customer Services Report's bulk save and CSV import, on SQLite and on PostgreSQL. Prints figures.

    bash deploy/benchmark_bulk.sh [--rows 1000] [--databases sqlite postgres]

For each database: starts casemgmt and the gateway on their own ports, writes --rows customers enrolled at
one location, each with a planned activity, straight into casemgmt's database, then through the gateway
times one bulk save of --rows rows (each activity started, weekly hours set) and one CSV import of --rows
rows (the cell's CSV exported, weekly hours edited). Every row goes through the single edit's rules and
writes its update-log entry, status history and event, as a caseworker's edit does.
"""

import argparse
import asyncio
import csv
import io
import json
import os
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy.ext.asyncio import create_async_engine

from casemgmt.adapters.orm import activities, assignments, customers, goals
from isets_contracts.reference import ActivityCode, ActivityStatus, GoalCategory, GoalStatus, GoalTerm, Program
from stack import Stack, default_ports, empty_databases

ROOT = Path(__file__).resolve().parent.parent
PORT_OFFSET = 22000  # away from the demo's, the IES import benchmark's (+20000) and the reads benchmark's (+21000)
SERVICES = ["casemgmt", "gateway"]
LOCATION = "LOC-BENCH"
REPORT = "/api/reports/customer-services"


async def seed(database_url: str, count: int) -> list[str]:
    """`count` customers enrolled at LOCATION, each with a goal and a planned JST: the activity ids."""
    now = datetime.now(UTC)
    people, enrolments, goal_rows, activity_rows = [], [], [], []
    for number in range(count):
        customer_id, goal_id = f"bench-{number:06d}", str(uuid.uuid4())
        people.append({"id": customer_id, "individual_number": f"{900000000 + number}", "first_name": "Bench", "last_name": f"Customer {number}", "county": "Cook"})
        enrolments.append({"customer_id": customer_id, "location": LOCATION, "program": Program.SNAP_JP, "enrollment_date": date(2026, 11, 2), "exited_on": None})
        goal_rows.append({
            "id": goal_id, "customer_id": customer_id, "statement": "Complete the program", "category": GoalCategory.CAREER_PLAN,
            "term": GoalTerm.SHORT_TERM, "status": GoalStatus.NOT_STARTED, "enrolment_location": LOCATION, "updated_by": "bench", "updated_at": now,
        })
        activity_rows.append({
            "id": str(uuid.uuid4()), "customer_id": customer_id, "code": ActivityCode.JOB_SEARCH_TRAINING, "location": LOCATION,
            "status": ActivityStatus.PLANNED, "goal_id": goal_id, "planned_start": date(2026, 11, 9), "planned_completion": date(2027, 3, 31),
            "actual_completion": None, "weekly_hours": Decimal(0), "notes": "", "barriers_addressed": [], "service_provider": "Grantee",
            "provider_name": None, "provider_address": None, "ever_started": False, "employment_id": None, "updated_by": "bench", "updated_at": now,
        })
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            for table, rows in ((customers, people), (assignments, enrolments), (goals, goal_rows), (activities, activity_rows)):
                await connection.execute(table.insert(), rows)
    finally:
        await engine.dispose()
    return [row["id"] for row in activity_rows]


def timed(label: str, database: str, rows: int, call) -> list:
    started = time.perf_counter()
    answer = call()
    seconds = time.perf_counter() - started
    answer.raise_for_status()
    print(f"| {database} | {label} | {rows:,} | {seconds:.2f} s | {rows / seconds:,.0f} | {os.getloadavg()[0]:.1f} |", flush=True)
    return answer


def measure(stack: Stack, database: str, activity_ids: list[str]) -> None:
    with httpx.Client(base_url=stack.url("gateway"), timeout=600) as client:
        token = client.post("/auth/token", data={"username": "statewide", "password": "demo-password"}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        rows = [{"activity_id": activity_id, "status": "Started/Open", "weekly_hours": "10"} for activity_id in activity_ids]
        saved = timed("bulk save (JSON)", database, len(rows), lambda: client.post(f"{REPORT}/bulk", json={"rows": rows}, headers=headers))
        refused = [outcome for outcome in saved.json() if outcome["outcome"] != "ok"]
        assert not refused, refused[:3]
        cell = {"service_provider": LOCATION, "activity_code": "JST", "status": "Started/Open"}
        exported = client.get(f"{REPORT}/cell.csv", params=cell, headers=headers)
        exported.raise_for_status()
        lines = list(csv.DictReader(io.StringIO(exported.text)))
        assert len(lines) == len(activity_ids), len(lines)
        edited = io.StringIO()
        writer = csv.DictWriter(edited, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(line | {"weekly_hours": "20"} for line in lines)
        file = {"file": ("cell.csv", edited.getvalue().encode(), "text/csv")}
        result = timed("CSV import", database, len(lines), lambda: client.post(f"{REPORT}/import", files=file, headers=headers))
        outcomes = list(csv.DictReader(io.StringIO(result.text)))
        assert all(outcome["outcome"] == "ok" for outcome in outcomes), [o for o in outcomes if o["outcome"] != "ok"][:3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--kafka-port", type=int, default=29292)
    parser.add_argument("--pg-port", type=int, default=55634)
    parser.add_argument("--state", default=str(ROOT / ".state" / "bench-bulk"))
    args = parser.parse_args()

    ports = {service: port + PORT_OFFSET for service, port in default_ports().items() if service in SERVICES}
    print("| database | operation | rows | total | rows/s | load (1 min) |")
    print("|---|---|---|---|---|---|", flush=True)
    for database in args.databases:
        state = Path(args.state) / database
        state.mkdir(parents=True, exist_ok=True)
        urls = empty_databases(database, SERVICES, state, args.pg_port, "isets_bench_bulk")
        stack = Stack(
            state_dir=state, kafka_bootstrap=f"127.0.0.1:{args.kafka_port}", database_urls=urls, ports=ports,
            extra_env={"ISETS_LOG_LEVEL": "WARNING"}, services=SERVICES,
        )
        stack.start_all()
        try:
            activity_ids = asyncio.run(seed(urls["casemgmt"], args.rows))
            measure(stack, database, activity_ids)
        finally:
            stack.stop_all()
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count()}))


if __name__ == "__main__":
    main()
