"""An initial universal assessment recorded in casemgmt reaches intake's profile over the real broker:
IES person → intake registers → casemgmt learns the customer → assessment through the gateway → intake
shows Initial Assessment Complete with the assessment's date."""

import uuid
from datetime import date

import pytest

from ies_sync.synthetic import person
from tests.helpers import fresh_individual_numbers, wait_until
from tests.test_ies_to_intake import profile_of

pytestmark = pytest.mark.kafka


def test_initial_universal_assessment_in_casemgmt_makes_intake_initial_assessment_complete(gateway, statewide):
    number = fresh_individual_numbers(1)
    assert gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide).json()["decision"] == "new"
    cid = profile_of(gateway, statewide, str(number))["id"]
    wait_until(lambda: gateway.get(f"/api/plans/{cid}", headers=statewide).status_code == 200, message="casemgmt knows the customer")

    taken_on = date.today().isoformat()
    recorded = gateway.post(
        f"/api/plans/{cid}/assessments",
        json={"assessment": "Initial universal assessment", "taken_on": taken_on},
        headers=statewide | {"Idempotency-Key": str(uuid.uuid4())},
    )
    assert recorded.status_code == 201, recorded.text

    def assessed():
        profile = gateway.get(f"/api/customers/{cid}", headers=statewide).json()
        return profile if profile["et_status"] == "Initial Assessment Complete" else None

    profile = wait_until(assessed, message="Initial Assessment Complete in intake")
    assert profile["initial_assessment_date"] == taken_on
    assert profile["status_history"][-1]["cause"] == "initial universal assessment completed"
