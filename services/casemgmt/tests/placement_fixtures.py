"""What the placement and due-item tests need: a customer enrolled where CW is offered, with a CW activity
started, and a registered job to place them at."""

from datetime import date

from fastapi.testclient import TestClient

from isets_contracts.reference import ActivityCode, Role
from isets_kit.testing import auth_headers
from services.casemgmt.tests.api_fixtures import STATEWIDE, enrol, register
from services.casemgmt.tests.plan_fixtures import offer

STAFF_A = auth_headers(Role.PROVIDER_PARTNER, "LOC-A")
STAFF_B = auth_headers(Role.PROVIDER_PARTNER, "LOC-B")
SEED_START = date(2022, 8, 8)


def job(client: TestClient, openings: int = 8, employer: str = "Young Drycleaners") -> int:
    employer_id = client.post("/employers", json={"name": employer, "contact_name": "Pat Young"}, headers=STATEWIDE).json()["id"]
    worksite = {"name": f"{employer} Main St", "street": "1 Main St", "city": "Springfield", "zip_code": "62701", "county": "Sangamon"}
    worksite_id = client.post(f"/employers/{employer_id}/worksites", json=worksite, headers=STATEWIDE).json()["id"]
    body = {"title": "Laundry and Dry-Cleaning Workers", "openings": openings}
    return client.post(f"/worksites/{worksite_id}/jobs", json=body, headers=STATEWIDE).json()["id"]


def started_activity(
    client: TestClient, customer_id: str = "c-1", location: str = "LOC-A", code: str = "CW",
    started_on: date = date(2022, 8, 1), planned_completion: date = date(2027, 12, 31), offered_already: bool = False,
) -> str:
    """The customer registered, enrolled at `location` (offering CW, TJ and JST: `offered_already` for the
    location's second customer) with a `code` activity Started/Open."""
    register(client, customer_id, individual_number=str(100_000_000 + sum(map(ord, customer_id))))
    enrol(client, customer_id, location)
    if not offered_already:
        offer(client, location, ActivityCode.COMMUNITY_WORKFARE, ActivityCode.TRANSITIONAL_JOB, ActivityCode.JOB_SEARCH_TRAINING)
    goal_id = client.get(f"/plans/{customer_id}/goals", headers=STATEWIDE).json()[0]["id"]
    body = {
        "activity_code": code, "goal_id": goal_id, "status": "Started/Open", "effective_date": started_on.isoformat(),
        "planned_start": started_on.isoformat(), "planned_completion": planned_completion.isoformat(),
    }
    answer = client.post(f"/plans/{customer_id}/activities", json=body, headers=STATEWIDE)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def place(
    client: TestClient, activity_id: str, job_id: int, start: date = SEED_START, planned_due: date = date(2022, 12, 31),
    status: str = "Started (Open)", customer_id: str = "c-1", headers=STAFF_A, **fields,
):
    body = {
        "job_id": job_id, "position_type": "Part-time", "start_date": start.isoformat(), "planned_due_date": planned_due.isoformat(),
        "hourly_wage": "15.50", "subsidised_wage": "9.00", "status": status,
    } | fields
    return client.post(f"/plans/{customer_id}/activities/{activity_id}/placements", json=body, headers=headers)
