"""Wiring: settings, runtime, consumed events, HTTP routes. `python -m casemgmt` serves it."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from isets_contracts import topics
from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import ServiceSettings
from casemgmt import service_layer
from casemgmt.adapters.api import routers
from casemgmt.adapters.orm import metadata


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CASEMGMT_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/casemgmt.db"
    http_port: int = 8102


def create_app(settings: Settings | None = None):
    runtime = ServiceRuntime(
        "casemgmt", settings or Settings(), metadata, Path(__file__).parent / "migrations", topic=topics.CASEMGMT
    )
    runtime.consume(service_layer.EVENT_HANDLERS)
    return runtime.create_app(routers, title="ISETS casemgmt", description="The employment plan: providers, goals, activities, notes, assessments")
