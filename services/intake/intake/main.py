"""Wiring: settings, runtime, consumed events, HTTP routes. `python -m intake` serves it."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from isets_contracts import topics
from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import ServiceSettings
from intake import service_layer
from intake.adapters.api import routers
from intake.adapters.orm import metadata


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/intake.db"
    http_port: int = 8101


def create_app(settings: Settings | None = None):
    runtime = ServiceRuntime(
        "intake", settings or Settings(), metadata, Path(__file__).parent / "migrations", topic=topics.INTAKE
    )
    runtime.consume(service_layer.EVENT_HANDLERS)
    return runtime.create_app(routers, title="ISETS intake", description="Customers, referrals and E&T status")
