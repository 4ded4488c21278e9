"""Demo data through the gateway: providers with their locations and this fiscal year's E&T program contracts,
an IES extract (1,000 people, a few malformed rows), then referrals.

Idempotent enough to run twice: providers whose first location exists are skipped, the second import is all
"unchanged" and referrals already sent are skipped.
"""

import io
import os
import sys
import time
from datetime import date

import httpx

from casemgmt.domain.providers import fiscal_year_of
from ies_sync.synthetic import person, write_extract
from isets_kit import registry

GATEWAY = os.environ.get("ISETS_GATEWAY_URL", f"http://127.0.0.1:{registry.service('gateway').port}")
PASSWORD = "demo-password"


def login(client: httpx.Client, username: str) -> dict[str, str]:
    response = client.post("/auth/token", data={"username": username, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def wait_for(check, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.3)
    sys.exit(f"timed out waiting for {what}")


# Provider → locations (code, name, county) → programs (name, offering, activities, schedule, skills, interests).
# LOC-A and LOC-B are the demo users' locations.
PROVIDERS = [
    ("Lincoln Land Workforce Partners", [
        ("LOC-A", "Springfield Career Center", "Sangamon", [
            ("Job Club", "Only Job Placement Services", ["JST", "SJS", "JR"], "Mon-Fri 9:00-12:00",
             ["Customer service", "Cashier"], ["Retail", "Hospitality"]),
            ("Welding Pathway", "Training & Job Placement Services", ["VT", "OJT", "WRT"], "Mon-Thu 13:00-17:00",
             ["Welding", "Forklift"], ["Manufacturing"]),
        ]),
        ("LOC-C", "Decatur Training Site", "Macon", [
            ("Warehouse Ready", "Training & Job Placement Services", ["VT", "CW", "TJ"], "Tue-Sat 8:00-14:00",
             ["Forklift", "Inventory"], ["Logistics", "Manufacturing"]),
        ]),
    ]),
    ("Prairie State Careers", [
        ("LOC-B", "Peoria Opportunity Center", "Peoria", [
            ("Health Care Careers", "Training & Job Placement Services", ["VT", "BE", "INT"], "Mon-Fri 8:30-15:30",
             ["CNA", "Phlebotomy"], ["Health care"]),
        ]),
        ("LOC-D", "Chicago South Side", "Cook", [
            ("GED and Work Readiness", "None of the above", ["BE", "ELA", "WRT", "CS"], "Mon-Wed 17:00-20:00",
             ["Reading", "Math"], ["Education"]),
        ]),
        ("LOC-E", "Chicago West Side", "Cook", [
            ("Transitional Jobs", "Only Job Placement Services", ["TJ", "CW", "SJS", "E"], "Mon-Fri 7:00-15:00",
             ["Landscaping", "Cleaning"], ["Construction", "Outdoors"]),
        ]),
    ]),
    ("River Valley Training Center", [
        ("LOC-F", "Rockford Campus", "Winnebago", [
            ("IT Support Bootcamp", "Training & Job Placement Services", ["VT", "INT", "SET"], "Mon-Fri 9:00-16:00",
             ["Computers", "Customer service"], ["Technology"]),
        ]),
    ]),
]


def seed_providers(client: httpx.Client, statewide: dict[str, str]) -> None:
    fiscal_year = fiscal_year_of(date.today())
    for provider_name, locations in PROVIDERS:
        if client.get(f"/api/locations/{locations[0][0]}", headers=statewide).status_code == 200:
            continue
        provider = client.post("/api/providers", json={"name": provider_name}, headers=statewide)
        provider.raise_for_status()
        for location_id, name, county, programs in locations:
            client.post(
                f"/api/providers/{provider.json()['id']}/locations",
                json={"id": location_id, "name": name, "county": county}, headers=statewide,
            ).raise_for_status()
            for index, (program, offering, activities, schedule, skills, interests) in enumerate(programs, 1):
                client.post(
                    "/api/program-contracts",
                    json={
                        "location_id": location_id, "contract_number": f"ET-{fiscal_year % 100}-{location_id[-1]}{index:02d}",
                        "fiscal_year": fiscal_year, "program_name": program, "offering": offering,
                        "activities_offered": activities, "schedule": schedule, "skills": skills, "interests": interests,
                    },
                    headers=statewide,
                ).raise_for_status()
    locations = client.get("/api/locations", params={"open": "true"}, headers=statewide).json()
    print(f"providers: {len(client.get('/api/providers', headers=statewide).json())}, open locations: {len(locations)}, "
          f"program contracts FY{fiscal_year}: {len(client.get('/api/program-contracts', params={'fiscal_year': fiscal_year}, headers=statewide).json())}")


def refer(client: httpx.Client, statewide: dict[str, str], customer: dict, location: str) -> dict | None:
    """The referral sent, or None while intake has not yet learned of the location from casemgmt."""
    sent = client.post(
        f"/api/customers/{customer['id']}/referrals",
        json={"referred_to": location, "referred_from": customer["dhs_office"], "program": "SNAP JP"},
        headers=statewide,
    )
    if sent.status_code == 422 and sent.json()["detail"][0]["rule"] == f"no provider location {location}":
        return None
    return sent.json()


def main() -> None:
    with httpx.Client(base_url=GATEWAY, timeout=60) as client:
        statewide = login(client, "statewide")
        seed_providers(client, statewide)
        extract = io.StringIO()
        write_extract(extract, rows=1000, seed=1, malformed=0.005)
        started = client.post(
            "/api/ies/imports",
            params={"file_name": "demo-extract.csv"},
            content=extract.getvalue().encode(),
            headers=statewide | {"Content-Type": "text/csv"},
        )
        started.raise_for_status()
        run_id = started.json()["id"]
        run = wait_for(
            lambda: (r := client.get(f"/api/ies/imports/{run_id}", headers=statewide).json())["status"] != "running" and r,
            "the extract import",
        )
        print(f"IES import run {run_id}: {run['rows_read']} rows, {run['new']} new, {run['changed']} changed, "
              f"{run['unchanged']} unchanged, {run['rejected']} quarantined")

        def customer(index: int) -> dict | None:
            number = person(index, 1)["individual_number"]
            items = client.get("/api/customers", params={"individual_number": number}, headers=statewide).json()["items"]
            return items[0] if items else None

        wait_for(lambda: customer(999) or customer(998), "intake to apply the extract")
        provider_a = login(client, "provider.a")
        for index in range(5):
            found = customer(index)
            if found is None or found["et_status"] != "IES Matched":
                continue
            referral = wait_for(lambda customer=found: refer(client, statewide, customer, "LOC-A"), "intake to learn of LOC-A")
            if index < 3:
                client.post(
                    f"/api/customers/{found['id']}/referrals/{referral['number']}/accept",
                    json={"version": referral["version"], "snap_et_eligible": True},
                    headers=provider_a,
                ).raise_for_status()
        total = client.get("/api/customers", params={"page_size": 1}, headers=statewide).json()["total"]
        mine = client.get("/api/customers", params={"page_size": 1}, headers=provider_a).json()["total"]
        print(f"customers visible to statewide: {total}; to provider.a (LOC-A): {mine}")
        print(f"gateway: {GATEWAY}  OpenAPI: {GATEWAY}/docs  demo users: statewide, provider.a, provider.b, "
              f"manager.a, idhs.admin (password: {PASSWORD})")


if __name__ == "__main__":
    main()
