"""Helpers for the cross-service tests."""

import time
import uuid
from datetime import date

import httpx

from isets_contracts.reference import fiscal_year_of

DEMO_PASSWORD = "demo-password"


def login(client: httpx.Client, username: str) -> dict[str, str]:
    response = client.post("/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def wait_until(condition, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


_number_block = [int(time.time()) % 100_000 * 1000 + 300_000_000]


def fresh_individual_numbers(count: int) -> int:
    """A block of individual numbers no earlier test session or test used (topics outlive a test database)."""
    first = _number_block[0]
    _number_block[0] += count
    return first


def provider_location(gateway: httpx.Client, statewide: dict[str, str], location_id: str, county: str = "Sangamon") -> dict:
    """The provider location `location_id` in casemgmt, created through the gateway by statewide staff
    (with a provider of its own) unless it exists already."""
    found = gateway.get(f"/api/locations/{location_id}", headers=statewide)
    if found.status_code == 200:
        return found.json()
    provider = gateway.post("/api/providers", json={"name": f"Provider of {location_id}"}, headers=statewide)
    provider.raise_for_status()
    body = {"id": location_id, "name": f"{location_id} office", "county": county}
    created = gateway.post(f"/api/providers/{provider.json()['id']}/locations", json=body, headers=statewide)
    created.raise_for_status()
    return created.json()


def program_contract(gateway: httpx.Client, statewide: dict[str, str], location_id: str, *codes: str) -> dict:
    """An E&T program contract of this fiscal year at `location_id` (created too) offering the activity `codes`."""
    provider_location(gateway, statewide, location_id)
    body = {
        "location_id": location_id, "contract_number": f"ET-{location_id}-{uuid.uuid4().hex[:6]}",
        "fiscal_year": fiscal_year_of(date.today()), "program_name": f"Program at {location_id}",
        "offering": "Training & Job Placement Services", "activities_offered": list(codes),
        "schedule": "Mon-Fri 9-3", "skills": [], "interests": [],
    }
    created = gateway.post("/api/program-contracts", json=body, headers=statewide)
    created.raise_for_status()
    return created.json()


def send_referral(
    gateway: httpx.Client, headers: dict[str, str], customer_id: str, location: str, referred_from: str = "FCRC",
    program: str = "SNAP JP", *, idempotency_keyed: bool = False,
) -> httpx.Response:
    """Refer the customer to `location`, retrying while intake has not yet learned of the location from
    casemgmt (422 "no provider location"); `idempotency_keyed`: each try carries a fresh Idempotency-Key."""

    def attempt() -> httpx.Response | None:
        key = {"Idempotency-Key": str(uuid.uuid4())} if idempotency_keyed else {}
        answer = gateway.post(
            f"/api/customers/{customer_id}/referrals",
            json={"referred_to": location, "referred_from": referred_from, "program": program},
            headers=headers | key,
        )
        unknown = answer.status_code == 422 and answer.json()["detail"][0]["rule"] == f"no provider location {location}"
        return None if unknown else answer

    return wait_until(attempt, message=f"intake to learn of location {location}")
