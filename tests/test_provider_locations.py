"""Provider locations end to end on the real broker and PostgreSQL, through the gateway: a location statewide
staff create in casemgmt becomes referable in intake (LocationChanged), and a referral to a location
nobody created is refused naming `referred_to`."""

import pytest

from ies_sync.synthetic import person
from tests.helpers import fresh_individual_numbers, provider_location, send_referral
from tests.test_ies_to_intake import profile_of

pytestmark = pytest.mark.kafka


def test_a_location_created_in_casemgmt_becomes_referable_in_intake_and_an_unknown_one_is_refused(gateway, statewide):
    number = fresh_individual_numbers(1)
    assert gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide).json()["decision"] == "new"
    cid = profile_of(gateway, statewide, str(number))["id"]

    refused = gateway.post(
        f"/api/customers/{cid}/referrals", json={"referred_to": "LOC-Z", "referred_from": "FCRC", "program": "SNAP JP"},
        headers=statewide,
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"field": "referred_to", "rule": "no provider location LOC-Z"}]

    location = f"LOC-T{number % 1_000_000}"
    assert provider_location(gateway, statewide, location, county="Cook")["open"] is True
    sent = send_referral(gateway, statewide, cid, location)
    assert sent.status_code == 201, sent.text
    assert sent.json()["referred_to"] == location
    assert [r["referred_to"] for r in gateway.get(f"/api/customers/{cid}/referrals", headers=statewide).json()] == [location]
