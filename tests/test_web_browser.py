"""The staff web app end to end in a real browser (Debian's Chromium through playwright-core) against the
test stack: real Kafka, PostgreSQL, every service, the gateway serving the built app (web/dist, built by
deploy/test.sh). The steps are in web/e2e/run.mjs; screenshots and the axe-core results are saved under
the test's artifacts dir (printed on failure)."""

import csv
import os
import random
import string
import subprocess
from pathlib import Path

import pytest

from tests.helpers import fresh_individual_numbers, provider_location

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
COLUMNS = [
    "individual_number", "snap_case_number", "first_name", "last_name", "date_of_birth", "ssn_last4", "email", "phone",
    "address_line1", "address_line2", "city", "state", "zip", "county", "dhs_office", "snap_eligibility_status",
    "redetermination_date", "midpoint_date", "as_of",
]

pytestmark = [pytest.mark.kafka, pytest.mark.browser]


def _surname() -> str:
    return "Web" + "".join(random.choices(string.ascii_lowercase, k=8))


def _extract(path: Path, last_names: list[str]) -> None:
    first = fresh_individual_numbers(len(last_names) + 1)
    rows = [
        {
            "individual_number": str(first + index), "snap_case_number": f"SC{first + index}", "first_name": "Ada",
            "last_name": last_name, "date_of_birth": "1990-04-02", "ssn_last4": "4321", "email": "ada@example.org",
            "phone": "217-555-0100", "address_line1": "1 Main St", "address_line2": "", "city": "Springfield", "state": "IL",
            "zip": "62701", "county": "Sangamon", "dhs_office": "Sangamon FCRC", "snap_eligibility_status": "Yes",
            "redetermination_date": "2027-01-01", "midpoint_date": "2026-07-01", "as_of": "2026-11-01T08:00:00-06:00",
        }
        for index, last_name in enumerate(last_names)
    ]
    # IES never sends a full SSN: this row is quarantined with its row number and reason.
    rows.append(rows[0] | {"individual_number": str(first + len(last_names)), "ssn_last4": "123456789", "last_name": _surname()})
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def test_staff_screens_work_in_a_real_browser_with_no_serious_accessibility_violations(stack, gateway, statewide, tmp_path):
    assert (WEB / "dist" / "index.html").is_file(), "build the web app first (deploy/test.sh does: npm run build)"
    artifacts = Path(os.environ.get("ISETS_TEST_ARTIFACTS", ROOT / ".state" / "test-artifacts")) / "web"
    # The referrals go to LOC-B; the browser adds its program contract (Provider Info) itself.
    provider_location(gateway, statewide, "LOC-B")
    last_names = [_surname(), _surname()]
    extract = tmp_path / "extract.csv"
    _extract(extract, last_names)
    finished = subprocess.run(
        ["node", "e2e/run.mjs", stack.url("gateway"), str(extract), str(artifacts), *last_names],
        cwd=WEB, capture_output=True, text=True, timeout=240,
    )
    print(finished.stdout)
    assert finished.returncode == 0, f"{finished.stdout}\n{finished.stderr}\nscreenshots: {artifacts}"
