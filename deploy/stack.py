"""Start, watch and stop the ISETS service processes on one machine (used by `deploy/up.sh` and the tests).

The services, their modules, ports, env prefixes and start order come from the service registry
(isets_kit.registry). Each service runs as its own process (`python -m <module>`, one uvicorn worker)
with its own database URL and HTTP port, configured through its env-var prefix.
Logs go to <state>/logs/<service>.log.
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

import asyncpg

from isets_kit import registry

ROOT = Path(__file__).resolve().parent.parent
GATEWAY = "gateway"


def service_names() -> list[str]:
    """In start order: the gateway last."""
    return [service.name for service in registry.services()]


def default_ports() -> dict[str, int]:
    return {service.name: service.port for service in registry.services()}


@dataclass
class Stack:
    state_dir: Path
    kafka_bootstrap: str
    database_urls: dict[str, str]
    ports: dict[str, int] = field(default_factory=default_ports)
    extra_env: dict[str, str] = field(default_factory=dict)
    services: list[str] = field(default_factory=service_names)

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def env(self, service: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
        prefix = registry.service(service).env_prefix
        env = os.environ | self.extra_env | {
            f"{prefix}DATABASE_URL": self.database_urls[service],
            f"{prefix}KAFKA_BOOTSTRAP": self.kafka_bootstrap,
            f"{prefix}HTTP_PORT": str(self.ports[service]),
        }
        env["ISETS_DEMO"] = "true"  # one-machine runs (demo, tests, benchmark) may use the public demo key pair
        if service == GATEWAY:
            env |= {f"GATEWAY_{name.upper()}_URL": self.url(name) for name in self.services if name != GATEWAY}
            env["GATEWAY_SEED_DEMO_USERS"] = "true"
        elif GATEWAY in self.ports:  # the services check tokens against the keys the gateway publishes
            env[f"{prefix}JWT_JWKS_URL"] = f"{self.url(GATEWAY)}/.well-known/jwks.json"
        return env | (overrides or {})

    def pid_file(self, service: str) -> Path:
        return self.state_dir / "pids" / f"{service}.pid"

    def start(self, service: str, overrides: dict[str, str] | None = None, wait: bool = True) -> int:
        if _port_in_use(self.ports[service]):
            raise RuntimeError(f"port {self.ports[service]} for {service} is taken: stop whatever listens there first")
        (self.state_dir / "logs").mkdir(parents=True, exist_ok=True)
        self.pid_file(service).parent.mkdir(parents=True, exist_ok=True)
        with open(self.state_dir / "logs" / f"{service}.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", registry.service(service).module],
                env=self.env(service, overrides),
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid_file(service).write_text(str(process.pid))
        if wait:
            self.wait_ready(service, process)
        return process.pid

    def wait_ready(self, service: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{service} exited with {process.returncode}; see {self.state_dir}/logs/{service}.log")
            try:
                with urlopen(f"{self.url(service)}/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (URLError, OSError):
                pass
            time.sleep(0.3)
        raise TimeoutError(f"{service} not ready after {timeout}s; see {self.state_dir}/logs/{service}.log")

    def stop(self, service: str, kill: bool = False, timeout: float = 20) -> None:
        pid_file = self.pid_file(service)
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text())
        try:
            os.kill(pid, signal.SIGKILL if kill else signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _alive(pid):
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                time.sleep(0.1)
        except ProcessLookupError:
            pass
        finally:
            pid_file.unlink(missing_ok=True)

    def start_all(self) -> None:
        for service in self.services:
            self.start(service)

    def stop_all(self) -> None:
        for service in reversed(self.services):
            self.stop(service)


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)  # our child: reap it, or it lingers as a zombie
        return reaped == 0
    except ChildProcessError:
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False


async def recreate_databases(pg_port: int, names: list[str]) -> None:
    """Drop and create PostgreSQL databases (for tests and benchmarks: every run starts empty)."""
    connection = await asyncpg.connect(host="127.0.0.1", port=pg_port, user="postgres", database="postgres")
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def empty_databases(database: str, services: list[str], state: Path, pg_port: int, prefix: str) -> dict[str, str]:
    """Each service's database URL for a benchmark run that starts empty: on PostgreSQL (`database` =
    "postgres") `<prefix>_<service>` dropped and created again, on SQLite files under `state` removed."""
    if database == "postgres":
        asyncio.run(recreate_databases(pg_port, [f"{prefix}_{s}" for s in services]))
        return {s: f"postgresql+asyncpg://postgres@127.0.0.1:{pg_port}/{prefix}_{s}" for s in services}
    for old in state.glob("*.db*"):
        old.unlink()
    return {s: f"sqlite+aiosqlite:///{state / f'{s}.db'}" for s in services}


async def create_missing_databases(pg_port: int, names: list[str]) -> None:
    connection = await asyncpg.connect(host="127.0.0.1", port=pg_port, user="postgres", database="postgres")
    try:
        existing = {row["datname"] for row in await connection.fetch("SELECT datname FROM pg_database")}
        for name in names:
            if name not in existing:
                await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def sqlite_stack(state_dir: Path, kafka_bootstrap: str) -> Stack:
    return Stack(
        state_dir=state_dir,
        kafka_bootstrap=kafka_bootstrap,
        database_urls={service: f"sqlite+aiosqlite:///{state_dir / f'{service}.db'}" for service in service_names()},
    )


def postgres_stack(state_dir: Path, kafka_bootstrap: str, pg_port: int) -> Stack:
    """One database per service, isets_<service>, on the PostgreSQL that deploy/postgres.sh runs on `pg_port`."""
    return Stack(
        state_dir=state_dir,
        kafka_bootstrap=kafka_bootstrap,
        database_urls={
            service: f"postgresql+asyncpg://postgres@127.0.0.1:{pg_port}/isets_{service}" for service in service_names()
        },
    )


def prepare_databases(stack: Stack, names: list[str], pg_port: int | None, clean: bool) -> None:
    """PostgreSQL databases are created when missing; `clean` empties them (SQLite: deletes the files)."""
    if pg_port:
        databases = [stack.database_urls[service].rsplit("/", 1)[1] for service in names]
        asyncio.run((recreate_databases if clean else create_missing_databases)(pg_port, databases))
    elif clean:
        for service in names:
            (stack.state_dir / f"{service}.db").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="start or stop the ISETS services of the registry on one machine")
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("services", nargs="*", help="only these (default: every service, in start order)")
    parser.add_argument("--state", default=os.environ.get("ISETS_STATE", str(ROOT / ".state")))
    parser.add_argument("--kafka", default=os.environ.get("ISETS_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
    parser.add_argument("--postgres", type=int, metavar="PORT", help="databases on this PostgreSQL instead of SQLite")
    parser.add_argument("--clean", action="store_true", help="start with empty databases")
    args = parser.parse_args()
    state = Path(args.state)
    stack = postgres_stack(state, args.kafka, args.postgres) if args.postgres else sqlite_stack(state, args.kafka)
    names = args.services or stack.services
    if args.command == "up":
        prepare_databases(stack, names, args.postgres, args.clean)
        for service in names:
            if stack.pid_file(service).exists():
                stack.stop(service)
            stack.start(service)
            print(f"{service:9} ready on {stack.url(service)}")
    elif args.command == "down":
        for service in reversed(names):
            stack.stop(service)
        print("services stopped")
    else:
        print(json.dumps({s: stack.pid_file(s).exists() for s in names}))


if __name__ == "__main__":
    main()
