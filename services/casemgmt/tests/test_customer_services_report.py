"""The Customer Services Report: counts for a known population, scoping, the bulk edit (one bad row saves
the others and is reported) and the CSV round trip."""

import csv
import io

from isets_contracts.reference import ActivityCode, Role
from isets_kit.testing import auth_headers, outbox_events
from services.casemgmt.tests.api_fixtures import STATEWIDE, enrol, exit_from, make_client, register
from services.casemgmt.tests.plan_fixtures import offer

STAFF_A = auth_headers(Role.PROVIDER_PARTNER, "LOC-A")
STAFF_B = auth_headers(Role.PROVIDER_PARTNER, "LOC-B")
REPORT = "/reports/customer-services"


def goal_of(client, customer_id):
    return client.get(f"/plans/{customer_id}/goals", headers=STATEWIDE).json()[0]["id"]


def add(client, customer_id, code="JST", status=None, start="2026-11-09", due="2026-12-18", **fields):
    goal = goal_of(client, customer_id)
    body = {"activity_code": code, "goal_id": goal, "planned_start": start, "planned_completion": due} | fields
    added = client.post(f"/plans/{customer_id}/activities", json=body, headers=STATEWIDE)
    assert added.status_code == 201, added.text
    if status is not None:
        changed = client.patch(f"/plans/{customer_id}/activities/{added.json()['id']}", json={"status": status} | _completion(status), headers=STATEWIDE)
        assert changed.status_code == 200, changed.text
    return added.json()["id"]


def _completion(status):
    return {"actual_completion": "2026-12-18"} if "Completion" in status else {}


def population(client):
    """LOC-A: c-1 (JST started), c-2 (JST planned, BE successful), c-3 (nothing), c-4 (exited, JST evaluated);
    LOC-B: c-5 (JST started)."""
    offer(client, "LOC-A", ActivityCode.JOB_SEARCH_TRAINING, ActivityCode.BASIC_EDUCATION)
    offer(client, "LOC-B", ActivityCode.JOB_SEARCH_TRAINING)
    for customer_id, location in (("c-1", "LOC-A"), ("c-2", "LOC-A"), ("c-3", "LOC-A"), ("c-4", "LOC-A"), ("c-5", "LOC-B")):
        register(client, customer_id, individual_number=f"10000000{customer_id[-1]}")
        enrol(client, customer_id, location)
    ids = {
        "c-1 JST": add(client, "c-1", status="Started/Open"),
        "c-2 JST": add(client, "c-2"),
        "c-2 BE": add(client, "c-2", "BE", status="Successful Completion"),
        "c-4 JST": add(client, "c-4", status="Evaluated/Not Required"),
        "c-5 JST": add(client, "c-5", status="Started/Open"),
    }
    exit_from(client, "c-4", "LOC-A")
    return ids


def row_of(matrix, code):
    return next(row for row in matrix["rows"] if row["activity_code"] == code)


def counts(row):
    return [row[name] for name in ("not_started", "started", "successful", "unsuccessful", "evaluated_not_required", "customers_with", "customers_without")]


def test_the_report_counts_a_known_population_by_status_with_and_without(tmp_path):
    with make_client(tmp_path) as client:
        population(client)
        everyone = client.get(REPORT, headers=STATEWIDE).json()
        assert everyone["population"] == 5
        assert counts(row_of(everyone, "JST")) == [1, 2, 0, 0, 1, 4, 1]
        assert counts(row_of(everyone, "BE")) == [0, 0, 1, 0, 0, 1, 4]
        assert counts(row_of(everyone, "VT")) == [0, 0, 0, 0, 0, 0, 5]
        enrolled_a = client.get(REPORT, params={"service_provider": "LOC-A", "enrolment": "enrolled"}, headers=STATEWIDE).json()
        assert enrolled_a["population"] == 3 and counts(row_of(enrolled_a, "JST")) == [1, 1, 0, 0, 0, 2, 1]
        exited = client.get(REPORT, params={"enrolment": "exited"}, headers=STATEWIDE).json()
        assert exited["population"] == 1 and counts(row_of(exited, "JST")) == [0, 0, 0, 0, 1, 1, 0]
        by_grantee = client.get(REPORT, params={"grantee": "P-LOC-B"}, headers=STATEWIDE).json()
        assert by_grantee["population"] == 1 and counts(row_of(by_grantee, "JST")) == [0, 1, 0, 0, 0, 1, 0]
        support = client.get(REPORT, params={"service_type": "Support service"}, headers=STATEWIDE).json()
        assert {row["kind"] for row in support["rows"]} == {"Support service"}
        too_late = client.get(REPORT, params={"start_from": "2026-12-01"}, headers=STATEWIDE).json()
        # only c-4's: Evaluated/Not Required moved its start to its planned completion, 2026-12-18
        assert counts(row_of(too_late, "JST")) == [0, 0, 0, 0, 1, 1, 4]


