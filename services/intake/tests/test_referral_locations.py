"""A referral goes only to a provider location that exists and is open: intake learns them from casemgmt's
LocationChanged events (its read model of locations)."""

import pytest

from isets_kit.testing import auth_headers
from isets_contracts.reference import Role
from services.intake.tests.api_fixtures import STATEWIDE, announce_location, make_client, register, send_referral


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        yield test_client


def refer(client, customer_id: str, location: str):
    """A referral to `location` without announcing it first."""
    return client.post(
        f"/customers/{customer_id}/referrals",
        json={"referred_to": location, "referred_from": "Sangamon County FCRC", "program": "SNAP JP"},
        headers=STATEWIDE,
    )


def test_a_referral_to_an_unknown_location_is_refused_naming_referred_to(client):
    cid = register(client, "210000001")
    announce_location(client, "LOC-A")
    refused = refer(client, cid, "LOC-Z")
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"field": "referred_to", "rule": "no provider location LOC-Z"}]
    assert client.get(f"/customers/{cid}/referrals", headers=STATEWIDE).json() == []


def test_a_referral_to_a_location_casemgmt_announced_is_accepted(client):
    cid = register(client, "210000002")
    announce_location(client, "LOC-N")
    assert refer(client, cid, "LOC-N").status_code == 201


def test_a_referral_to_a_closed_location_is_refused_and_reopening_it_allows_referrals_again(client):
    cid = register(client, "210000003")
    announce_location(client, "LOC-N")
    announce_location(client, "LOC-N", open=False)
    refused = refer(client, cid, "LOC-N")
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"field": "referred_to", "rule": "provider location LOC-N is closed to new referrals"}]
    announce_location(client, "LOC-N", open=True)
    assert refer(client, cid, "LOC-N").status_code == 201


def test_a_rejected_referral_cannot_be_resent_to_a_location_closed_since(client):
    cid = register(client, "210000004")
    sent = send_referral(client, cid, "LOC-A").json()
    rejected = client.post(
        f"/customers/{cid}/referrals/1/reject", json={"version": sent["version"], "reason": "no capacity"},
        headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A"),
    ).json()
    announce_location(client, "LOC-A", open=False)
    resent = client.post(f"/customers/{cid}/referrals/1/resend", json={"version": rejected["version"]}, headers=STATEWIDE)
    assert resent.status_code == 422 and resent.json()["detail"][0]["field"] == "referred_to"
