"""Wiring: settings, runtime, HTTP routes. `python -m ies_sync` serves it."""

import asyncio
import contextlib
import logging
import socket
from pathlib import Path

from fastapi import APIRouter, FastAPI

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from isets_contracts import topics
from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import ServiceSettings
from ies_sync import service_layer
from ies_sync.adapters import api
from ies_sync.adapters.orm import metadata


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IES_SYNC_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/ies_sync.db"
    http_port: int = 8106
    # Owner of the import runs this replica leases: stable across its restarts (a pod's host name).
    # Set it when several replicas share one host.
    replica_id: str = Field(default_factory=socket.gethostname, max_length=100)
    lease_check_seconds: float = service_layer.LEASE.total_seconds() / 4


log = logging.getLogger("ies_sync")


async def _fail_expired_runs_forever(app: FastAPI) -> None:
    while True:
        await asyncio.sleep(app.state.settings.lease_check_seconds)
        try:
            await service_layer.fail_expired_runs(app.state.runtime.unit_of_work)
        except Exception as error:
            log.warning("could not check the import runs' leases (%s); trying again", type(error).__name__)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI):
    # Runs inside the kit's lifespan, after the migrations.
    await service_layer.fail_interrupted_runs(app.state.runtime.unit_of_work, app.state.settings.replica_id)
    lease_check = asyncio.create_task(_fail_expired_runs_forever(app), name="ies_sync-lease-check")
    try:
        yield
    finally:
        lease_check.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await lease_check


def create_app(settings: Settings | None = None):
    runtime = ServiceRuntime(
        "ies_sync", settings or Settings(), metadata, Path(__file__).parent / "migrations", topic=topics.IES_SYNC
    )
    app = runtime.create_app(
        [APIRouter(lifespan=_lifespan), api.router], title="ISETS ies_sync", description="IES extract and single-person sync"
    )
    app.state.import_tasks = set()
    return app
