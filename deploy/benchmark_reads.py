"""Benchmark: reads through the gateway against a bare FastAPI app, on SQLite and on PostgreSQL. Prints figures.

    bash deploy/benchmark_reads.sh [--customers 50000] [--seconds 12] [--databases sqlite postgres]

For each database: starts the stack on its own ports, loads the demo extract and referrals (deploy/demo.py)
plus --customers more people through ies_sync → Kafka → intake (waits until intake has applied them),
then runs `wrk` at 1 and 50 connections against a bare FastAPI app (one uvicorn worker) answering the
same profile JSON, and against the gateway's profile, customer list with a filter and, when present,
overview routes. Each line carries the load average: other work on the machine moves the figures.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ies_sync.synthetic import write_extract
from stack import Stack, default_ports, empty_databases, service_names

ROOT = Path(__file__).resolve().parent.parent
PORT_OFFSET = 21000  # away from the demo's ports and the IES import benchmark's (+20000)
BARE_PORT = 29990
APPLIED = re.compile(r'isets_events_consumed_total\{outcome="applied",type="ies_sync.person.changed"\} ([0-9.e+]+)')
UNIT_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}

BARE_APP = """
import os
from fastapi import FastAPI, Response

body = open(os.environ["BARE_PROFILE_JSON"], "rb").read()
app = FastAPI()


@app.get("/customers/{customer_id}")
async def profile(customer_id: str):
    return Response(body, media_type="application/json")
"""


def login(client: httpx.Client, username: str) -> str:
    answer = client.post("/auth/token", data={"username": username, "password": "demo-password"})
    answer.raise_for_status()
    return answer.json()["access_token"]


def applied_events(stack: Stack) -> int:
    match = APPLIED.search(httpx.get(f"{stack.url('intake')}/metrics").text)
    return int(float(match.group(1))) if match else 0


def load(stack: Stack, customers: int) -> None:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "deploy/demo.py"], cwd=ROOT, check=True, env=os.environ | {"ISETS_GATEWAY_URL": stack.url("gateway")}
    )
    before = applied_events(stack)
    with tempfile.TemporaryDirectory() as work, httpx.Client(base_url=stack.url("gateway"), timeout=600) as client:
        headers = {"Authorization": f"Bearer {login(client, 'statewide')}"}
        extract = Path(work) / "more.csv"
        with extract.open("w", newline="") as out:
            write_extract(out, rows=1000 + customers, seed=1)  # the demo's 1,000 come back unchanged
        with extract.open("rb") as body:
            answer = client.post(
                "/api/ies/imports", params={"file_name": extract.name}, content=body, headers=headers | {"Content-Type": "text/csv"}
            )
        answer.raise_for_status()
        while (run := client.get(f"/api/ies/imports/{answer.json()['id']}", headers=headers).json())["status"] == "running":
            time.sleep(1)
    while applied_events(stack) - before < run["new"] + run["changed"]:
        time.sleep(1)
    print(f"loaded the demo and {run['new']:,} more customers in {time.monotonic() - started:.0f} s", flush=True)


def wrk(url: str, token: str | None, connections: int, seconds: int) -> dict:
    command = ["wrk", "--latency", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", url]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _seconds(latency["50"]),
        "p99": _seconds(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "load": os.getloadavg()[0],
    }


def _seconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return float(number) * UNIT_SECONDS[unit]


def measure(stack: Stack, seconds: int, label: str) -> list[tuple]:
    gateway = stack.url("gateway")
    with httpx.Client(base_url=gateway, timeout=60) as client:
        token = login(client, "statewide")
        headers = {"Authorization": f"Bearer {token}"}
        listed = client.get("/api/customers", params={"name": "a", "page_size": 1}, headers=headers).json()
        customer_id = listed["items"][0]["id"]
        profile = client.get(f"/api/customers/{customer_id}", headers=headers)
        profile.raise_for_status()
        overview = client.get(f"/api/customers/{customer_id}/overview", headers=headers).status_code == 200
    routes = [
        ("bare FastAPI, same profile JSON", f"http://127.0.0.1:{BARE_PORT}/customers/{customer_id}", None),
        ("gateway GET /api/customers/{id}", f"{gateway}/api/customers/{customer_id}", token),
        ("gateway GET /api/customers?et_status=…&sort=last_name", f"{gateway}/api/customers?et_status=IES%20Matched", token),
    ]
    if overview:
        routes.append(("gateway GET /api/customers/{id}/overview", f"{gateway}/api/customers/{customer_id}/overview", token))
    with tempfile.NamedTemporaryFile("wb", suffix=".json") as body, tempfile.NamedTemporaryFile("w", suffix=".py") as app:
        body.write(profile.content)
        body.flush()
        app.write(BARE_APP)
        app.flush()
        bare = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(app.name).parent), f"{Path(app.name).stem}:app",
             "--port", str(BARE_PORT), "--log-level", "warning", "--no-access-log"],
            env=os.environ | {"BARE_PROFILE_JSON": body.name}, stdin=subprocess.DEVNULL,
        )
        try:
            _wait_for(f"http://127.0.0.1:{BARE_PORT}/customers/{customer_id}")
            rows = []
            for connections in (1, 50):
                bare_rps = None
                for name, url, route_token in routes:
                    result = wrk(url, route_token, connections, seconds)
                    bare_rps = bare_rps or result["rps"]
                    rows.append((label, name, connections, result, result["rps"] / bare_rps))
                    _print_row(rows[-1])
            return rows
        finally:
            bare.terminate()
            bare.wait()


def _wait_for(url: str) -> None:
    for _ in range(100):
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


def _print_row(row: tuple) -> None:
    label, name, connections, result, ratio = row
    errors = f", {result['errors']} non-2xx" if result["errors"] else ""
    print(
        f"| {label} | {name} | {connections} | {result['rps']:,.0f} | {result['p50'] * 1000:.1f} ms "
        f"| {result['p99'] * 1000:.1f} ms | {ratio:.0%} | {result['load']:.1f}{errors} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--seconds", type=int, default=12)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--kafka-port", type=int, default=29192)
    parser.add_argument("--pg-port", type=int, default=55534)
    parser.add_argument("--state", default=str(ROOT / ".state" / "bench-reads"))
    args = parser.parse_args()

    services = service_names()
    ports = {service: port + PORT_OFFSET for service, port in default_ports().items()}
    print("| database | route | connections | requests/s | p50 | p99 | of bare | load (1 min) |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    for database in args.databases:
        state = Path(args.state) / database
        state.mkdir(parents=True, exist_ok=True)
        urls = empty_databases(database, services, state, args.pg_port, "isets_bench_reads")
        stack = Stack(
            state_dir=state,
            kafka_bootstrap=f"127.0.0.1:{args.kafka_port}",
            database_urls=urls,
            ports=ports,
            extra_env={"ISETS_LOG_LEVEL": "WARNING"},
        )
        stack.start_all()
        try:
            load(stack, args.customers)
            measure(stack, args.seconds, database)
        finally:
            stack.stop_all()
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count()}))


if __name__ == "__main__":
    main()
