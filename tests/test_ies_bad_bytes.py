"""Bad bytes on PostgreSQL (which refuses NUL in text, unlike SQLite): never a stopped import, never a
run left running, counts that match what the database holds. Also the one-call re-run of a failed run."""

import asyncio
import io

import asyncpg
import pytest

from tests.helpers import fresh_individual_numbers, wait_until
from ies_sync.synthetic import person, write_extract

pytestmark = pytest.mark.kafka

CONTROL_CHARACTER = "contains a control character (only tab is allowed)"


def extract_csv(rows: int, first_number: int) -> str:
    text = io.StringIO()
    write_extract(text, rows=rows, first_number=first_number)
    return text.getvalue()


def upload(gateway, headers, body: bytes, file_name: str = "extract.csv"):
    return gateway.post(
        "/api/ies/imports", params={"file_name": file_name}, content=body, headers=headers | {"Content-Type": "text/csv"}
    )


def finished_run(gateway, headers, run_id: int) -> dict:
    def finished():
        run = gateway.get(f"/api/ies/imports/{run_id}", headers=headers).json()
        return run if run["status"] != "running" else None

    return wait_until(finished, message=f"import run {run_id}")


def ies_sync_database(stack, query: str, *args):
    async def fetch():
        connection = await asyncpg.connect(stack.database_urls["ies_sync"].replace("+asyncpg", ""))
        try:
            return await connection.fetchval(query, *args)
        finally:
            await connection.close()

    return asyncio.run(fetch())


def test_nul_byte_in_one_extract_field_quarantines_that_row_and_the_run_completes_with_matching_counts(
    gateway, statewide, stack
):
    first = fresh_individual_numbers(5)
    lines = extract_csv(5, first).splitlines()
    broken = person(2, 1, first)
    lines[3] = lines[3].replace(broken["last_name"], broken["last_name"][:2] + "\x00" + broken["last_name"][2:], 1)
    started = upload(gateway, statewide, ("\n".join(lines) + "\n").encode())
    assert started.status_code == 202, started.text
    run = finished_run(gateway, statewide, started.json()["id"])

    assert (run["status"], run["rows_read"], run["new"], run["rejected"]) == ("completed", 5, 4, 1)
    assert run["quarantined"] == [
        {"row_number": 4, "individual_number": broken["individual_number"], "reason": f"last_name: {CONTROL_CHARACTER}"}
    ]
    numbers = [str(first + index) for index in range(5)]
    stored = ies_sync_database(stack, "SELECT count(*) FROM ies_person WHERE individual_number = ANY($1)", numbers)
    quarantined = ies_sync_database(stack, "SELECT count(*) FROM quarantined_row WHERE run_id = $1", run["id"])
    assert (stored, quarantined) == (run["new"], run["rejected"])


def test_nul_byte_in_a_single_update_answers_422_naming_the_field_and_leaves_no_run_running(gateway, statewide, stack):
    row = person(0, 1, fresh_individual_numbers(1))
    answer = gateway.post("/api/ies/persons", json=row | {"city": "Spring\x00field"}, headers=statewide)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == [{"field": "city", "rule": CONTROL_CHARACTER}]
    assert "Spring" not in answer.text
    assert ies_sync_database(stack, "SELECT count(*) FROM import_run WHERE status = 'running' AND source = 'single'") == 0


def test_nul_byte_in_the_uploaded_file_name_answers_422(gateway, statewide):
    answer = upload(gateway, statewide, extract_csv(1, fresh_individual_numbers(1)).encode(), file_name="week\x00.csv")
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == [{"field": "file_name", "rule": CONTROL_CHARACTER}]


def test_a_failed_run_is_rerun_with_one_call_and_only_once(gateway, statewide):
    started = upload(gateway, statewide, b"individual_number,first_name\n1,Tom\n")
    failed = finished_run(gateway, statewide, started.json()["id"])
    assert failed["status"] == "failed"

    rerun = gateway.post(f"/api/ies/imports/{failed['id']}/rerun", headers=statewide)
    assert rerun.status_code == 202, rerun.text
    assert (rerun.json()["rerun_of"], rerun.json()["file_name"]) == (failed["id"], failed["file_name"])
    assert finished_run(gateway, statewide, rerun.json()["id"])["error"] == failed["error"]
    assert gateway.post(f"/api/ies/imports/{failed['id']}/rerun", headers=statewide).status_code == 409
