"""Demo data through the gateway: an IES extract (1,000 people, a few malformed rows), then referrals.

Idempotent enough to run twice: the second import is all "unchanged" and referrals already sent are skipped.
"""

import io
import os
import sys
import time

import httpx

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


def main() -> None:
    with httpx.Client(base_url=GATEWAY, timeout=60) as client:
        statewide = login(client, "statewide")
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
            referral = client.post(
                f"/api/customers/{found['id']}/referrals",
                json={"referred_to": "LOC-A", "referred_from": found["dhs_office"], "program": "SNAP JP"},
                headers=statewide,
            ).json()
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
