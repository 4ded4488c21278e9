"""intake in process on SQLite without Kafka (see isets_kit.testing), and intake's own steps: a customer
registered from IES, a provider location announced by casemgmt, referrals sent and accepted."""

from pathlib import Path

from fastapi.testclient import TestClient

from isets_contracts.events import IesPersonChanged, LocationChanged
from isets_contracts.reference import Role
from isets_kit import testing
from isets_kit.testing import auth_headers
from intake import service_layer
from intake.main import Settings, create_app
from services.intake.tests.factories import ies_person

STATEWIDE = auth_headers(Role.STATEWIDE)


def make_client(tmp_path: Path) -> TestClient:
    return testing.make_client(create_app, Settings, tmp_path)


def apply_event(client: TestClient, payload, subject: str) -> None:
    testing.apply_event(client, service_layer.EVENT_HANDLERS, payload, subject)


def register(client: TestClient, individual_number: str, **fields) -> str:
    person = ies_person(individual_number=individual_number, **fields)
    apply_event(client, IesPersonChanged(**person.model_dump(), is_new=True, changed_fields=["first_name"]), individual_number)
    items = client.get("/customers", params={"individual_number": individual_number}, headers=STATEWIDE).json()["items"]
    return items[0]["id"]


def announce_location(client: TestClient, location: str, open: bool = True) -> None:
    """casemgmt announces a provider location (opened, changed or closed): referrals may go to it while open."""
    apply_event(
        client, LocationChanged(location_id=location, provider_id="PRV-1", name=f"{location} office", county="Sangamon", open=open),
        location,
    )


def send_referral(
    client: TestClient, customer_id: str, location: str, referred_from: str = "Sangamon County FCRC", program: str = "SNAP JP"
):
    """Statewide staff refer the customer to a location (announced first, as casemgmt would); returns the HTTP response."""
    announce_location(client, location)
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
        headers=auth_headers(Role.PROVIDER_PARTNER, location),
    )
    assert accepted.status_code == 200, accepted.text
    return accepted.json()
