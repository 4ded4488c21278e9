"""Assessments: the results each kind needs (domain), the routes, what they announce and who reads them (API)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from isets_contracts.events import CredentialEarned
from isets_contracts.reference import AssessmentType, CredentialType, Role
from isets_kit.errors import Conflict, RuleViolation
from isets_kit.testing import auth_headers, outbox_events
from casemgmt.domain.assessments import AssessmentResult, CareerPath, TabeSubject, revise_summary
from services.casemgmt.tests.api_fixtures import STATEWIDE, apply_event, enrol, make_client, register

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TAKEN = date(2026, 11, 18)
LOC_A = auth_headers(Role.PROVIDER_PARTNER, "LOC-A", user="provider.a")
CUSTOMER = auth_headers(Role.CUSTOMER, customer_id="c-1")


def record(assessment: AssessmentType, taken_on: date = TAKEN, **results) -> AssessmentResult:
    return AssessmentResult.record("as-1", "c-1", assessment, taken_on, "provider.a", NOW, **results)


def refused_field(assessment: AssessmentType, **results) -> str:
    with pytest.raises(RuleViolation) as refused:
        record(assessment, **results)
    return refused.value.field


# --- domain ------------------------------------------------------------------------------------------
def test_tabe_needs_subject_scale_score_and_functioning_level_1_to_6():
    tabe = record(AssessmentType.TABE, subject=TabeSubject.MATH, score=Decimal("512"), educational_functioning_level=4)
    assert tabe.name == "TABE 11/12 Math"
    assert refused_field(AssessmentType.TABE, score=Decimal("512"), educational_functioning_level=4) == "subject"
    assert refused_field(AssessmentType.TABE, subject=TabeSubject.MATH, educational_functioning_level=4) == "score"
    assert refused_field(AssessmentType.TABE, subject=TabeSubject.MATH, score=Decimal("512")) == "educational_functioning_level"
    for level in (0, 7):
        assert refused_field(
            AssessmentType.TABE, subject=TabeSubject.MATH, score=Decimal("512"), educational_functioning_level=level
        ) == "educational_functioning_level"


def test_employment_101_is_a_percent_from_0_to_100():
    assert record(AssessmentType.EMPLOYMENT_101_PRE, score=Decimal("84.00")).score == Decimal("84.00")
    assert refused_field(AssessmentType.EMPLOYMENT_101_POST, score=Decimal("100.01")) == "score"
    assert refused_field(AssessmentType.EMPLOYMENT_101_POST, score=Decimal("-1")) == "score"
    assert refused_field(AssessmentType.EMPLOYMENT_101_POST, score=Decimal("80.001")) == "score"


def test_each_assessment_takes_only_its_own_results():
    assert refused_field(AssessmentType.NOCTI, score=Decimal("70"), educational_functioning_level=2) == "educational_functioning_level"
    assert refused_field(AssessmentType.INITIAL_UNIVERSAL, score=Decimal("70")) == "score"
    assert refused_field(AssessmentType.CAREER_CLUSTER_INVENTORY) == "result"
    assert refused_field(AssessmentType.CAREER_CLUSTER_INVENTORY, result="Health Science", name="mine") == "name"


def test_an_other_assessment_is_added_by_hand_with_its_name():
    assert refused_field(AssessmentType.OTHER, score=Decimal("12")) == "name"
    assert record(AssessmentType.OTHER, name="WorkKeys Applied Math", score=Decimal("5")).name == "WorkKeys Applied Math"


def test_an_assessment_cannot_be_taken_in_the_future():
    assert refused_field(AssessmentType.NEEDS, taken_on=date(2026, 11, 21)) == "taken_on"


def test_the_summary_is_revised_with_every_version_kept_and_a_stale_version_refused():
    texts = {"readiness": "Ready", "employment": "Wants warehouse work", "support_services": "Bus pass"}
    first = revise_summary(None, "c-1", texts, 0, "provider.a", NOW)
    assert first.number == 1
    assert revise_summary(first, "c-1", texts, 1, "provider.a", NOW) is None
    second = revise_summary(first, "c-1", texts | {"readiness": "Ready now"}, 1, "provider.b", NOW)
    assert (second.number, second.written_by, first.readiness) == (2, "provider.b", "Ready")
    with pytest.raises(Conflict):
        revise_summary(second, "c-1", texts, 1, "provider.a", NOW)


def test_the_wage_goal_is_dollars_per_hour_0_or_more_in_cents():
    path = CareerPath(customer_id="c-1", updated_by="provider.a", updated_at=NOW)
    path.change("STEM", "Civil Engineering Technicians", None, Decimal("21.00"), "provider.a", NOW)
    assert path.wage_goal == Decimal("21.00")
    for bad in (Decimal("-0.01"), Decimal("21.005")):
        with pytest.raises(RuleViolation):
            path.change("STEM", None, None, bad, "provider.a", NOW)


# --- API -----------------------------------------------------------------------------------------------
@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        enrol(client, "c-1", "LOC-A")
        yield client


def post(client, headers=LOC_A, **body):
    return client.post("/plans/c-1/assessments", json={"taken_on": "2026-11-18"} | body, headers=headers)


def test_every_assessment_result_is_announced_as_assessment_recorded(client):
    tabe = post(client, assessment="TABE 11/12", subject="Reading", score="563", educational_functioning_level=4)
    assert tabe.status_code == 201, tabe.text
    assert post(client, assessment="Initial universal assessment").status_code == 201
    announced = [e["data"] for e in outbox_events(client, "casemgmt.assessment.recorded")]
    assert [(e["assessment"], e["name"], e["subject"], e["educational_functioning_level"]) for e in announced] == [
        ("TABE 11/12", "TABE 11/12 Reading", "Reading", 4),
        ("Initial universal assessment", "Initial universal assessment", None, None),
    ]
    assert announced[0]["assessment_id"] == tabe.json()["id"] and Decimal(announced[0]["score"]) == Decimal("563")
    assert [e["subject"] for e in outbox_events(client, "casemgmt.assessment.recorded")] == ["c-1", "c-1"]


def test_a_refused_result_is_neither_kept_nor_announced(client):
    bad = post(client, assessment="TABE 11/12", subject="Reading", score="563", educational_functioning_level=9)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "educational_functioning_level"
    assert outbox_events(client, "casemgmt.assessment.recorded") == []
    assert client.get("/plans/c-1/assessments", headers=LOC_A).json() == []


def test_assessment_results_list_newest_taken_first(client):
    post(client, assessment="Employment 101 pre-test", score="84.00", taken_on="2026-10-01")
    post(client, assessment="Employment 101 post-test", score="80", taken_on="2026-11-15")
    post(client, assessment="Career Cluster Inventory", result="Health Science", taken_on="2026-10-20")
    listed = client.get("/plans/c-1/assessments", headers=LOC_A).json()
    assert [(r["assessment"], r["score"], r["result"]) for r in listed] == [
        ("Employment 101 post-test", "80.00", None),
        ("Career Cluster Inventory", None, "Health Science"),
        ("Employment 101 pre-test", "84.00", None),
    ]


def test_the_assessment_summary_keeps_every_change(client):
    assert client.get("/plans/c-1/assessment-summary", headers=LOC_A).json()["version"] == 0
    texts = {"readiness": "Ready to start", "employment": "Warehouse work", "support_services": "Needs a bus pass"}
    first = client.put("/plans/c-1/assessment-summary", json=texts | {"version": 0}, headers=LOC_A)
    assert first.status_code == 200, first.text
    second = client.put("/plans/c-1/assessment-summary", json=texts | {"readiness": "Started", "version": 1}, headers=STATEWIDE).json()
    assert (second["version"], second["readiness"]) == (2, "Started")
    assert [(v["number"], v["readiness"], v["written_by"]) for v in second["history"]] == [
        (2, "Started", "statewide-user"), (1, "Ready to start", "provider.a"),
    ]
    stale = client.put("/plans/c-1/assessment-summary", json=texts | {"version": 1}, headers=LOC_A)
    assert stale.status_code == 409


def test_the_career_path_is_set_and_read(client):
    assert client.get("/plans/c-1/career-path", headers=LOC_A).json()["wage_goal"] is None
    body = {"pathway": "Science, Technology, Engineering, and Mathematics", "occupation_1": "Civil Engineering Technicians",
            "occupation_2": "Surveying Technicians", "wage_goal": "21.00"}
    answer = client.put("/plans/c-1/career-path", json=body, headers=LOC_A)
    assert answer.status_code == 200, answer.text
    assert answer.json() | {"updated_at": None} == body | {"updated_by": "provider.a", "updated_at": None}
    for bad in ("-1", "21.005", "lots"):
        refused = client.put("/plans/c-1/career-path", json=body | {"wage_goal": bad}, headers=LOC_A)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "wage_goal"


def test_credentials_count_comes_from_outcomes_credential_earned_once_each(client):
    earned = CredentialEarned(
        customer_id="c-1", credential_id="cr-1", title="Forklift Operator Certificate",
        credential_type=CredentialType.OCCUPATIONAL_CERTIFICATE, date_earned=date(2026, 11, 10),
    )
    apply_event(client, earned, "c-1")
    apply_event(client, earned, "c-1")
    apply_event(client, earned.model_copy(update={"credential_id": "cr-2", "title": "CDL Class A"}), "c-1")
    shown = client.get("/plans/c-1/credentials", headers=LOC_A).json()
    assert shown["count"] == 2 and {c["title"] for c in shown["credentials"]} == {"Forklift Operator Certificate", "CDL Class A"}


def test_a_customer_reads_their_own_assessments_and_career_path_but_changes_nothing(client):
    post(client, assessment="NOCTI", score="71")
    assert len(client.get("/plans/c-1/assessments", headers=CUSTOMER).json()) == 1
    for route in ("career-path", "assessment-summary", "credentials"):
        assert client.get(f"/plans/c-1/{route}", headers=CUSTOMER).status_code == 200
    assert post(client, headers=CUSTOMER, assessment="NOCTI", score="71").status_code == 403
    assert client.put("/plans/c-1/career-path", json={"pathway": "Mine"}, headers=CUSTOMER).status_code == 403
    assert client.get("/plans/c-1/assessments", headers=auth_headers(Role.CUSTOMER, customer_id="c-2")).status_code == 404


def test_assessments_of_a_customer_at_another_location_answer_404(client):
    loc_b = auth_headers(Role.PROVIDER_PARTNER, "LOC-B")
    for route in ("assessments", "career-path", "assessment-summary", "credentials"):
        assert client.get(f"/plans/c-1/{route}", headers=loc_b).status_code == 404
    assert post(client, headers=loc_b, assessment="Needs assessment").status_code == 404
    assert client.put("/plans/c-1/career-path", json={"pathway": "x"}, headers=loc_b).status_code == 404
    summary = {"readiness": "", "employment": "", "support_services": "", "version": 0}
    assert client.put("/plans/c-1/assessment-summary", json=summary, headers=loc_b).status_code == 404
