"""The employment plan end to end through the gateway on the real broker and PostgreSQL: an IES person is
referred and accepted, casemgmt pre-populates the enrolment goal, starting a SNAP E&T activity makes intake
say Active and completing it Inactive; a support service is refused while only an Other E&T activity is
open; the customer agrees to the plan after a goal goes Off Track."""

from datetime import date

import pytest

from ies_sync.synthetic import person
from isets_contracts.reference import Role
from isets_kit.auth import TokenSigner
from isets_kit.settings import DEMO_SIGNING_KEY, ServiceSettings
from isets_kit.testing import auth_headers
from tests.helpers import fresh_individual_numbers, login, program_contract, send_referral, wait_until
from tests.test_ies_to_intake import profile_of

pytestmark = pytest.mark.kafka

# The gateway of the test stack signs with the public demo key; a customer user has no demo login.
DEMO_SIGNER = TokenSigner(
    DEMO_SIGNING_KEY,
    issuer=ServiceSettings.model_fields["jwt_issuer"].default,
    audience=ServiceSettings.model_fields["jwt_audience"].default,
)


def refer_and_accept(gateway, statewide, accepting, customer: dict, location: str) -> None:
    """The customer referred to `location` and accepted there (the one place this test sends a referral)."""
    sent = send_referral(gateway, statewide, customer["id"], location, customer["dhs_office"], idempotency_keyed=True)
    assert sent.status_code == 201, sent.text
    accepted = gateway.post(
        f"/api/customers/{customer['id']}/referrals/1/accept",
        json={"version": sent.json()["version"], "snap_et_eligible": True},
        headers=accepting,
    )
    assert accepted.status_code == 200, accepted.text


def et_status(gateway, headers, customer_id: str) -> str:
    return gateway.get(f"/api/customers/{customer_id}", headers=headers).json()["et_status"]


def test_a_plan_takes_a_customer_from_referral_to_active_and_back_to_inactive(gateway, statewide):
    number = fresh_individual_numbers(1)
    assert gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide).json()["decision"] == "new"
    customer = profile_of(gateway, statewide, str(number))
    cid = customer["id"]
    program_contract(gateway, statewide, "LOC-A", "JST", "CS")
    staff = login(gateway, "provider.a")
    refer_and_accept(gateway, statewide, staff, customer, "LOC-A")
    plan = f"/api/plans/{cid}"

    def enrolment_goals():
        answer = gateway.get(f"{plan}/goals", headers=staff)
        return answer.status_code == 200 and answer.json()

    goals = wait_until(enrolment_goals, message="the enrolment goal in casemgmt")
    assert [g["statement"] for g in goals] == ["Complete the program"]
    goal_id = goals[0]["id"]
    assert et_status(gateway, staff, cid) == "Pending Activity Start Date"

    jst = gateway.post(
        f"{plan}/activities",
        json={"activity_code": "JST", "goal_id": goal_id, "planned_start": str(date.today()), "planned_completion": "2027-06-30"},
        headers=staff,
    )
    assert jst.status_code == 201, jst.text
    started = gateway.patch(f"{plan}/activities/{jst.json()['id']}", json={"status": "Started/Open"}, headers=staff)
    assert started.status_code == 200, started.text
    wait_until(lambda: et_status(gateway, staff, cid) == "Active", message="Active")

    cs = gateway.post(f"{plan}/activities", json={"activity_code": "CS", "goal_id": goal_id, "status": "Started/Open"}, headers=staff)
    assert cs.status_code == 201, cs.text
    completed = gateway.patch(
        f"{plan}/activities/{jst.json()['id']}",
        json={"status": "Successful Completion", "actual_completion": str(date.today())},
        headers=staff,
    )
    assert completed.status_code == 200, completed.text
    wait_until(lambda: et_status(gateway, staff, cid) == "Inactive", message="Inactive")

    refused = gateway.post(f"{plan}/activities", json={"activity_code": "SS-TRANSPORT", "goal_id": goal_id}, headers=staff)
    assert refused.status_code == 422
    assert "needs a SNAP E&T activity Started/Open" in refused.json()["detail"][0]["rule"]

    customer_headers = auth_headers(Role.CUSTOMER, customer_id=cid, user=f"customer-{cid}", signer=DEMO_SIGNER)
    assert gateway.post(f"{plan}/agreement", json={"agreement": "Agreed"}, headers=customer_headers).status_code == 200
    off_track = gateway.patch(f"{plan}/goals/{goal_id}", json={"status": "Off Track"}, headers=staff)
    assert off_track.status_code == 200, off_track.text
    assert gateway.get(plan, headers=customer_headers).json()["agreement"] == "Pending"
    assert gateway.patch(f"{plan}/goals/{goal_id}", json={"status": "On Track"}, headers=customer_headers).status_code == 403
    agreed = gateway.post(f"{plan}/agreement", json={"agreement": "Agreed"}, headers=customer_headers)
    assert agreed.status_code == 200, agreed.text
    assert gateway.get(plan, headers=staff).json()["agreement"] == "Agreed"

    signed = gateway.post(f"{plan}/agreement/signed-copy", files={"file": ("plan.pdf", b"%PDF-1.7", "application/pdf")}, headers=staff)
    assert signed.status_code == 201, signed.text
    assert gateway.get(plan, headers=staff).json()["agreement"] == "Signed copy uploaded"
