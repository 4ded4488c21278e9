"""Case notes: the rules of a note (domain) and the routes with their access (API)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from isets_contracts.reference import Role
from isets_kit.errors import Conflict, RuleViolation
from isets_kit.testing import auth_headers
from casemgmt.domain.notes import CaseNote, NoteCategory, NoteContent, RetentionPeriod, SendAs
from services.casemgmt.tests.api_fixtures import STATEWIDE, enrol, make_client, register

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
LOC_A = auth_headers(Role.PROVIDER_PARTNER, "LOC-A", user="provider.a")
CUSTOMER = auth_headers(Role.CUSTOMER, customer_id="c-1")


def content(**changes) -> NoteContent:
    values = dict(
        contact_date=date(2026, 11, 19), subject="Called about the job fair", message="Customer will attend on Friday.",
        category=NoteCategory.GENERAL, send_as=SendAs.SAVE_ONLY,
    )
    return NoteContent(**values | changes)


# --- domain ------------------------------------------------------------------------------------------
def test_an_edit_keeps_the_previous_version_with_who_and_when():
    note = CaseNote.write("n-1", "c-1", content(), "provider.a", NOW)
    later = NOW + timedelta(hours=2)
    assert note.edit(content(message="Customer will attend on Saturday."), 1, "provider.b", later) is True
    assert note.edited and note.version == 2 and note.message == "Customer will attend on Saturday."
    first, second = note.versions
    assert (first.number, first.written_by, first.written_at, first.message) == (1, "provider.a", NOW, "Customer will attend on Friday.")
    assert (second.number, second.written_by, second.written_at) == (2, "provider.b", later)


def test_an_edit_that_changes_nothing_adds_no_version():
    note = CaseNote.write("n-1", "c-1", content(), "provider.a", NOW)
    assert note.edit(content(), 1, "provider.b", NOW) is False
    assert not note.edited and len(note.versions) == 1


def test_an_edit_of_a_stale_version_is_refused():
    note = CaseNote.write("n-1", "c-1", content(), "provider.a", NOW)
    note.edit(content(subject="Job fair"), 1, "provider.a", NOW)
    with pytest.raises(Conflict):
        note.edit(content(subject="Job fair on Friday"), 1, "provider.b", NOW)


def test_contact_date_cannot_be_in_the_future():
    with pytest.raises(RuleViolation) as refused:
        CaseNote.write("n-1", "c-1", content(contact_date=date(2026, 11, 21)), "provider.a", NOW)
    assert refused.value.field == "contact_date"


def test_a_note_saved_only_is_sent_to_nobody():
    with pytest.raises(RuleViolation) as refused:
        CaseNote.write("n-1", "c-1", content(to_customer=True), "provider.a", NOW)
    assert refused.value.field == "send_as"


def test_a_note_sent_as_a_message_needs_a_recipient():
    with pytest.raises(RuleViolation) as refused:
        CaseNote.write("n-1", "c-1", content(send_as=SendAs.WORKNET_MESSAGE), "provider.a", NOW)
    assert refused.value.field == "team_recipients"
    team = ({"name": "Ana Ruiz", "email": "ana@dhs.example"},)
    assert CaseNote.write("n-1", "c-1", content(send_as=SendAs.WORKNET_MESSAGE, team_recipients=team), "provider.a", NOW)


def test_a_retention_link_needs_both_the_employment_and_the_period():
    with pytest.raises(RuleViolation) as refused:
        CaseNote.write("n-1", "c-1", content(employment_id="em-1"), "provider.a", NOW)
    assert refused.value.field == "retention_period"
    linked = CaseNote.write("n-1", "c-1", content(employment_id="em-1", retention_period=RetentionPeriod.DAYS_60), "provider.a", NOW)
    assert linked.retention_period == 60


# --- API -----------------------------------------------------------------------------------------------
def note_body(**changes) -> dict:
    body = {
        "contact_date": "2026-11-19", "task": "Follow-up call", "subject": "Called about the job fair",
        "message": "Customer will attend on Friday.", "category": "General", "send_as": "Save as case note only",
    }
    return body | changes


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        enrol(client, "c-1", "LOC-A")
        yield client


def add(client, headers=LOC_A, **changes):
    answer = client.post("/plans/c-1/case-notes", json=note_body(**changes), headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_case_notes_list_newest_first_and_filter_by_category(client):
    add(client, contact_date="2026-11-10", subject="first")
    add(client, contact_date="2026-11-18", subject="follow-up", category="Follow-up")
    add(client, contact_date="2026-11-12", subject="second")
    listed = client.get("/plans/c-1/case-notes", headers=LOC_A).json()
    assert [n["subject"] for n in listed] == ["follow-up", "second", "first"]
    assert listed[0]["author"] == "provider.a" and listed[0]["created_at"]
    follow_ups = client.get("/plans/c-1/case-notes", params={"category": "Follow-up"}, headers=LOC_A).json()
    assert [n["subject"] for n in follow_ups] == ["follow-up"]


def test_an_edited_note_shows_edited_and_its_history(client):
    note = add(client)
    assert note["edited"] is False and note["version"] == 1
    edited = client.put(
        f"/plans/c-1/case-notes/{note['id']}", json=note_body(message="Customer will attend on Saturday.", version=1), headers=STATEWIDE
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["edited"] is True and edited.json()["updated_by"] == "statewide-user"
    assert client.get("/plans/c-1/case-notes", headers=LOC_A).json()[0]["edited"] is True
    history = client.get(f"/plans/c-1/case-notes/{note['id']}/history", headers=LOC_A).json()
    assert [(v["number"], v["written_by"], v["message"]) for v in history] == [
        (2, "statewide-user", "Customer will attend on Saturday."),
        (1, "provider.a", "Customer will attend on Friday."),
    ]
    stale = client.put(f"/plans/c-1/case-notes/{note['id']}", json=note_body(version=1), headers=LOC_A)
    assert stale.status_code == 409


def test_a_bad_note_is_refused_naming_the_field(client):
    too_long = client.post("/plans/c-1/case-notes", json=note_body(message="x" * 4001), headers=LOC_A)
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["field"] == "message"
    control = client.post("/plans/c-1/case-notes", json=note_body(subject="job\x00fair"), headers=LOC_A)
    assert control.status_code == 422 and control.json()["detail"][0]["field"] == "subject"
    future = client.post("/plans/c-1/case-notes", json=note_body(contact_date="2999-01-01"), headers=LOC_A)
    assert future.status_code == 422 and future.json()["detail"][0]["field"] == "contact_date"
    assert client.post("/plans/c-1/case-notes", json=note_body(category="Gossip"), headers=LOC_A).status_code == 422


def test_a_note_linked_to_an_employment_retention_period_keeps_the_link(client):
    note = add(client, category="Employment Retention", employment_id="em-1", retention_period=30)
    assert (note["employment_id"], note["retention_period"]) == ("em-1", 30)
    assert client.post("/plans/c-1/case-notes", json=note_body(retention_period=45), headers=LOC_A).status_code == 422


def test_a_customer_reads_only_the_notes_sent_to_them(client):
    add(client, subject="internal")
    sent = add(
        client, subject="to you", send_as="Illinois workNet message and email", to_customer=True,
        team_recipients=[{"name": "Ana Ruiz", "email": "ana@dhs.example"}],
    )
    assert [n["subject"] for n in client.get("/plans/c-1/case-notes", headers=CUSTOMER).json()] == ["to you"]
    assert client.get(f"/plans/c-1/case-notes/{sent['id']}/history", headers=CUSTOMER).status_code == 403
    assert client.post("/plans/c-1/case-notes", json=note_body(), headers=CUSTOMER).status_code == 403
    other = auth_headers(Role.CUSTOMER, customer_id="c-2")
    assert client.get("/plans/c-1/case-notes", headers=other).status_code == 404


def test_case_notes_of_a_customer_at_another_location_answer_404(client):
    note = add(client)
    loc_b = auth_headers(Role.PROVIDER_PARTNER, "LOC-B")
    assert client.get("/plans/c-1/case-notes", headers=loc_b).status_code == 404
    assert client.post("/plans/c-1/case-notes", json=note_body(), headers=loc_b).status_code == 404
    assert client.put(f"/plans/c-1/case-notes/{note['id']}", json=note_body(version=1), headers=loc_b).status_code == 404
    assert client.get(f"/plans/c-1/case-notes/{note['id']}/history", headers=loc_b).status_code == 404


def test_idhs_admins_read_case_notes_but_do_not_write_them(client):
    add(client)
    admin = auth_headers(Role.IDHS_ADMIN)
    assert len(client.get("/plans/c-1/case-notes", headers=admin).json()) == 1
    assert client.post("/plans/c-1/case-notes", json=note_body(), headers=admin).status_code == 403
