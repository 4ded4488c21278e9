"""intake's HTTP API in process (SQLite, no broker): referrals, profile edits, status section, list, bad input."""

from datetime import date
from decimal import Decimal

import pytest

from isets_kit.testing import auth_headers, outbox_events, principal
from services.intake.tests.api_fixtures import STATEWIDE, apply_event, make_client, refer_and_accept, register, send_referral
from services.intake.tests.factories import activity, exit_from
from isets_contracts.events import CredentialEarned, EmploymentRecorded, EmploymentVerified
from isets_contracts.reference import ActivityStatus, CredentialType, Role


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        yield test_client


def test_referral_parent_and_child_records_are_numbered_and_superseded_children_are_historical(client):
    cid = register(client, "200000001")
    sent = send_referral(client, cid, "LOC-A").json()
    assert sent["number"] == 1 and [r["record_number"] for r in sent["records"]] == ["1.1"]
    rejected = client.post(
        f"/customers/{cid}/referrals/1/reject", json={"version": sent["version"], "reason": "no capacity"},
        headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A"),
    ).json()
    resent = client.post(f"/customers/{cid}/referrals/1/resend", json={"version": rejected["version"]}, headers=STATEWIDE).json()
    assert [(r["record_number"], r["action"], r["historical_reference"]) for r in resent["records"]] == [
        ("1.1", "Sent", True), ("1.2", "Rejected", True), ("1.3", "Resent", False)
    ]
    assert resent["response"] == "Pending" and rejected["records"][-1]["reason"] == "no capacity"
    second = send_referral(client, cid, "LOC-B", program="Earnfare").json()
    assert second["number"] == 2 and second["records"][0]["record_number"] == "2.1"


