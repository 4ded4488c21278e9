"""Cross-service test fixtures: a real Kafka broker, a real PostgreSQL, and every service as its own process.

The broker and the database are started by deploy/kafka.sh and deploy/postgres.sh (idempotent) on test
ports, so `pytest tests` works on its own; deploy/test.sh starts them fresh and stops them afterwards.
"""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from deploy.stack import Stack, recreate_databases, service_names
from isets_kit import registry
from tests.helpers import login

ROOT = Path(__file__).resolve().parent.parent

KAFKA_PORT = int(os.environ.get("ISETS_TEST_KAFKA_PORT", "19092"))
PG_PORT = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
KAFKA_BOOTSTRAP = f"127.0.0.1:{KAFKA_PORT}"
# ISETS_TEST_PORT_BASE moves the services' test ports, so two checkouts can run their suites side by side.
TEST_PORT_BASE = int(os.environ.get("ISETS_TEST_PORT_BASE", "18100"))


def service_test_ports() -> dict[str, int]:
    """Each service of the registry at the test port base + its default port's offset from 8100."""
    return {service.name: TEST_PORT_BASE + service.port - registry.FIRST_PORT for service in registry.services()}


def service_test_databases() -> dict[str, str]:
    return {service: f"isets_test_{service}" for service in service_names()}


def _script(name: str, *args: str, **env: str) -> None:
    subprocess.run(["bash", str(ROOT / "deploy" / name), *args], check=True, env=os.environ | env, stdout=sys.stderr)


def pytest_configure(config):
    config.addinivalue_line("markers", "after_all_traffic: runs after every other test (checks what their traffic left behind)")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.get_closest_marker("after_all_traffic") is not None)  # stable: order kept otherwise


@pytest.fixture(scope="session")
def infrastructure():
    _script("kafka.sh", "start", KAFKA_PORT=str(KAFKA_PORT))
    _script("postgres.sh", "start", PG_PORT=str(PG_PORT))
    return KAFKA_BOOTSTRAP


@pytest.fixture(scope="session")
def stack(infrastructure, tmp_path_factory):
    databases = service_test_databases()
    asyncio.run(recreate_databases(PG_PORT, list(databases.values())))
    test_stack = Stack(
        state_dir=tmp_path_factory.mktemp("stack"),
        kafka_bootstrap=infrastructure,
        database_urls={
            service: f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{name}" for service, name in databases.items()
        },
        ports=service_test_ports(),
    )
    try:
        test_stack.start_all()
        yield test_stack
    finally:
        test_stack.stop_all()
        for service in test_stack.services:
            log = test_stack.state_dir / "logs" / f"{service}.log"
            if log.exists():
                print(f"--- tail of {service} log ---", file=sys.stderr)
                print("\n".join(log.read_text(errors="replace").splitlines()[-15:]), file=sys.stderr)


@pytest.fixture(scope="session")
def gateway(stack):
    with httpx.Client(base_url=stack.url("gateway"), timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def statewide(gateway):
    return login(gateway, "statewide")
