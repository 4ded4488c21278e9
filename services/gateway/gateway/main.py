"""Wiring: settings, runtime, HTTP routes, the upstream client, tokens, the access audit.
`python -m gateway` serves it."""

import asyncio
import contextlib
import logging
from datetime import timedelta
from functools import partial
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from isets_kit.auth import TokenSigner, TokenVerifier
from isets_kit.runtime import ServiceRuntime
from isets_kit.settings import DEMO_SIGNING_KEY, ServiceSettings
from isets_kit.unit_of_work import utcnow
from gateway import service_layer
from gateway.adapters import audit_api, auth_api, forwarding_api, overview_api
from gateway.adapters.api_docs import ApiDocs
from gateway.adapters.audit_writer import AccessAuditWriter
from gateway.adapters.orm import metadata
from gateway.adapters.upstream import Upstreams, registry_upstream_urls
from gateway.adapters.web_app import serve_web_app
from gateway.demo import DEMO_PASSWORD, DEMO_USERS
from gateway.domain import LoginThrottle, Passwords


log = logging.getLogger("gateway")
WEB_BUILD = Path(__file__).resolve().parents[3] / "web" / "dist"


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./.state/gateway.db"
    http_port: int = 8100
    upstream_urls: dict[str, str] = Field(default_factory=registry_upstream_urls)
    upstream_timeout_seconds: float = 30.0
    seed_demo_users: bool = False  # the local launcher and the tests turn it on
    password_hash_rounds: int = 12
    # The private key tokens are signed with (PEM; Ed25519, or RSA for RS256). Its public half is served
    # at /.well-known/jwks.json. The built-in one is the public demo key: refused unless ISETS_DEMO=true.
    jwt_signing_key: SecretStr = SecretStr(DEMO_SIGNING_KEY)
    # After a rotation, the former public keys (PEM): still published and accepted until their tokens expire.
    jwt_retired_public_keys: list[str] = []
    token_ttl_seconds: int = 8 * 3600
    login_failures_per_user: int = 5
    login_failures_per_address: int = 20
    login_failure_window_seconds: int = 900
    web_dir: Path = WEB_BUILD  # the built staff web app, served at /

    @property
    def uses_demo_key(self) -> bool:
        return self.jwt_signing_key.get_secret_value().strip() == DEMO_SIGNING_KEY.strip()


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
    tasks = [
        asyncio.create_task(_forget_old_keys_hourly(app), name="gateway-idempotency-key-pruning"),
        asyncio.create_task(app.state.api_docs.keep_loaded(), name="gateway-api-docs"),
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with contextlib.AsyncExitStack() as closing:  # the client closes even if the audit's last write failed
            closing.push_async_callback(app.state.upstreams.aclose)
            closing.push_async_callback(app.state.audit.stop)


operations = APIRouter(tags=["operations"])


@operations.get("/asyncapi.json", summary="Index of every service's events (each messaging service's AsyncAPI document)")
async def asyncapi_index(request: Request) -> dict:
    return request.app.state.api_docs.asyncapi_index()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = ServiceRuntime("gateway", settings, metadata, Path(__file__).parent / "migrations", messaging=False)
    app = runtime.create_app(
        [APIRouter(lifespan=_lifespan), auth_api.router, auth_api.well_known, audit_api.router, operations, overview_api.router, forwarding_api.router],
        title="ISETS gateway",
        description="Sign in at /auth/token, then call the services through /api with the bearer token.",
    )
    app.state.passwords = Passwords(settings.password_hash_rounds)
    app.state.upstreams = Upstreams(settings.upstream_urls, settings.upstream_timeout_seconds)
    app.state.api_docs = ApiDocs(app.state.upstreams)
    app.openapi = partial(app.state.api_docs.compose, app)
    signer = TokenSigner(
        settings.jwt_signing_key.get_secret_value(),
        settings.jwt_issuer,
        settings.jwt_audience,
        timedelta(seconds=settings.token_ttl_seconds),
        settings.jwt_retired_public_keys,
    )
    app.state.token_signer = signer
    # Its own tokens by its own key; with ISETS_JWT_JWKS_URL set, those of the issuer that replaces it.
    app.state.token_verifier = (
        TokenVerifier.from_settings(settings)
        if settings.jwt_jwks_url
        else TokenVerifier(
            settings.jwt_issuer,
            settings.jwt_audience,
            sorted({signer.algorithm, *(jwk["alg"] for jwk in signer.retired_jwks)}),
            public_keys_pem=[signer.public_key_pem, *settings.jwt_retired_public_keys],
        )
    )
    app.state.login_throttle = LoginThrottle(
        settings.login_failures_per_user,
        settings.login_failures_per_address,
        timedelta(seconds=settings.login_failure_window_seconds),
    )
    app.state.audit = AccessAuditWriter(partial(service_layer.append_accesses, runtime.unit_of_work))
    serve_web_app(app, settings.web_dir)  # last: its catch-all route must not shadow any other
    return app
