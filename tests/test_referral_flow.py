"""Intake end to end through the gateway on the real broker and PostgreSQL: IES extract → customer →
referral → accepted by the other location's staff → activity events → exit, with a history row per step."""

from datetime import date
from decimal import Decimal

import pytest

from tests.helpers import fresh_individual_numbers, login, provider_location, send_referral, wait_until
from isets_contracts import Envelope
from isets_contracts.events import (
    ActivityStatusChanged,
    CredentialEarned,
    CustomerExited,
    EmploymentRecorded,
    EmploymentVerified,
)
from isets_contracts.reference import (
    ActivityCode,
    ActivityKind,
    ActivityStatus,
    CredentialType,
    ExitCompletionStatus,
    ExitReason,
    Program,
)
from ies_sync.synthetic import person
from tests.kafka_tools import produce
from tests.test_ies_to_intake import profile_of

pytestmark = pytest.mark.kafka


def publish(bootstrap: str, payload, customer_id: str) -> None:
    envelope = Envelope.wrap(payload, source="test", subject=customer_id)
    produce(bootstrap, payload.topic, [(customer_id.encode(), envelope.model_dump_json().encode())])


def activity(customer_id: str, status: ActivityStatus) -> ActivityStatusChanged:
    return ActivityStatusChanged(
        customer_id=customer_id, activity_id="act-1", activity_code=ActivityCode.JOB_SEARCH_TRAINING, activity_name="Job Search Training",
        kind=ActivityKind.SNAP_ET, location="LOC-B", status=status, effective_date=date.today(),
        start_date=date.today(),
    )


def status_of(gateway, headers, customer_id: str) -> str:
    return gateway.get(f"/api/customers/{customer_id}", headers=headers).json()["et_status"]


def test_referral_flow_from_ies_extract_to_exit(gateway, statewide, infrastructure):
    number = fresh_individual_numbers(1)
    assert gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide).json()["decision"] == "new"
    customer = profile_of(gateway, statewide, str(number))
    cid = customer["id"]
    provider_b = login(gateway, "provider.b")
    assert gateway.get(f"/api/customers/{cid}", headers=provider_b).status_code == 404

    provider_location(gateway, statewide, "LOC-B")
    sent = send_referral(gateway, statewide, cid, "LOC-B", customer["dhs_office"], idempotency_keyed=True)
    assert sent.status_code == 201, sent.text
    assert status_of(gateway, statewide, cid) == "Pending Referral Approval"

    accepted = gateway.post(
        f"/api/customers/{cid}/referrals/1/accept",
        json={"version": sent.json()["version"], "snap_et_eligible": True},
        headers=provider_b,
    )
    assert accepted.status_code == 200, accepted.text
    assert [r["historical_reference"] for r in accepted.json()["records"]] == [True, False]
    assert status_of(gateway, provider_b, cid) == "Pending Activity Start Date"

    publish(infrastructure, activity(cid, ActivityStatus.STARTED), cid)
    wait_until(lambda: status_of(gateway, provider_b, cid) == "Active", message="Active")
    publish(infrastructure, activity(cid, ActivityStatus.SUCCESSFUL), cid)
    wait_until(lambda: status_of(gateway, provider_b, cid) == "Inactive", message="Inactive")
    publish(
        infrastructure,
        CredentialEarned(
            customer_id=cid, credential_id="cr-1", title="Forklift Operator Certificate",
            credential_type=CredentialType.OCCUPATIONAL_CERTIFICATE, date_earned=date.today(),
        ),
        cid,
    )
    publish(
        infrastructure,
        EmploymentRecorded(
            customer_id=cid, employment_id="em-1", employer_name="Acme Logistics", job_title="Warehouse Associate",
            start_date=date.today(), hours_per_week=Decimal("32"),
        ),
        cid,
    )
    publish(infrastructure, EmploymentVerified(customer_id=cid, employment_id="em-1", verified_on=date.today()), cid)

    def derived_fields():
        profile = gateway.get(f"/api/customers/{cid}", headers=provider_b).json()
        return profile if profile["employment_verification_status"] == "Verified Employment" else None

    profile = wait_until(derived_fields, message="employment verified on the profile")
    assert profile["most_recent_credential"] == "Forklift Operator Certificate"
    assert profile["most_recent_permanent_placement"] == "Warehouse Associate at Acme Logistics"
    assert profile["most_recent_training_program"] == "Job Search Training"
    publish(
        infrastructure,
        CustomerExited(
            customer_id=cid, location="LOC-B", program=Program.SNAP_JP, completion_status=ExitCompletionStatus.SUCCESSFUL,
            outcome_reason=ExitReason.COMPLETED_REQUIREMENTS, program_completion_date=date.today(),
        ),
        cid,
    )
    wait_until(lambda: status_of(gateway, statewide, cid) == "Exited", message="Exited")

    history = gateway.get(f"/api/customers/{cid}", headers=statewide).json()["status_history"]
    assert [(h["status"], h["cause"]) for h in history] == [
        ("IES Matched", "IES record matched by individual number"),
        ("Pending Referral Approval", "referral sent"),
        ("Pending Activity Start Date", "referral accepted"),
        ("Active", "activity JST Started/Open"),
        ("Inactive", "activity JST Successful Completion"),
        ("Exited", "exited by LOC-B: Exited - Successful Completion"),
    ]
    assert [h["actor"] for h in history[1:3]] == ["statewide", "provider.b"]
    # assigned only until that provider exits them
    assert gateway.get(f"/api/customers/{cid}", headers=provider_b).status_code == 404
