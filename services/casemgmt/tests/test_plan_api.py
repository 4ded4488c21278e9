"""The plan through casemgmt's API: goals, agreement, signed copies, update log, activities, the events
they announce, and who may do what."""

from datetime import date
from decimal import Decimal

from isets_contracts.events import EmploymentRecorded
from isets_contracts.reference import Role
from isets_kit.testing import auth_headers, outbox_events
from services.casemgmt.tests.api_fixtures import STATEWIDE, apply_event, enrol, make_client, register
from services.casemgmt.tests.plan_fixtures import enrolled

STAFF_A = auth_headers(Role.PROVIDER_PARTNER, "LOC-A")
CUSTOMER = auth_headers(Role.CUSTOMER, customer_id="c-1")


def goals_of(client, customer_id="c-1"):
    return client.get(f"/plans/{customer_id}/goals", headers=STATEWIDE).json()


def agreement_of(client, customer_id="c-1"):
    return client.get(f"/plans/{customer_id}", headers=STATEWIDE).json()["agreement"]


def add_goal(client, statement="Get a CDL", headers=STAFF_A, **fields):
    return client.post(
        "/plans/c-1/goals", json={"statement": statement, "category": "Career Plan", "term": "Short Term"} | fields, headers=headers
    )


def add_activity(client, code="JST", headers=STAFF_A, **fields):
    return client.post("/plans/c-1/activities", json={"activity_code": code} | fields, headers=headers)


def change(client, activity_id, headers=STAFF_A, **fields):
    return client.patch(f"/plans/c-1/activities/{activity_id}", json=fields, headers=headers)


def started_jst(client) -> tuple[str, str]:
    goal_id = goals_of(client)[0]["id"]
    jst = add_activity(client, goal_id=goal_id, planned_start="2026-11-09", planned_completion="2026-12-18").json()["id"]
    assert change(client, jst, status="Started/Open").status_code == 200
    return goal_id, jst


