"""Wiring: settings, runtime, HTTP routes, the upstream client. `python -m gateway` serves it."""

import asyncio
import contextlib
import logging
from pathlib import Path

import httpx
from fastapi import APIRouter, FastAPI
from pydantic import Field
from pydantic_settings import SettingsConfigDict

from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import ServiceSettings
from isets_kit.unit_of_work import utcnow
from gateway import service_layer
from gateway.adapters import auth_api, forwarding_api
from gateway.adapters.orm import metadata
from gateway.adapters.upstream import Upstreams, registry_upstream_urls
from gateway.demo import DEMO_PASSWORD, DEMO_USERS
from gateway.domain import Passwords


log = logging.getLogger("gateway")


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/gateway.db"
    http_port: int = 8100
    upstream_urls: dict[str, str] = Field(default_factory=registry_upstream_urls)
    upstream_timeout_seconds: float = 30.0
    seed_demo_users: bool = False  # the local launcher and the tests turn it on
    password_hash_rounds: int = 12


async def seed(app: FastAPI) -> None:
    if app.state.settings.seed_demo_users:
        await service_layer.add_missing_users(
            app.state.runtime.unit_of_work, app.state.passwords, DEMO_USERS, DEMO_PASSWORD
        )


async def _forget_old_keys_hourly(app: FastAPI) -> None:
    while True:
        try:
            await service_layer.forget_old_keys(app.state.runtime.unit_of_work, utcnow())
        except Exception:
            log.exception("could not prune idempotency keys; trying again in an hour")
        await asyncio.sleep(3600)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI):
    # Runs inside the kit's lifespan, so the migrations have been applied.
    await seed(app)
    pruning = asyncio.create_task(_forget_old_keys_hourly(app), name="gateway-idempotency-key-pruning")
    try:
        yield
    finally:
        pruning.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pruning
        await app.state.upstreams.aclose()


def create_app(settings: Settings | None = None, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """`transport` replaces the network for the upstream calls (tests pass a fake)."""
    settings = settings or Settings()
    runtime = ServiceRuntime("gateway", settings, metadata, Path(__file__).parent / "migrations", messaging=False)
    app = runtime.create_app(
        [APIRouter(lifespan=_lifespan), auth_api.router, forwarding_api.router],
        title="ISETS gateway",
        description="Sign in, then call the services through /api with the bearer token.",
    )
    app.state.passwords = Passwords(settings.password_hash_rounds)
    app.state.upstreams = Upstreams(settings.upstream_urls, settings.upstream_timeout_seconds, transport)
    return app
