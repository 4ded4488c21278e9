"""What the attendance and month-sheet tests need: customers enrolled at LOC-A with a Started/Open activity
spanning August to October 2026, and a week's days written as (day, check-in, check-out)."""

from fastapi.testclient import TestClient

from isets_contracts.reference import ActivityCode, Role
from isets_kit.testing import auth_headers
from services.casemgmt.tests.api_fixtures import enrol, register
from services.casemgmt.tests.plan_fixtures import offer

STAFF_A = auth_headers(Role.PROVIDER_PARTNER, "LOC-A")
STAFF_B = auth_headers(Role.PROVIDER_PARTNER, "LOC-B")
START, PLANNED_END = "2026-08-01", "2026-10-31"


def customer_headers(customer_id: str) -> dict[str, str]:
    return auth_headers(Role.CUSTOMER, customer_id=customer_id)


def on_activity(client: TestClient, customer_id: str, code: str = "CW", first: bool = True, **fields) -> str:
    """The id of a Started/Open `code` activity of a customer enrolled at LOC-A (registered and enrolled on `first`)."""
    if first:
        register(client, customer_id, individual_number=str(100000000 + sum(map(ord, customer_id))))
        enrol(client, customer_id, "LOC-A")
    goal_id = client.get(f"/plans/{customer_id}/goals", headers=STAFF_A).json()[0]["id"]
    added = client.post(
        f"/plans/{customer_id}/activities",
        json={"activity_code": code, "goal_id": goal_id, "status": "Started/Open", "planned_start": START, "planned_completion": PLANNED_END}
        | fields,
        headers=STAFF_A,
    )
    assert added.status_code == 201, added.text
    return added.json()["id"]


def offer_earnfare_and_jst(client: TestClient) -> None:
    offer(client, "LOC-A", ActivityCode.COMMUNITY_WORKFARE, ActivityCode.TRANSITIONAL_JOB, ActivityCode.JOB_SEARCH_TRAINING)


def days(*entries: tuple) -> list[dict]:
    """(day, in, out) or (day, in, lunch start, lunch end, out)."""
    shaped = []
    for entry in entries:
        if len(entry) == 3:
            shaped.append({"day": entry[0], "check_in": entry[1], "check_out": entry[2]})
        else:
            day, check_in, lunch_start, lunch_end, check_out = entry
            shaped.append({"day": day, "check_in": check_in, "lunch_start": lunch_start, "lunch_end": lunch_end, "check_out": check_out})
    return shaped


def week_url(customer_id: str, activity_id: str, week_start: str = "") -> str:
    url = f"/plans/{customer_id}/activities/{activity_id}/attendance"
    return f"{url}/{week_start}" if week_start else url


def save(client, customer_id, activity_id, week_start, entries, headers=STAFF_A):
    return client.put(week_url(customer_id, activity_id, week_start), json={"days": entries}, headers=headers)


def verify(client, customer_id, activity_id, week_start, headers=STAFF_A):
    return client.post(week_url(customer_id, activity_id, week_start) + "/verify", headers=headers)


def save_and_verify(client, customer_id, activity_id, week_start, entries) -> None:
    assert save(client, customer_id, activity_id, week_start, entries).status_code == 200
    assert verify(client, customer_id, activity_id, week_start).status_code == 200


def eight_hour_days(*dates: str) -> list[dict]:
    return days(*[(on, "08:00", "16:00") for on in dates])
