"""In-process intake on SQLite without Kafka: events stay in the outbox, where tests can read them."""

import json

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import ies_person
from isets_contracts import Envelope
from isets_contracts.events import IesPersonChanged
from isets_contracts.reference import Role
from isets_kit.auth import Principal, issue_token
from intake import service_layer
from intake.adapters.orm import outbox
from intake.main import Settings, create_app

SECRET = "intake-test-secret-long-enough-for-hs256"


def make_client(tmp_path) -> TestClient:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}", kafka_enabled=False, jwt_secret=SECRET)
    return TestClient(create_app(settings))


def auth_principal(role: Role, *locations: str, customer_id: str | None = None, user: str | None = None) -> Principal:
    return Principal(user or f"{role.value}-user", role, locations=frozenset(locations), customer_id=customer_id)


def auth(role: Role, *locations: str, customer_id: str | None = None, user: str | None = None) -> dict[str, str]:
    principal = auth_principal(role, *locations, customer_id=customer_id, user=user)
    return {"Authorization": f"Bearer {issue_token(principal, SECRET)}"}


STATEWIDE = auth(Role.STATEWIDE)


def apply_event(client: TestClient, payload, subject: str) -> None:
    """Run intake's handler for one consumed event, in one transaction, as the consumer would."""
    runtime = client.app.state.runtime
    handler = service_layer.EVENT_HANDLERS[type(payload)]

    async def run():
        async with runtime.unit_of_work() as uow:
            await handler(uow, [Envelope.wrap(payload, source="test", subject=subject)])
            await uow.commit()

    client.portal.call(run)


def register(client: TestClient, individual_number: str, **fields) -> str:
    person = ies_person(individual_number=individual_number, **fields)
    apply_event(client, IesPersonChanged(**person.model_dump(), is_new=True, changed_fields=["first_name"]), individual_number)
    items = client.get("/customers", params={"individual_number": individual_number}, headers=STATEWIDE).json()["items"]
    return items[0]["id"]


def outbox_events(client: TestClient, event_type: str | None = None) -> list[dict]:
    runtime = client.app.state.runtime

    async def read():
        async with runtime.sessions() as session:
            return [json.loads(p) for p in await session.scalars(select(outbox.c.payload).order_by(outbox.c.id))]

    events = client.portal.call(read)
    return [e for e in events if event_type is None or e["type"] == event_type]


def send_referral(
    client: TestClient, customer_id: str, location: str, referred_from: str = "Sangamon County FCRC", program: str = "SNAP JP"
):
    """Statewide staff refer the customer to a location; returns the HTTP response."""
    return client.post(
        f"/customers/{customer_id}/referrals",
        json={"referred_to": location, "referred_from": referred_from, "program": program},
        headers=STATEWIDE,
    )


def refer_and_accept(client: TestClient, customer_id: str, location: str, program: str = "SNAP JP") -> dict:
    referral = send_referral(client, customer_id, location, program=program).json()
    accepted = client.post(
        f"/customers/{customer_id}/referrals/{referral['number']}/accept",
        json={"version": referral["version"], "snap_et_eligible": True},
        headers=auth(Role.PROVIDER_PARTNER, location),
    )
    assert accepted.status_code == 200, accepted.text
    return accepted.json()