def test_a_cell_lists_its_rows_and_customers_without_the_activity(tmp_path):
    with make_client(tmp_path) as client:
        ids = population(client)
        started = client.get(f"{REPORT}/cell", params={"activity_code": "JST", "status": "Started/Open"}, headers=STATEWIDE).json()
        assert started["total"] == 2 and {r["activity_id"] for r in started["items"]} == {ids["c-1 JST"], ids["c-5 JST"]}
        assert started["items"][0]["customer_name"] == "Tom Juan" and started["items"][0]["version"]
        without = client.get(f"{REPORT}/cell", params={"activity_code": "JST", "status": "without"}, headers=STATEWIDE).json()
        assert [r["customer_id"] for r in without["items"]] == ["c-3"] and without["items"][0]["activity_id"] is None
        paged = client.get(f"{REPORT}/cell", params={"activity_code": "JST", "status": "with", "page": 2, "page_size": 3}, headers=STATEWIDE).json()
        assert paged["total"] == 4 and len(paged["items"]) == 1


def test_the_report_is_scoped_to_the_callers_locations_and_refused_to_customers(tmp_path):
    with make_client(tmp_path) as client:
        ids = population(client)
        seen_by_b = client.get(REPORT, headers=STAFF_B).json()
        assert seen_by_b["population"] == 1 and counts(row_of(seen_by_b, "JST")) == [0, 1, 0, 0, 0, 1, 0]
        asked_for_a = client.get(REPORT, params={"service_provider": "LOC-A"}, headers=STAFF_B).json()
        assert asked_for_a["population"] == 0
        cell = client.get(f"{REPORT}/cell", params={"activity_code": "JST", "status": "with"}, headers=STAFF_B).json()
        assert [r["customer_id"] for r in cell["items"]] == ["c-5"]
        refused = client.post(f"{REPORT}/bulk", json={"rows": [{"activity_id": ids["c-1 JST"], "weekly_hours": "9"}]}, headers=STAFF_B).json()
        assert refused == [{"row": 1, "activity_id": ids["c-1 JST"], "outcome": "refused", "field": "activity_id", "reason": f"no activity {ids['c-1 JST']}"}]
        customer = auth_headers(Role.CUSTOMER, customer_id="c-1")
        assert client.get(REPORT, headers=customer).status_code == 403


def test_a_bulk_save_with_one_bad_row_saves_the_others_and_reports_the_bad_one(tmp_path):
    with make_client(tmp_path) as client:
        ids = population(client)
        before_log = len(client.get("/plans/c-2/update-log", headers=STATEWIDE).json())
        rows = [
            {"activity_id": ids["c-1 JST"], "weekly_hours": "12.5", "planned_due": "2027-01-15"},
            {"activity_id": ids["c-2 JST"], "start_date": "2026-12-20", "planned_due": "2026-12-01"},  # due before start
            {"activity_id": ids["c-2 JST"], "status": "Started/Open"},  # the same customer's next row still saves
            {"activity_id": ids["c-5 JST"], "status": "Successful Completion"},  # no completion date
            {"activity_id": "no-such-activity", "weekly_hours": "1"},
            {"activity_id": ids["c-1 JST"], "status": "Unsuccessful Completion", "completion_date": "2027-01-10"},  # keeps row 1's edit
        ]
        outcomes = client.post(f"{REPORT}/bulk", json={"rows": rows}, headers=STATEWIDE).json()
        assert [(o["row"], o["outcome"], o["field"]) for o in outcomes] == [
            (1, "ok", None), (2, "refused", "planned_due"), (3, "ok", None), (4, "refused", "completion_date"), (5, "refused", "activity_id"),
            (6, "ok", None),
        ]
        assert outcomes[1]["reason"] == "is before the planned start"
        c1 = client.get("/plans/c-1/activities", headers=STATEWIDE).json()[0]
        assert (c1["weekly_hours"], c1["planned_completion"], c1["status"]) == ("12.50", "2027-01-15", "Unsuccessful Completion")
        c2 = next(a for a in client.get("/plans/c-2/activities", headers=STATEWIDE).json() if a["id"] == ids["c-2 JST"])
        assert (c2["status"], c2["planned_start"]) == ("Started/Open", "2026-11-09")
        c5 = client.get("/plans/c-5/activities", headers=STATEWIDE).json()[0]
        assert c5["status"] == "Started/Open"
        changed = [e["data"] for e in outbox_events(client, "casemgmt.activity.status_changed") if e["data"]["activity_id"] == ids["c-2 JST"]]
        assert [e["status"] for e in changed] == ["Planned/Not Started", "Started/Open"]
        log = client.get("/plans/c-2/update-log", headers=STATEWIDE).json()
        assert len(log) == before_log + 1 and any("activity JST changed: status" in entry["what"] for entry in log)


