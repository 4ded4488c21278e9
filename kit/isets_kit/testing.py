"""Test helpers for every service: its app in process on SQLite without Kafka (events stay in the
outbox, where tests read them), bearer tokens for a role, and consumed events applied in one transaction."""

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_contracts import Envelope
from isets_contracts.reference import Role
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from isets_kit.auth import Principal, TokenSigner
from isets_kit.db import make_engine, make_sessions
from isets_kit.settings import ServiceSettings

# A key pair made afresh for each test run: services under test trust its public half.
_TEST_KEY = Ed25519PrivateKey.generate()
TEST_SIGNER = TokenSigner(
    _TEST_KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(),
    issuer=ServiceSettings.model_fields["jwt_issuer"].default,
    audience=ServiceSettings.model_fields["jwt_audience"].default,
)


def make_client(create_app, settings_class: type[ServiceSettings], tmp_path: Path, **settings) -> TestClient:
    """`create_app(settings)` of a service on a fresh SQLite file in `tmp_path`, Kafka off.
    Use it as a context manager: entering runs the app's lifespan (migrations)."""
    database = tmp_path / "service.db"
    configured = settings_class(
        **({"database_url": f"sqlite+aiosqlite:///{database}", "kafka_enabled": False, "jwt_public_key": TEST_SIGNER.public_key_pem} | settings)
    )
    app: FastAPI = create_app(configured)
    return TestClient(app)


def principal(role: Role, *locations: str, customer_id: str | None = None, user: str | None = None) -> Principal:
    return Principal(user or f"{role.value}-user", role, locations=frozenset(locations), customer_id=customer_id)


def auth_headers(
    role: Role, *locations: str, customer_id: str | None = None, user: str | None = None, signer: TokenSigner = TEST_SIGNER
) -> dict[str, str]:
    """The Authorization header of a user with `role` at `locations`, signed with the test key."""
    token = signer.issue(principal(role, *locations, customer_id=customer_id, user=user))
    return {"Authorization": f"Bearer {token}"}


def apply_event(client: TestClient, handlers: dict, payload, subject: str) -> None:
    """Run the service's handler for one consumed event in one transaction, as its consumer does."""
    runtime = client.app.state.runtime
    handler = handlers[type(payload)]

    async def run():
        async with runtime.unit_of_work() as uow:
            await handler(uow, [Envelope.wrap(payload, source="test", subject=subject)])
            await uow.commit()

    client.portal.call(run)


def outbox_events(client: TestClient, event_type: str | None = None) -> list[dict]:
    """The envelopes the service has written to its outbox, oldest first (optionally of one type)."""
    runtime = client.app.state.runtime

    async def read():
        async with runtime.sessions() as session:
            payloads = await session.scalars(select(runtime.outbox.c.payload).order_by(runtime.outbox.c.id))
            return [json.loads(payload) for payload in payloads]

    return [event for event in client.portal.call(read) if event_type is None or event["type"] == event_type]


@contextlib.contextmanager
def sqlite_sessions(database: Path, metadata: MetaData) -> Iterator[async_sessionmaker]:
    """Sessions of a new SQLite database holding `metadata`'s tables (unit tests of the kit and the services)."""
    engine = make_engine(f"sqlite+aiosqlite:///{database}")

    async def create() -> None:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)

    asyncio.run(create())
    try:
        yield make_sessions(engine)
    finally:
        asyncio.run(engine.dispose())
