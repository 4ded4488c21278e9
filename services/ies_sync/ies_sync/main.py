"""Wiring: settings, runtime, HTTP routes. `python -m ies_sync` serves it."""

import contextlib
from pathlib import Path

from fastapi import APIRouter, FastAPI

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


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI):
    # Runs inside the kit's lifespan, after the migrations.
    await service_layer.fail_interrupted_runs(app.state.runtime.unit_of_work)
    yield


def create_app(settings: Settings | None = None):
    runtime = ServiceRuntime(
        "ies_sync", settings or Settings(), metadata, Path(__file__).parent / "migrations", topic=topics.IES_SYNC
    )
    app = runtime.create_app(
        [APIRouter(lifespan=_lifespan), api.router], title="ISETS ies_sync", description="IES extract and single-person sync"
    )
    app.state.import_tasks = set()
    return app
