"""casemgmt's employers, worksites and jobs through the gateway on the real stack (PostgreSQL)."""

import uuid

import pytest

from tests.helpers import login

pytestmark = pytest.mark.kafka


def test_staff_register_an_employer_worksite_and_job_through_the_gateway_and_other_staff_find_the_job(gateway, statewide):
    name = f"Route 39 Transportation {uuid.uuid4().hex[:8]}"
    employer = gateway.post("/api/employers", json={"name": name, "contact_name": "Lee Route"}, headers=statewide)
    assert employer.status_code == 201, employer.text
    employer_id = employer.json()["id"]
    worksite = gateway.post(
        f"/api/employers/{employer_id}/worksites",
        json={"name": "Depot", "street": "39 Route Rd", "city": "Peoria", "zip_code": "61602", "county": "Peoria"},
        headers=statewide,
    )
    assert worksite.status_code == 201, worksite.text
    job = gateway.post(f"/api/worksites/{worksite.json()['id']}/jobs", json={"title": "Logistics Managers", "openings": 9}, headers=statewide)
    assert job.status_code == 201, job.text

    provider = login(gateway, "provider.a")
    found = gateway.get("/api/jobs", params={"employer_id": employer_id}, headers=provider)
    assert found.status_code == 200, found.text
    assert [(j["employer_name"], j["worksite_name"], j["title"], j["openings"], j["openings_filled"]) for j in found.json()["items"]] == [
        (name, "Depot", "Logistics Managers", 9, 0)
    ]
    assert gateway.get(f"/api/employers/{employer_id}", headers=provider).json()["worksites"][0]["county"] == "Peoria"
    refused = gateway.post("/api/employers", json={"name": name, "contact_name": "Lee", "fein": "1"}, headers=provider)
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "fein"
