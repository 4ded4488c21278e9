"""Employers, worksites and jobs through casemgmt's API: registration, lists, validation and roles."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from isets_contracts.reference import Role
from isets_kit.errors import RuleViolation
from casemgmt.domain.employers import Job
from isets_kit.testing import auth_headers
from services.casemgmt.tests.api_fixtures import STATEWIDE, make_client

PROVIDER_A = auth_headers(Role.PROVIDER_PARTNER, "LOC-A")
EMPLOYER = {"name": "Young Drycleaners", "fein": "12-3456789", "contact_name": "Pat Young", "contact_phone": "(217) 555-0100", "contact_email": "pat@young.example"}
WORKSITE = {"name": "Young Drycleaners Main St", "street": "1 Main St", "city": "Springfield", "zip_code": "62701", "county": "Sangamon"}
JOB = {"title": "Laundry and Dry-Cleaning Workers", "openings": 8, "hourly_wage": "15.50"}


def register(client, headers=STATEWIDE, employer=None, worksite=None, job=None) -> tuple[int, int, int]:
    employer_id = client.post("/employers", json=employer or EMPLOYER, headers=headers).json()["id"]
    worksite_id = client.post(f"/employers/{employer_id}/worksites", json=worksite or WORKSITE, headers=headers).json()["id"]
    job_id = client.post(f"/worksites/{worksite_id}/jobs", json=job or JOB, headers=headers).json()["id"]
    return employer_id, worksite_id, job_id


def test_staff_register_an_employer_its_worksite_and_a_job_with_no_openings_filled_yet(tmp_path):
    with make_client(tmp_path) as client:
        answer = client.post("/employers", json=EMPLOYER, headers=PROVIDER_A)
        assert answer.status_code == 201, answer.text
        employer = answer.json()
        assert employer["fein"] == "12-3456789" and employer["registered_by"]
        worksite = client.post(f"/employers/{employer['id']}/worksites", json=WORKSITE, headers=PROVIDER_A)
        assert worksite.status_code == 201 and worksite.json()["state"] == "IL"
        job = client.post(f"/worksites/{worksite.json()['id']}/jobs", json=JOB, headers=PROVIDER_A)
        assert job.status_code == 201, job.text
        assert {k: job.json()[k] for k in ("employer_name", "worksite_name", "county", "title", "openings", "openings_filled", "hourly_wage")} == {
            "employer_name": "Young Drycleaners", "worksite_name": "Young Drycleaners Main St", "county": "Sangamon",
            "title": "Laundry and Dry-Cleaning Workers", "openings": 8, "openings_filled": 0, "hourly_wage": "15.50",
        }
        shown = client.get(f"/employers/{employer['id']}", headers=STATEWIDE).json()
        assert [w["name"] for w in shown["worksites"]] == ["Young Drycleaners Main St"]
        assert client.get(f"/employers/{employer['id']}/worksites", headers=STATEWIDE).json() == shown["worksites"]
        assert [j["id"] for j in client.get(f"/worksites/{worksite.json()['id']}/jobs", headers=STATEWIDE).json()] == [job.json()["id"]]


def test_the_job_list_filters_by_employer_worksite_county_and_title(tmp_path):
    with make_client(tmp_path) as client:
        young, young_site, laundry = register(client)
        _, eagles_site, grounds = register(
            client,
            employer={"name": "Eagles Range", "contact_name": "Sam Eagle"},
            worksite=WORKSITE | {"name": "Eagles Range", "county": "Cook"},
            job={"title": "Grounds Maintenance Workers", "openings": 6},
        )

        def ids(**query):
            answer = client.get("/jobs", params=query, headers=STATEWIDE)
            assert answer.status_code == 200, answer.text
            return [j["id"] for j in answer.json()["items"]]

        assert ids() == [grounds, laundry]  # by employer name
        assert ids(employer_id=young) == [laundry]
        assert ids(worksite_id=eagles_site) == [grounds]
        assert ids(county="cook") == [grounds]
        assert ids(title="laundry") == [laundry]
        assert ids(title="100%") == []
        assert client.get("/jobs", params={"page_size": 1}, headers=STATEWIDE).json()["total"] == 2
        names = client.get("/employers", params={"name": "eag"}, headers=STATEWIDE).json()
        assert [e["name"] for e in names["items"]] == ["Eagles Range"] and names["total"] == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/employers", EMPLOYER | {"fein": "123456789"}, "fein"),
        ("/employers", EMPLOYER | {"name": "  "}, "name"),
        ("/employers", EMPLOYER | {"contact_email": "not-an-address"}, "contact_email"),
        ("/employers", {k: v for k, v in EMPLOYER.items() if k != "contact_name"}, "contact_name"),
        ("/employers", EMPLOYER | {"ssn": "123"}, "ssn"),
        ("/employers/{employer}/worksites", WORKSITE | {"zip_code": "6270"}, "zip_code"),
        ("/employers/{employer}/worksites", WORKSITE | {"state": "Illinois"}, "state"),
        ("/employers/{employer}/worksites", WORKSITE | {"county": "Cook\x00"}, "county"),
        ("/worksites/{worksite}/jobs", JOB | {"openings": 0}, "openings"),
        ("/worksites/{worksite}/jobs", JOB | {"hourly_wage": "0"}, "hourly_wage"),
        ("/worksites/{worksite}/jobs", JOB | {"hourly_wage": "15.555"}, "hourly_wage"),
    ],
)
def test_bad_input_answers_422_naming_the_field(tmp_path, path, body, field):
    with make_client(tmp_path) as client:
        employer_id, worksite_id, _ = register(client)
        answer = client.post(path.format(employer=employer_id, worksite=worksite_id), json=body, headers=STATEWIDE)
        assert answer.status_code == 422
        assert [problem["field"] for problem in answer.json()["detail"]] == [field]


def test_a_job_has_at_least_one_opening_and_a_wage_above_0():
    at = datetime(2026, 11, 25, tzinfo=UTC)
    with pytest.raises(RuleViolation) as refused:
        Job(worksite_id=1, title="Cook", openings=0, registered_at=at, registered_by="statewide")
    assert refused.value.field == "openings"
    with pytest.raises(RuleViolation) as refused:
        Job(worksite_id=1, title="Cook", openings=1, registered_at=at, registered_by="statewide", hourly_wage=Decimal("0"))
    assert refused.value.field == "hourly_wage"


def test_a_fein_registered_twice_is_refused_with_409(tmp_path):
    with make_client(tmp_path) as client:
        assert client.post("/employers", json=EMPLOYER, headers=STATEWIDE).status_code == 201
        again = client.post("/employers", json=EMPLOYER | {"name": "Young Drycleaners II"}, headers=STATEWIDE)
        assert again.status_code == 409 and again.json()["detail"][0]["field"] == "fein"
        no_fein = {k: v for k, v in EMPLOYER.items() if k != "fein"}
        assert client.post("/employers", json=no_fein, headers=STATEWIDE).status_code == 201
        assert client.post("/employers", json=no_fein, headers=STATEWIDE).status_code == 201


def test_an_unknown_employer_worksite_or_job_answers_404(tmp_path):
    with make_client(tmp_path) as client:
        assert client.get("/employers/99", headers=STATEWIDE).status_code == 404
        assert client.get("/employers/99/worksites", headers=STATEWIDE).status_code == 404
        assert client.post("/employers/99/worksites", json=WORKSITE, headers=STATEWIDE).status_code == 404
        assert client.get("/worksites/99/jobs", headers=STATEWIDE).status_code == 404
        assert client.post("/worksites/99/jobs", json=JOB, headers=STATEWIDE).status_code == 404
        assert client.get("/jobs/99", headers=STATEWIDE).status_code == 404


@pytest.mark.parametrize("role", [Role.STATEWIDE, Role.PROGRAM_MANAGER, Role.INTERMEDIARY, Role.PROVIDER_PARTNER, Role.PROVIDER_MANAGER])
def test_statewide_and_location_scoped_staff_register_and_read(tmp_path, role):
    headers = auth_headers(role, "LOC-B") if role is not Role.STATEWIDE else STATEWIDE
    with make_client(tmp_path) as client:
        employer_id, worksite_id, job_id = register(client, headers)
        assert client.get(f"/jobs/{job_id}", headers=headers).status_code == 200
        assert client.get("/employers", headers=headers).json()["total"] == 1


def test_idhs_admins_read_but_do_not_register(tmp_path):
    admin = auth_headers(Role.IDHS_ADMIN)
    with make_client(tmp_path) as client:
        employer_id, worksite_id, _ = register(client)
        assert client.get("/jobs", headers=admin).status_code == 200
        assert client.post("/employers", json=EMPLOYER | {"fein": None}, headers=admin).status_code == 403
        assert client.post(f"/worksites/{worksite_id}/jobs", json=JOB, headers=admin).status_code == 403


def test_customers_are_refused_with_403(tmp_path):
    customer = auth_headers(Role.CUSTOMER, customer_id="c-1")
    with make_client(tmp_path) as client:
        employer_id, worksite_id, job_id = register(client)
        for path in ("/employers", f"/employers/{employer_id}", f"/employers/{employer_id}/worksites", f"/worksites/{worksite_id}/jobs", "/jobs", f"/jobs/{job_id}"):
            assert client.get(path, headers=customer).status_code == 403, path
        assert client.post("/employers", json=EMPLOYER | {"fein": None}, headers=customer).status_code == 403
        assert client.post(f"/employers/{employer_id}/worksites", json=WORKSITE, headers=customer).status_code == 403
        assert client.post(f"/worksites/{worksite_id}/jobs", json=JOB, headers=customer).status_code == 403
