"""The service registry (kit/isets_kit/services.toml) is the one list of services: the contracts' topics
agree with it, and a service added to it alone, with its package, is installed by setup, started by the
launcher, covered by the tests and routed to by the gateway, without editing any other file."""

import configparser
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest

from deploy.stack import Stack
from gateway.main import Settings as GatewaySettings
from isets_contracts import topics
from isets_kit import registry
from tests.conftest import service_test_databases, service_test_ports

ROOT = Path(__file__).resolve().parent.parent

THROWAWAY_FILES = {
    "pyproject.toml": """
[project]
name = "isets-throwaway"
version = "0.1.0"
dependencies = ["isets-kit"]
""",
    "throwaway/__init__.py": "",
    "throwaway/__main__.py": """
from throwaway.main import create_app

app = create_app()
app.state.runtime.serve(app)
""",
    "throwaway/main.py": """
from pathlib import Path

from pydantic_settings import SettingsConfigDict

from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import ServiceSettings
from throwaway.adapters.orm import metadata


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="THROWAWAY_", extra="ignore")


def create_app(settings=None):
    runtime = ServiceRuntime("throwaway", settings or Settings(), metadata, Path(__file__).parent / "migrations", messaging=False)
    return runtime.create_app([], title="throwaway")
""",
    "throwaway/adapters/__init__.py": "",
    "throwaway/adapters/orm.py": """
from sqlalchemy import Column, Integer, MetaData, String, Table

metadata = MetaData()
notes = Table("note", metadata, Column("id", Integer, primary_key=True), Column("text", String(200), nullable=False))
""",
    "throwaway/migrations/env.py": """
from isets_kit.migrations import run_env
from throwaway.adapters.orm import metadata

run_env(metadata)
""",
    "throwaway/migrations/versions/0001_notes.py": """
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("note", sa.Column("id", sa.Integer(), nullable=False), sa.Column("text", sa.String(200), nullable=False),
                    sa.PrimaryKeyConstraint("id"))
""",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def throwaway(tmp_path_factory):
    """A registry file = the built-in one + one extra service, whose package is written to a tmp dir and made
    importable through PYTHONPATH (as setup would install it)."""
    work = tmp_path_factory.mktemp("throwaway")
    package = work / "throwaway_service"
    for name, text in THROWAWAY_FILES.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text.lstrip())
    port = _free_port()
    services_file = work / "services.toml"
    services_file.write_text(
        registry.BUILT_IN.read_text()
        + f"""
[[service]]
name = "throwaway"
package = "{package}"
module = "throwaway"
port = {port}
env_prefix = "THROWAWAY_"
messaging = false
"""
    )
    env = os.environ | {"ISETS_SERVICES_FILE": str(services_file), "PYTHONPATH": str(package)}
    return {"package": package, "port": port, "env": env, "state": work / "state"}


@pytest.fixture
def registry_with_throwaway(throwaway, monkeypatch):
    monkeypatch.setenv("ISETS_SERVICES_FILE", throwaway["env"]["ISETS_SERVICES_FILE"])
    return throwaway


def test_registry_topics_are_the_contracts_topics():
    for service in registry.services():
        if service.topic is not None:
            assert service.messaging, service.name
            assert service.topic == getattr(topics, service.name.upper()), service.name


def test_gateway_starts_last():
    assert registry.services()[-1].name == "gateway"


def test_setup_installs_a_service_added_to_the_registry(throwaway):
    listed = subprocess.run(
        ["bash", "deploy/setup.sh", "--list"], cwd=ROOT, env=throwaway["env"], capture_output=True, text=True, check=True
    )
    assert listed.stdout.split() == ["contracts", "kit", *(s.package for s in registry.services()), str(throwaway["package"])]


def _launcher(throwaway, command: str, only: bool = True) -> subprocess.CompletedProcess:
    services = ["throwaway"] if only else []
    return subprocess.run(
        [sys.executable, "deploy/stack.py", command, *services, "--state", str(throwaway["state"]), "--kafka", "127.0.0.1:1"],
        cwd=ROOT, env=throwaway["env"], capture_output=True, text=True, timeout=90,
    )


@pytest.mark.kafka  # starts a process
def test_launcher_starts_a_service_added_to_the_registry_and_it_answers_readyz(throwaway):
    try:
        started = _launcher(throwaway, "up")
        assert started.returncode == 0, started.stderr
        assert f"throwaway ready on http://127.0.0.1:{throwaway['port']}" in started.stdout
        with urlopen(f"http://127.0.0.1:{throwaway['port']}/readyz", timeout=5) as response:
            assert response.status == 200
        assert '"throwaway": true' in _launcher(throwaway, "status", only=False).stdout  # in the whole stack's list
    finally:
        _launcher(throwaway, "down")


@pytest.mark.kafka  # runs pytest in a process
def test_test_suite_covers_a_service_added_to_the_registry(registry_with_throwaway):
    assert service_test_ports()["throwaway"] == int(os.environ.get("ISETS_TEST_PORT_BASE", "18100")) + (
        registry_with_throwaway["port"] - registry.FIRST_PORT
    )
    assert service_test_databases()["throwaway"] == "isets_test_throwaway"
    migrations = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_migrations.py", "-q", "-p", "no:cacheprovider", "-k", "throwaway"],
        cwd=ROOT, env=registry_with_throwaway["env"], capture_output=True, text=True, timeout=120,
    )
    assert f"1 passed, {len(registry.services()) - 1} deselected" in migrations.stdout  # the others, migrations.stdout[-2000:]


def test_gateway_routes_to_a_service_added_to_the_registry(registry_with_throwaway, monkeypatch):
    port = registry_with_throwaway["port"]
    monkeypatch.delenv("GATEWAY_THROWAWAY_URL", raising=False)
    assert GatewaySettings().upstream_urls["throwaway"] == f"http://127.0.0.1:{port}"
    launched = Stack(state_dir=registry_with_throwaway["state"], kafka_bootstrap="", database_urls={"gateway": "sqlite://"})
    assert launched.env("gateway")["GATEWAY_THROWAWAY_URL"] == f"http://127.0.0.1:{port}"
    monkeypatch.setenv("GATEWAY_THROWAWAY_URL", "http://throwaway.internal:9000")
    assert GatewaySettings().upstream_urls["throwaway"] == "http://throwaway.internal:9000"


def test_test_helpers_are_imported_by_their_path_from_the_repository_root():
    """Six services each have a factories.py: a bare `from factories import` (a pythonpath entry per tests
    directory) would import whichever came first."""
    test_dirs = [ROOT / "tests"] + [ROOT / service.package / "tests" for service in registry.services()]
    for test_dir in filter(Path.is_dir, test_dirs):
        siblings = {path.stem for path in test_dir.glob("*.py")}
        for path in test_dir.glob("*.py"):
            for line in path.read_text().splitlines():
                words = line.split()
                if words[:1] in (["from"], ["import"]) and len(words) > 1:
                    assert words[1] not in siblings, f"{path.relative_to(ROOT)}: {line.strip()}"
    pytest_ini = configparser.ConfigParser()
    pytest_ini.read(ROOT / "pytest.ini")
    assert pytest_ini["pytest"]["pythonpath"].split() == ["."]