def test_an_enrolment_adds_the_goal_complete_the_program_once_and_asks_for_agreement(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        enrol(client, "c-1", "LOC-A")
        enrol(client, "c-1", "LOC-A")  # redelivered, or enrolled again at the same location
        [goal] = goals_of(client)
        assert (goal["statement"], goal["status"], goal["enrolment_location"]) == ("Complete the program", "Not Started", "LOC-A")
        assert agreement_of(client) == "Pending"
        enrol(client, "c-1", "LOC-B")
        assert [g["enrolment_location"] for g in goals_of(client)] == ["LOC-A", "LOC-B"]
        assert len(outbox_events(client, "casemgmt.goal.changed")) == 2


def test_a_goal_statement_over_144_characters_is_refused_naming_the_field(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        refused = add_goal(client, "x" * 145)
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "statement"
        assert add_goal(client, "x" * 144).status_code == 201


def test_adding_a_goal_or_marking_it_off_track_asks_the_customer_to_agree_again(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        assert client.post("/plans/c-1/agreement", json={"agreement": "Agreed"}, headers=CUSTOMER).json() == {"agreement": "Agreed"}
        goal = add_goal(client).json()
        assert agreement_of(client) == "Pending"
        client.post("/plans/c-1/agreement", json={"agreement": "Agreed"}, headers=CUSTOMER)
        on_track = client.patch(f"/plans/c-1/goals/{goal['id']}", json={"status": "On Track"}, headers=STAFF_A)
        assert on_track.status_code == 200 and agreement_of(client) == "Agreed"
        client.patch(f"/plans/c-1/goals/{goal['id']}", json={"status": "Off Track"}, headers=STAFF_A)
        assert agreement_of(client) == "Pending"
        assert client.post("/plans/c-1/agreement", json={"agreement": "Agreed"}, headers=CUSTOMER).status_code == 200
        assert [e["data"]["agreement"] for e in outbox_events(client, "casemgmt.plan_agreement.changed")] == [
            "Pending", "Agreed", "Pending", "Agreed", "Pending", "Agreed"
        ]


def test_staff_record_that_the_customer_could_not_be_reached_but_cannot_agree_for_them(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        assert client.post("/plans/c-1/agreement", json={"agreement": "Agreed"}, headers=STAFF_A).status_code == 422
        answer = client.post("/plans/c-1/agreement", json={"agreement": "Customer could not be reached"}, headers=STAFF_A)
        assert answer.json() == {"agreement": "Customer could not be reached"}


def test_a_signed_copy_is_stored_with_its_size_type_and_uploader(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        pdf = b"%PDF-1.7 signed plan"
        uploaded = client.post(
            "/plans/c-1/agreement/signed-copy", files={"file": ("plan.pdf", pdf, "application/pdf")}, headers=STAFF_A
        )
        assert uploaded.status_code == 201, uploaded.text
        assert {k: uploaded.json()[k] for k in ("file_name", "content_type", "size", "uploaded_by")} == {
            "file_name": "plan.pdf", "content_type": "application/pdf", "size": len(pdf), "uploaded_by": "provider_partner-user"
        }
        assert agreement_of(client) == "Signed copy uploaded"


def test_a_signed_copy_of_another_type_or_over_5_mb_is_refused_naming_the_file(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        gif = client.post("/plans/c-1/agreement/signed-copy", files={"file": ("a.gif", b"GIF89a", "image/gif")}, headers=STAFF_A)
        assert gif.status_code == 415 and gif.json()["detail"][0]["field"] == "file"
        big = client.post(
            "/plans/c-1/agreement/signed-copy", files={"file": ("a.png", b"x" * (5 * 1024 * 1024 + 1), "image/png")}, headers=STAFF_A
        )
        assert big.status_code == 413 and big.json()["detail"][0]["field"] == "file"
        assert agreement_of(client) == "Pending"


def test_every_plan_change_is_in_the_update_log_with_who_and_when(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        add_goal(client)
        _, jst = started_jst(client)
        log = client.get("/plans/c-1/update-log", headers=CUSTOMER).json()
        assert [entry["what"] for entry in log] == [
            "activity JST changed: status, ever_started",
            "activity added: JST (Planned/Not Started)",
            "plan agreement: Pending (goal added)",
            "goal added: Get a CDL (Not Started)",
            "plan agreement: Pending (goal added)",
            "goal added: Complete the program (Not Started)",
        ]
        assert log[0]["by"] == "provider_partner-user" and log[0]["at"]


def test_starting_an_activity_announces_its_status_with_kind_code_location_and_dates(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        _, jst = started_jst(client)
        changed = outbox_events(client, "casemgmt.activity.status_changed")
        assert [e["data"]["status"] for e in changed] == ["Planned/Not Started", "Started/Open"]
        data = changed[-1]["data"]
        assert (data["activity_id"], data["activity_code"], data["kind"], data["location"], data["start_date"], data["worksite_based"]) == (
            jst, "JST", "SNAP E&T activity", "LOC-A", "2026-11-09", False
        )
        history = client.get("/plans/c-1/activities", headers=STATEWIDE).json()[0]["status_history"]
        assert [h["status"] for h in history] == ["Planned/Not Started", "Started/Open"]


def test_an_activity_cannot_start_without_a_goal(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        jst = add_activity(client).json()["id"]
        refused = change(client, jst, status="Started/Open")
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "goal_id"


def test_a_support_service_is_refused_while_only_an_other_et_activity_is_open(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        goal_id, jst = started_jst(client)
        cs = add_activity(client, "CS", goal_id=goal_id, status="Started/Open").json()["id"]
        change(client, jst, status="Successful Completion", actual_completion="2026-11-20")
        refused = add_activity(client, "SS-TRANSPORT")
        assert refused.status_code == 422 and "needs a SNAP E&T activity Started/Open" in refused.json()["detail"][0]["rule"]
        assert cs


def test_only_activities_the_contract_offers_can_be_added(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        refused = add_activity(client, "VT")
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "activity_code"
        assert add_activity(client, "REF-HOUSING").status_code == 201
        options = {o["code"]: o for o in client.get("/plans/c-1/activity-options", headers=STAFF_A).json()}
        assert options["JST"]["addable"] and options["REF-HOUSING"]["addable"]
        assert not options["VT"]["addable"] and "not offered" in options["VT"]["why_not"]
        assert "needs a SNAP E&T activity" in options["SS-BOOKS"]["why_not"]


def test_a_started_activity_cannot_be_deleted_a_planned_one_can_and_its_removal_is_announced(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        _, jst = started_jst(client)
        assert client.delete(f"/plans/c-1/activities/{jst}", headers=STAFF_A).status_code == 409
        planned = add_activity(client, "REF-HOUSING").json()["id"]
        assert client.delete(f"/plans/c-1/activities/{planned}", headers=STAFF_A).status_code == 204
        last = outbox_events(client, "casemgmt.activity.status_changed")[-1]["data"]
        assert (last["activity_id"], last["removed"]) == (planned, True)


def test_the_overview_shows_goals_with_their_activities_and_dates_the_agreement_and_accomplishments(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        goal_id, jst = started_jst(client)
        change(client, jst, status="Successful Completion", actual_completion="2026-12-10")
        client.patch(f"/plans/c-1/goals/{goal_id}", json={"status": "Complete"}, headers=STAFF_A)
        add_activity(client, "REF-HOUSING")
        overview = client.get("/plans/c-1", headers=CUSTOMER).json()
        [goal] = overview["goals"]
        assert (goal["earliest_start"], goal["latest_planned_due"]) == ("2026-11-09", "2026-12-18")
        assert [a["code"] for a in goal["activities"]] == ["JST"]
        assert [a["code"] for a in overview["activities_without_goal"]] == ["REF-HOUSING"]
        assert overview["accomplishments"] == {"completed_goals": 1, "completed_activities": 1}
        assert overview["agreement"] == "Pending"


def test_location_staff_change_only_their_customers_plans_and_a_customer_only_agrees(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        register(client, "c-2", "100000002")
        staff_b = auth_headers(Role.PROVIDER_PARTNER, "LOC-B")
        assert add_goal(client, headers=staff_b).status_code == 404
        assert add_activity(client, headers=staff_b).status_code == 404
        assert client.get("/plans/c-1/activities", headers=staff_b).status_code == 404
        assert add_goal(client, headers=CUSTOMER).status_code == 403
        assert add_activity(client, headers=CUSTOMER).status_code == 403
        upload = {"file": ("plan.pdf", b"%PDF", "application/pdf")}
        assert client.post("/plans/c-1/agreement/signed-copy", files=upload, headers=CUSTOMER).status_code == 403
        assert client.post("/plans/c-1/agreement/signed-copy", files=upload, headers=staff_b).status_code == 404
        assert client.get("/plans/c-1/activities", headers=CUSTOMER).status_code == 200
        other_customer = auth_headers(Role.CUSTOMER, customer_id="c-2")
        assert client.post("/plans/c-1/agreement", json={"agreement": "Agreed"}, headers=other_customer).status_code == 404
        assert client.post("/plans/c-1/agreement", json={"agreement": "Agreed"}, headers=CUSTOMER).status_code == 200


def test_recorded_employment_of_20_hours_or_more_becomes_job_retention_below_employment_once(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        for employment_id, hours in (("emp-1", "20"), ("emp-2", "19.5"), ("emp-1", "20")):
            apply_event(
                client,
                EmploymentRecorded(
                    customer_id="c-1", employment_id=employment_id, employer_name="Acme", job_title="Clerk",
                    start_date=date(2026, 12, 1), hours_per_week=Decimal(hours),
                ),
                "c-1",
            )
        made = client.get("/plans/c-1/activities", headers=STATEWIDE).json()
        assert [(a["code"], a["weekly_hours"], a["status"]) for a in made] == [
            ("JR", "20.00", "Planned/Not Started"), ("E", "19.50", "Planned/Not Started")
        ]
        assert made[0]["goal_id"] == goals_of(client)[0]["id"]


def test_a_customer_enrolled_at_two_providers_has_each_providers_activities_changed_only_by_its_staff(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        enrol(client, "c-1", "LOC-B")
        staff_b = auth_headers(Role.PROVIDER_PARTNER, "LOC-B")
        _, jst = started_jst(client)  # at LOC-A
        planned = add_activity(client).json()["id"]
        refused = change(client, jst, headers=staff_b, status="Unsuccessful Completion", actual_completion="2026-11-20")
        assert refused.status_code == 403 and refused.json()["detail"][0]["field"] == "activity_id"
        assert client.delete(f"/plans/c-1/activities/{planned}", headers=staff_b).status_code == 403
        assert client.get("/plans/c-1/activities", headers=staff_b).status_code == 200  # the plan is read by both
        assert change(client, jst, headers=STATEWIDE, weekly_hours="10").status_code == 200
        assert client.delete(f"/plans/c-1/activities/{planned}", headers=STAFF_A).status_code == 204


def test_a_date_outside_2000_to_2100_is_refused_naming_the_field(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        goal_id = goals_of(client)[0]["id"]
        refused = add_activity(client, goal_id=goal_id, status="Started/Open", effective_date="9999-12-31")
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "effective_date"
        refused = add_activity(client, goal_id=goal_id, planned_start="0001-01-01")
        assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "planned_start"
        assert client.get("/due-items", headers=STAFF_A).status_code == 200


def test_an_activity_that_started_never_goes_back_to_planned_and_completes_after_its_start(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        _, jst = started_jst(client)
        back = change(client, jst, status="Planned/Not Started")
        assert back.status_code == 409 and back.json()["detail"][0]["field"] == "status"
        early = change(client, jst, status="Successful Completion", actual_completion="2026-11-01")
        assert early.status_code == 422 and early.json()["detail"][0]["field"] == "actual_completion"
        assert change(client, jst, status="Successful Completion", actual_completion="2026-11-20").status_code == 200


def test_an_edit_that_changes_nothing_saves_announces_and_logs_nothing(tmp_path):
    with make_client(tmp_path) as client:
        enrolled(client)
        goal_id, jst = started_jst(client)
        activity = next(a for a in client.get("/plans/c-1/activities", headers=STAFF_A).json() if a["id"] == jst)
        events, log = len(outbox_events(client)), len(client.get("/plans/c-1/update-log", headers=STAFF_A).json())
        assert change(client, jst).json()["updated_at"] == activity["updated_at"]
        assert change(client, jst, weekly_hours=activity["weekly_hours"]).status_code == 200
        assert client.patch(f"/plans/c-1/goals/{goal_id}", json={}, headers=STAFF_A).status_code == 200
        assert len(outbox_events(client)) == events
        assert len(client.get("/plans/c-1/update-log", headers=STAFF_A).json()) == log