def test_a_bulk_row_read_before_someone_else_changed_it_is_refused(tmp_path):
    with make_client(tmp_path) as client:
        ids = population(client)
        cell = client.get(f"{REPORT}/cell", params={"activity_code": "JST", "status": "Planned/Not Started"}, headers=STATEWIDE).json()
        version = cell["items"][0]["version"]
        client.patch(f"/plans/c-2/activities/{ids['c-2 JST']}", json={"weekly_hours": "3"}, headers=STATEWIDE)
        [outcome] = client.post(
            f"{REPORT}/bulk", json={"rows": [{"activity_id": ids["c-2 JST"], "version": version, "weekly_hours": "5"}]}, headers=STATEWIDE
        ).json()
        assert (outcome["outcome"], outcome["field"]) == ("refused", "version")


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_a_csv_round_trip_exports_a_cell_imports_the_edit_and_answers_every_rows_outcome(tmp_path):
    with make_client(tmp_path) as client:
        ids = population(client)
        exported = client.get(f"{REPORT}/cell.csv", params={"activity_code": "JST", "status": "Started/Open"}, headers=STATEWIDE)
        assert exported.headers["content-type"].startswith("text/csv")
        rows = read_csv(exported.text)
        assert list(rows[0]) == ["customer_id", "customer_name", "activity_id", "activity_code", "status", "start_date", "planned_due", "weekly_hours", "completion_date", "version"]
        by_customer = {row["customer_id"]: row for row in rows}
        by_customer["c-1"] |= {"status": "Successful Completion", "completion_date": "2026-12-10"}
        by_customer["c-5"] |= {"weekly_hours": "two"}  # bad
        edited = io.StringIO()
        writer = csv.DictWriter(edited, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        answer = client.post(f"{REPORT}/import", files={"file": ("jst.csv", edited.getvalue().encode(), "text/csv")}, headers=STATEWIDE)
        assert answer.status_code == 200, answer.text
        result = {row["activity_id"]: row for row in read_csv(answer.text)}
        assert list(read_csv(answer.text)[0]) == ["row", "activity_id", "outcome", "field", "reason"]
        assert (result[ids["c-1 JST"]]["outcome"], result[ids["c-1 JST"]]["row"]) == ("ok", "2")
        assert (result[ids["c-5 JST"]]["outcome"], result[ids["c-5 JST"]]["field"]) == ("refused", "weekly_hours")
        assert client.get("/plans/c-1/activities", headers=STATEWIDE).json()[0]["status"] == "Successful Completion"
        assert client.get("/plans/c-5/activities", headers=STATEWIDE).json()[0]["weekly_hours"] == "0.00"
        matrix = client.get(f"{REPORT}.csv", headers=STATEWIDE)
        jst = next(row for row in read_csv(matrix.text) if row["activity_code"] == "JST")
        assert (jst["started"], jst["successful"], jst["customers_without"]) == ("1", "1", "1")


def test_a_malformed_csv_is_refused_with_422_naming_the_column_or_the_file(tmp_path):
    with make_client(tmp_path) as client:
        population(client)

        def upload(content: bytes):
            return client.post(f"{REPORT}/import", files={"file": ("x.csv", content, "text/csv")}, headers=STATEWIDE)

        unknown = upload(b"activity_id,colour\r\nA-1,red\r\n")
        assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "colour"
        missing = upload(b"customer_id,status\r\nc-1,Started/Open\r\n")
        assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "activity_id"
        not_text = upload(b"\xff\xfe\x00activity_id")
        assert not_text.status_code == 422 and not_text.json()["detail"][0]["field"] == "file"
        empty = upload(b"")
        assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "file"
