"""casemgmt's AssessmentRecorded sets the profile's assessment dates (the initial one moves the E&T status)."""

from datetime import date

import pytest

from isets_contracts.events import AssessmentRecorded
from isets_contracts.reference import AssessmentType
from services.intake.tests.api_fixtures import STATEWIDE, apply_event, make_client, register


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as client:
        yield client


def recorded(customer_id: str, assessment: AssessmentType, on: date, assessment_id: str = "as-1") -> AssessmentRecorded:
    return AssessmentRecorded(customer_id=customer_id, assessment_id=assessment_id, assessment=assessment, name=assessment.value, taken_on=on)


def profile(client, cid: str) -> dict:
    return client.get(f"/customers/{cid}", headers=STATEWIDE).json()


def test_initial_universal_assessment_recorded_makes_initial_assessment_complete(client):
    cid = register(client, "200000101")
    apply_event(client, recorded(cid, AssessmentType.INITIAL_UNIVERSAL, date(2026, 11, 3)), cid)
    shown = profile(client, cid)
    assert shown["initial_assessment_date"] == "2026-11-03"
    assert shown["et_status"] == "Initial Assessment Complete"
    assert shown["status_history"][-1]["cause"] == "initial universal assessment completed"


def test_needs_assessment_recorded_sets_the_needs_assessment_date_only(client):
    cid = register(client, "200000102")
    apply_event(client, recorded(cid, AssessmentType.NEEDS, date(2026, 11, 4)), cid)
    shown = profile(client, cid)
    assert shown["needs_assessment_date"] == "2026-11-04"
    assert shown["initial_assessment_date"] is None and shown["et_status"] == "IES Matched"


def test_an_older_assessment_never_overwrites_a_newer_date(client):
    cid = register(client, "200000103")
    apply_event(client, recorded(cid, AssessmentType.INITIAL_UNIVERSAL, date(2026, 11, 3), "as-1"), cid)
    apply_event(client, recorded(cid, AssessmentType.NEEDS, date(2026, 11, 5), "as-2"), cid)
    apply_event(client, recorded(cid, AssessmentType.INITIAL_UNIVERSAL, date(2026, 10, 1), "as-3"), cid)
    apply_event(client, recorded(cid, AssessmentType.NEEDS, date(2026, 9, 1), "as-4"), cid)
    shown = profile(client, cid)
    assert (shown["initial_assessment_date"], shown["needs_assessment_date"]) == ("2026-11-03", "2026-11-05")
    apply_event(client, recorded(cid, AssessmentType.INITIAL_UNIVERSAL, date(2026, 11, 10), "as-5"), cid)
    assert profile(client, cid)["initial_assessment_date"] == "2026-11-10"


def test_other_assessments_leave_the_profile_alone(client):
    cid = register(client, "200000104")
    version = profile(client, cid)["version"]
    tabe = recorded(cid, AssessmentType.TABE, date(2026, 11, 3)).model_copy(update={"educational_functioning_level": 3})
    apply_event(client, tabe, cid)
    shown = profile(client, cid)
    assert shown["version"] == version and shown["initial_assessment_date"] is None