def test_accepting_a_referral_assigns_the_location_sets_enrollment_date_and_program(client):
    cid = register(client, "200000002")
    accepted = refer_and_accept(client, cid, "LOC-A")
    assert accepted["response"] == "Accepted" and accepted["responded_by"] == "provider_partner-user"
    assert accepted["response_date"] == date.today().isoformat() and accepted["snap_et_eligible"] is True
    profile = client.get(f"/customers/{cid}", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A")).json()
    assert profile["et_providers"] == ["LOC-A"] and profile["program_enrollment"] == ["SNAP JP"]
    assert profile["enrollment_date"] == date.today().isoformat()
    assert profile["et_status"] == "Pending Activity Start Date"
    types = [e["type"] for e in outbox_events(client)]
    assert "intake.referral.accepted" in types and "intake.customer.enrolled" in types


def test_customer_may_be_enrolled_with_two_providers_and_enrollment_date_is_the_first_acceptance(client):
    cid = register(client, "200000003")
    refer_and_accept(client, cid, "LOC-A")
    refer_and_accept(client, cid, "LOC-B", program="Earnfare")
    profile = client.get(f"/customers/{cid}", headers=STATEWIDE).json()
    assert profile["et_providers"] == ["LOC-A", "LOC-B"]
    assert profile["program_enrollment"] == ["Earnfare", "SNAP JP"]
    assert [e["enrolled_on"] for e in profile["enrollments"]] == [profile["enrollment_date"]] * 2


def test_profile_lists_providers_with_a_pending_referral(client):
    cid = register(client, "200000004")
    send_referral(client, cid, "LOC-B")
    assert client.get(f"/customers/{cid}", headers=STATEWIDE).json()["providers_with_pending_referral"] == ["LOC-B"]


def test_second_staff_answering_the_same_referral_with_a_stale_version_is_told_409(client):
    cid = register(client, "200000005")
    sent = send_referral(client, cid, "LOC-A").json()
    staff = auth_headers(Role.PROVIDER_PARTNER, "LOC-A")
    first = client.post(f"/customers/{cid}/referrals/1/accept", json={"version": sent["version"], "snap_et_eligible": True}, headers=staff)
    second = client.post(f"/customers/{cid}/referrals/1/reject", json={"version": sent["version"], "reason": "full"}, headers=staff)
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["detail"][0]["field"] == "version"
    assert client.get(f"/customers/{cid}/referrals", headers=STATEWIDE).json()[0]["response"] == "Accepted"


def test_only_staff_of_the_receiving_location_answer_a_referral(client):
    cid = register(client, "200000006")
    sent = send_referral(client, cid, "LOC-A").json()
    response = client.post(
        f"/customers/{cid}/referrals/1/accept", json={"version": sent["version"], "snap_et_eligible": True},
        headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-B"),
    )
    assert response.status_code == 404  # LOC-B cannot even see the customer


def test_rejecting_a_referral_needs_a_reason(client):
    cid = register(client, "200000007")
    sent = send_referral(client, cid, "LOC-A").json()
    response = client.post(f"/customers/{cid}/referrals/1/reject", json={"version": sent["version"], "reason": "  "}, headers=STATEWIDE)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "reason"


def test_referral_form_prints_the_record_as_it_was_at_that_point(client):
    cid = register(client, "200000008")
    refer_and_accept(client, cid, "LOC-A")
    first = client.get(f"/customers/{cid}/referrals/1/records/1/form", headers=STATEWIDE)
    latest = client.get(f"/customers/{cid}/referrals/1/records/2/form", headers=STATEWIDE)
    assert "Referral 1.1" in first.text and "<td>Pending</td>" in first.text and "Accepted" not in first.text
    assert "Referral 1.2" in latest.text and "<td>Accepted</td>" in latest.text
    assert f"<td>{date.today():%m/%d/%Y}</td>" in latest.text  # dates as caseworkers read them
    pdf = client.get(f"/customers/{cid}/referrals/1/records/2/form", params={"format": "pdf"}, headers=STATEWIDE)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_ies_fields_are_read_only_to_staff(client):
    cid = register(client, "200000009")
    response = client.patch(f"/customers/{cid}", json={"version": 1, "phone": "000"}, headers=STATEWIDE)
    assert response.status_code == 422
    # The typed edit has no IES field but the SNAP case number (its OpenAPI lists the read-only ones).
    assert response.json()["detail"] == [{"field": "phone", "rule": "is not a field of this request"}]


def test_snap_case_number_is_editable_and_warns_when_it_differs_from_ies(client):
    cid = register(client, "200000010")
    response = client.patch(f"/customers/{cid}", json={"version": 1, "snap_case_number": "SC-999"}, headers=STATEWIDE)
    assert response.status_code == 200
    body = response.json()
    assert body["snap_case_number"] == "SC-999" and body["ies_snap_case_number"] == "SC-1"
    assert body["warnings"] == ["SNAP case number SC-999 differs from IES (SC-1)"]


def test_profile_edit_with_a_stale_version_is_refused_and_changes_nothing(client):
    cid = register(client, "200000011")
    assert client.patch(f"/customers/{cid}", json={"version": 1, "worknet_username": "tjuan1997"}, headers=STATEWIDE).status_code == 200
    stale = client.patch(f"/customers/{cid}", json={"version": 1, "worknet_username": "other"}, headers=STATEWIDE)
    assert stale.status_code == 409
    assert client.get(f"/customers/{cid}", headers=STATEWIDE).json()["worknet_username"] == "tjuan1997"


def test_bad_date_is_refused_naming_the_field(client):
    cid = register(client, "200000012")
    response = client.patch(f"/customers/{cid}", json={"version": 1, "initial_assessment_date": "2026-02-30"}, headers=STATEWIDE)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "initial_assessment_date"


def test_needs_assessment_is_due_within_30_days_of_the_first_activity_start(client):
    cid = register(client, "200000013")
    refer_and_accept(client, cid, "LOC-A")
    started = activity(ActivityStatus.STARTED, on=date(2026, 9, 1)).model_copy(update={"customer_id": cid})
    apply_event(client, started, cid)
    profile = client.get(f"/customers/{cid}", headers=STATEWIDE).json()
    assert profile["et_status"] == "Active"
    assert profile["needs_assessment_due_by"] == "2026-10-01"
    assert profile["needs_assessment_update_due"] is True


def test_initial_assessment_must_be_redone_yearly(client):
    cid = register(client, "200000014")
    old = client.patch(f"/customers/{cid}", json={"version": 1, "initial_assessment_date": "2024-01-15"}, headers=STATEWIDE).json()
    assert old["initial_assessment_update_due"] is True and old["et_status"] == "Initial Assessment Complete"
    recent = client.patch(f"/customers/{cid}", json={"version": old["version"], "initial_assessment_date": date.today().isoformat()}, headers=STATEWIDE).json()
    assert recent["initial_assessment_update_due"] is False


def test_resource_team_contacts_are_added_and_removed(client):
    cid = register(client, "200000015")
    refer_and_accept(client, cid, "LOC-A")
    expected = "no Integrated Resource Team contact yet: at least one is expected"
    assert client.get(f"/customers/{cid}", headers=STATEWIDE).json()["warnings"] == [expected]
    added = client.post(f"/customers/{cid}/resource-team", json={"name": "Ana Ruiz", "email": "ana@dhs.example"}, headers=STATEWIDE)
    assert added.status_code == 201 and [c["email"] for c in added.json()["resource_team"]] == ["ana@dhs.example"]
    assert added.json()["warnings"] == []
    bad = client.post(f"/customers/{cid}/resource-team", json={"name": "X", "email": "not-an-email"}, headers=STATEWIDE)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "email"
    removed = client.delete(f"/customers/{cid}/resource-team/ana@dhs.example", headers=STATEWIDE)
    assert removed.json()["resource_team"] == [] and removed.json()["warnings"] == [expected]
    assert [e["data"]["contacts"] for e in outbox_events(client, "intake.resource_team.changed")] == [
        [{"name": "Ana Ruiz", "email": "ana@dhs.example"}], []
    ]


def test_earnfare_monthly_benefit_hours_are_benefit_over_minimum_wage_rounded_down(client):
    cid = register(client, "200000016")
    refer_and_accept(client, cid, "LOC-A", program="Earnfare")
    admin = auth_headers(Role.IDHS_ADMIN)
    first = client.post(f"/customers/{cid}/earnfare-benefit", json={"benefit_amount": "209.99", "effective_date": "2024-03-01"}, headers=admin)
    assert first.status_code == 201 and first.json()["monthly_benefit_hours"] == 14  # seed: 14 hours at $14.00/h
    later = client.post(f"/customers/{cid}/earnfare-benefit", json={"benefit_amount": "300.00", "effective_date": "2025-02-01"}, headers=admin).json()
    assert later["monthly_benefit_hours"] == 20 and later["earnfare_benefit_amount"] == "300.00"
    assert [(h["amount"], h["set_by"]) for h in later["benefit_history"]] == [("209.99", "idhs_admin-user"), ("300.00", "idhs_admin-user")]


def test_only_idhs_admins_set_the_earnfare_benefit(client):
    cid = register(client, "200000017")
    refer_and_accept(client, cid, "LOC-A", program="Earnfare")
    response = client.post(
        f"/customers/{cid}/earnfare-benefit", json={"benefit_amount": "196.00", "effective_date": "2024-03-01"},
        headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A"),
    )
    assert response.status_code == 403


def test_level_of_progress_is_set_by_staff(client):
    cid = register(client, "200000018")
    body = client.put(f"/customers/{cid}/level-of-progress", json={"level_of_progress": "Not Progressing"}, headers=STATEWIDE).json()
    assert body["level_of_progress"] == "Not Progressing"
    bad = client.put(f"/customers/{cid}/level-of-progress", json={"level_of_progress": "Great"}, headers=STATEWIDE)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "level_of_progress"


def test_customer_list_filters_by_provider_fiscal_year_status_and_fcrc(client):
    at_a = register(client, "200000019", last_name="Alpha")
    register(client, "200000020", last_name="Beta")
    refer_and_accept(client, at_a, "LOC-A")
    fy = date.today().year + (1 if date.today().month >= 7 else 0)

    def numbers(**params):
        return [c["individual_number"] for c in client.get("/customers", params=params, headers=STATEWIDE).json()["items"]]

    assert numbers(provider="LOC-A") == ["200000019"]
    assert numbers(include_fcrcs=False) == ["200000019"]
    assert numbers(fiscal_year=fy) == ["200000019"] and numbers(fiscal_year=fy - 3) == []
    assert numbers(et_status="IES Matched") == ["200000020"]
    assert numbers(name="beta") == ["200000020"]
    assert numbers(sort="individual_number", page_size=1, page=2) == ["200000020"]


def test_customer_list_sorts_both_ways(client):
    for number, last_name in (("200000051", "Aaberg"), ("200000052", "Zyskowski")):
        register(client, number, last_name=last_name)

    def numbers(**params):
        return [c["individual_number"] for c in client.get("/customers", params=params, headers=STATEWIDE).json()["items"]]

    assert numbers() == ["200000051", "200000052"]
    assert numbers(order="desc") == ["200000052", "200000051"]
    assert numbers(order="desc", page_size=1, page=2) == ["200000051"]
    assert client.get("/customers", params={"order": "down"}, headers=STATEWIDE).json()["detail"][0]["field"] == "order"


def test_customer_list_filters_by_program_and_snap_eligibility_within_scope(client):
    refer_and_accept(client, register(client, "200000053"), "LOC-A", program="Earnfare")
    refer_and_accept(client, register(client, "200000054"), "LOC-B")
    register(client, "200000055", snap_eligibility="No")

    def numbers(headers=STATEWIDE, **params):
        return [c["individual_number"] for c in client.get("/customers", params=params, headers=headers).json()["items"]]

    assert numbers(program="Earnfare") == ["200000053"]
    assert numbers(program="SNAP JP") == ["200000054"]
    assert numbers(program="SNAP JP", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A")) == []
    assert numbers(snap_eligibility="No") == ["200000055"]
    assert numbers(snap_eligibility="Yes", program="Earnfare") == ["200000053"]
    assert client.get("/customers", params={"program": "Bingo"}, headers=STATEWIDE).json()["detail"][0]["field"] == "program"
    csv_text = client.get("/customers/export.csv", params={"program": "Earnfare"}, headers=STATEWIDE).text
    assert [line.split(",")[0] for line in csv_text.strip().splitlines()[1:]] == ["200000053"]


def test_customer_list_exports_csv_within_scope(client):
    at_a = register(client, "200000021")
    register(client, "200000022")
    refer_and_accept(client, at_a, "LOC-A")
    csv_text = client.get("/customers/export.csv", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A")).text
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("individual_number,first_name,last_name")
    assert [line.split(",")[0] for line in lines[1:]] == ["200000021"]


@pytest.mark.parametrize("params,field", [({"page_size": 0}, "page_size"), ({"page": 10**27}, "page"), ({"fiscal_year": 99}, "fiscal_year")])
def test_bad_query_parameter_is_refused_naming_it(client, params, field):
    response = client.get("/customers", params=params, headers=STATEWIDE)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == field


def test_most_recent_fields_and_employment_verification_come_from_other_services_events(client):
    cid = register(client, "200000023")
    refer_and_accept(client, cid, "LOC-A")
    for code, activity_id in (("CW", "w-1"), ("VT", "t-1")):
        apply_event(client, activity(ActivityStatus.STARTED, activity_id, code).model_copy(update={"customer_id": cid}), cid)
    apply_event(client, EmploymentRecorded(customer_id=cid, employment_id="e1", employer_name="Acme", job_title="Clerk", start_date=date(2026, 11, 1), hours_per_week=Decimal("25")), cid)
    assert client.get(f"/customers/{cid}", headers=STATEWIDE).json()["employment_verification_status"] == "Not Verified"
    apply_event(client, EmploymentVerified(customer_id=cid, employment_id="e1", verified_on=date(2026, 11, 20)), cid)
    apply_event(client, CredentialEarned(customer_id=cid, credential_id="c1", title="CDL Class A", credential_type=CredentialType.OCCUPATIONAL_LICENSE, date_earned=date(2026, 11, 15)), cid)
    profile = client.get(f"/customers/{cid}", headers=STATEWIDE).json()
    assert profile["employment_verification_status"] == "Verified Employment"
    assert profile["most_recent_work_experience"] == "Community Workfare"
    assert profile["most_recent_training_program"] == "Vocational Training"
    assert profile["most_recent_permanent_placement"] == "Clerk at Acme"
    assert profile["most_recent_credential"] == "CDL Class A"


def test_exit_from_outcomes_is_kept_on_the_enrollment_with_its_completion_status(client):
    cid = register(client, "200000028")
    refer_and_accept(client, cid, "LOC-A")
    apply_event(client, exit_from("LOC-A").model_copy(update={"customer_id": cid}), cid)
    profile = client.get(f"/customers/{cid}", headers=STATEWIDE).json()
    assert profile["et_status"] == "Never Active"
    assert [(e["location"], e["exited_on"], e["completion_status"]) for e in profile["enrollments"]] == [
        ("LOC-A", "2026-11-24", "Exited - Successful Completion")
    ]


def test_event_for_an_unknown_customer_fails_so_the_consumer_retries_and_dead_letters_it(client):
    with pytest.raises(Exception, match="unknown customer"):
        apply_event(client, EmploymentVerified(customer_id="nobody", employment_id="e1", verified_on=date(2026, 11, 20)), "nobody")


def test_asyncapi_document_lists_what_intake_publishes_and_consumes(client):
    spec = client.get("/asyncapi.json").json()
    channels = spec["channels"]
    assert any(name.startswith("isets.intake.v1") for name in channels)
    assert any("isets.ies_sync.v1" in name for name in channels)
    schemas = " ".join(spec["components"]["schemas"])
    assert "ReferralAccepted" in schemas and "EtStatusChanged" in schemas


def test_events_caused_by_a_request_carry_the_caller_as_actor(client):
    cid = register(client, "200000024")
    client.put(f"/customers/{cid}/level-of-progress", json={"level_of_progress": "Not Progressing"}, headers=auth_headers(Role.STATEWIDE, user="jane.doe"))
    [event] = outbox_events(client, "intake.level_of_progress.changed")
    assert event["actor"] == {"user_id": "jane.doe", "role": "statewide"}


def test_csv_export_defuses_spreadsheet_formulas(client):
    register(client, "200000025", last_name="=HYPERLINK(1)")
    lines = client.get("/customers/export.csv", headers=STATEWIDE).text.splitlines()
    assert any(",'=HYPERLINK(1)," in line for line in lines)


def test_two_staff_answering_the_same_referral_at_the_same_moment_one_wins_the_other_is_told(client):
    import asyncio

    from intake import service_layer
    from isets_kit.errors import Conflict, NotFound

    cid = register(client, "200000026")
    sent = send_referral(client, cid, "LOC-A").json()
    runtime = client.app.state.runtime
    staff = [principal(Role.PROVIDER_PARTNER, "LOC-A", user=name) for name in ("ann", "bob")]

    async def both():
        return await asyncio.gather(
            service_layer.accept_referral(runtime.unit_of_work, staff[0], cid, 1, sent["version"], True),
            service_layer.reject_referral(runtime.unit_of_work, staff[1], cid, 1, sent["version"], "full"),
            return_exceptions=True,
        )

    outcomes = client.portal.call(both)
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    # Told the referral moved on: 409, or 404 when a rejection took the customer out of their scope.
    assert isinstance(losers[0], Conflict | NotFound)
    records = client.get(f"/customers/{cid}/referrals", headers=STATEWIDE).json()[0]["records"]
    assert [r["record_number"] for r in records] == ["1.1", "1.2"]


def test_request_id_becomes_the_correlation_id_of_the_events_it_causes(client):
    cid = register(client, "200000027")
    response = client.put(
        f"/customers/{cid}/level-of-progress", json={"level_of_progress": "Not Participating"},
        headers=STATEWIDE | {"X-Request-ID": "req-42"},
    )
    assert response.headers["X-Request-ID"] == "req-42"
    [event] = outbox_events(client, "intake.level_of_progress.changed")
    assert event["correlation_id"] == "req-42" and event["causation_id"] is None


def test_every_change_of_a_customer_reaches_the_outbox_numbered_and_following_its_cause(client):
    """No handler announces events by hand: the unit of work collects them from the customers it loaded."""
    customer_id = register(client, "900000001")
    assert send_referral(client, customer_id, "LOC-B").status_code == 201
    mine = [e for e in outbox_events(client) if e["subject"] == customer_id]
    assert [e["sequence"] for e in mine] == list(range(1, len(mine) + 1))
    by_type = {e["type"]: e for e in mine}
    assert by_type["intake.customer.registered"]["causation_id"] is not None  # follows the consumed IES event
    assert by_type["intake.referral.sent"]["causation_id"] is None  # a staff request's
