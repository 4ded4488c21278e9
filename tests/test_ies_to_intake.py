"""The first vertical slice on the real broker and PostgreSQL: IES extract → ies_sync → Kafka → intake → gateway."""

import io

from datetime import UTC, date, datetime

import pytest

from tests.helpers import fresh_individual_numbers, login, provider_location, send_referral, wait_until
from isets_contracts import Envelope, topics
from isets_contracts.events import ActivityStatusChanged, IesPersonChanged
from isets_contracts.reference import ActivityKind, ActivityStatus
from ies_sync.synthetic import person, write_extract
from tests.kafka_tools import end_offsets, produce, read_all

pytestmark = pytest.mark.kafka


def extract_csv(rows: int, first_number: int, **options) -> bytes:
    text = io.StringIO()
    write_extract(text, rows=rows, first_number=first_number, **options)
    return text.getvalue().encode()


def import_through_gateway(gateway, headers, body: bytes, file_name="extract.csv") -> dict:
    started = gateway.post(
        "/api/ies/imports", params={"file_name": file_name}, content=body, headers=headers | {"Content-Type": "text/csv"}
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]

    def finished():
        run = gateway.get(f"/api/ies/imports/{run_id}", headers=headers).json()
        return run if run["status"] != "running" else None

    return wait_until(finished, message=f"import run {run_id}")


def find_customer(gateway, headers, individual_number: str) -> dict | None:
    page = gateway.get("/api/customers", params={"individual_number": individual_number}, headers=headers).json()
    return page["items"][0] if page["items"] else None


def profile_of(gateway, headers, individual_number: str, timeout: float = 30) -> dict:
    summary = wait_until(lambda: find_customer(gateway, headers, individual_number), timeout, message=f"customer {individual_number}")
    return gateway.get(f"/api/customers/{summary['id']}", headers=headers).json()


def test_extract_imported_through_gateway_shows_up_in_intake_profile(gateway, statewide):
    first = fresh_individual_numbers(20)
    run = import_through_gateway(gateway, statewide, extract_csv(20, first))
    assert (run["status"], run["rows_read"], run["new"], run["rejected"]) == ("completed", 20, 20, 0)
    expected = person(3, 1, first)
    profile = profile_of(gateway, statewide, expected["individual_number"])
    assert (profile["first_name"], profile["last_name"], profile["snap_case_number"]) == (
        expected["first_name"], expected["last_name"], expected["snap_case_number"]
    )
    assert profile["et_status"] == "IES Matched"
    assert [h["status"] for h in profile["status_history"]] == ["IES Matched"]
    assert [h["status"] for h in profile["eligibility_history"]] == [expected["snap_eligibility_status"]]


def test_reimporting_the_same_extract_publishes_zero_events(gateway, statewide, infrastructure):
    first = fresh_individual_numbers(30)
    body = extract_csv(30, first)
    import_through_gateway(gateway, statewide, body)
    wait_until(lambda: find_customer(gateway, statewide, str(first + 29)), message="first import applied")
    before = end_offsets(infrastructure, topics.IES_SYNC)
    again = import_through_gateway(gateway, statewide, body)
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 30)
    assert end_offsets(infrastructure, topics.IES_SYNC) == before


def test_row_with_bad_date_is_quarantined_with_reason_while_other_rows_apply(gateway, statewide):
    first = fresh_individual_numbers(5)
    lines = extract_csv(5, first).decode().splitlines()
    bad = person(1, 1, first)
    lines[2] = lines[2].replace(bad["date_of_birth"], "2001-02-30")
    run = import_through_gateway(gateway, statewide, ("\n".join(lines) + "\n").encode())
    assert (run["new"], run["rejected"]) == (4, 1)
    assert run["quarantined"] == [
        {"row_number": 3, "individual_number": bad["individual_number"], "reason": "date_of_birth: is not a date (YYYY-MM-DD or MM/DD/YYYY)"}
    ]
    assert profile_of(gateway, statewide, str(first + 4))["et_status"] == "IES Matched"
    assert find_customer(gateway, statewide, bad["individual_number"]) is None


def test_older_as_of_is_ignored(gateway, statewide):
    number = fresh_individual_numbers(1)
    newer = person(0, 1, number) | {"phone": "312-555-0001", "as_of": "2026-11-20T08:00:00+00:00"}
    older = person(0, 1, number) | {"phone": "217-555-0002", "as_of": "2026-11-10T08:00:00+00:00"}
    assert gateway.post("/api/ies/persons", json=newer, headers=statewide).json()["decision"] == "new"
    assert gateway.post("/api/ies/persons", json=older, headers=statewide).json()["decision"] == "stale"
    profile = profile_of(gateway, statewide, str(number))
    assert profile["phone"] == "312-555-0001"


def test_a_changed_person_in_a_later_extract_changes_the_intake_profile(gateway, statewide):
    """The weekly extract's changes reach customers already in intake (applied by one set-based update)."""
    first_number = fresh_individual_numbers(3)
    import_through_gateway(gateway, statewide, extract_csv(3, first_number))
    before = [profile_of(gateway, statewide, str(first_number + index)) for index in range(3)]
    run = import_through_gateway(gateway, statewide, extract_csv(3, first_number, changed=1.0, change_seed=5))
    assert (run["changed"], run["unchanged"]) == (3, 0)

    def changed_profiles():
        profiles = [profile_of(gateway, statewide, str(first_number + index)) for index in range(3)]
        return profiles if all(p["phone"].startswith("312-") for p in profiles) else None

    after = wait_until(changed_profiles, message="the changed phones in intake")
    assert [p["version"] for p in after] == [p["version"] + 1 for p in before]
    assert all(p["date_of_birth"] == b["date_of_birth"] and p["address_line1"] for p, b in zip(after, before, strict=True))


def ies_event(number: int, eligibility: str, as_of: datetime) -> Envelope:
    fields = person(0, 1, number) | {"snap_eligibility": eligibility, "as_of": as_of, "date_of_birth": date(1990, 1, 1)}
    fields.pop("snap_eligibility_status")
    payload = IesPersonChanged(**fields, is_new=True, changed_fields=["snap_eligibility"])
    return Envelope.wrap(payload, source="test", subject=str(number))


def test_event_delivered_twice_is_applied_once(gateway, statewide, infrastructure):
    number = fresh_individual_numbers(1)
    gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide)
    cid = profile_of(gateway, statewide, str(number))["id"]
    provider_location(gateway, statewide, "LOC-A")
    sent = send_referral(gateway, statewide, cid, "LOC-A").json()
    gateway.post(
        f"/api/customers/{cid}/referrals/1/accept",
        json={"version": sent["version"], "snap_et_eligible": True},
        headers=login(gateway, "provider.a"),
    ).raise_for_status()

    def activity(activity_id: str, code: str, name: str, status: ActivityStatus) -> bytes:
        payload = ActivityStatusChanged(
            customer_id=cid, activity_id=activity_id, activity_code=code, activity_name=name,
            kind=ActivityKind.SNAP_ET, location="LOC-A", status=status, effective_date=date.today(),
        )
        return Envelope.wrap(payload, source="test", subject=cid).model_dump_json().encode()

    started = activity("a-1", "JST", "Job Search Training", ActivityStatus.STARTED)
    finished = activity("a-1", "JST", "Job Search Training", ActivityStatus.SUCCESSFUL)
    key = cid.encode()
    produce(infrastructure, topics.CASEMGMT, [(key, started), (key, finished)])
    wait_until(lambda: profile_of(gateway, statewide, str(number))["et_status"] == "Inactive", message="Inactive")
    # "started" delivered again, then a new activity: same key, same partition, so consumed in this order.
    produce(infrastructure, topics.CASEMGMT, [(key, started), (key, activity("a-2", "VT", "Vocational Training", ActivityStatus.STARTED))])
    wait_until(lambda: profile_of(gateway, statewide, str(number))["et_status"] == "Active", message="Active again")
    history = [(h["status"], h["cause"]) for h in profile_of(gateway, statewide, str(number))["status_history"]]
    assert history[-3:] == [
        ("Active", "activity JST Started/Open"),
        ("Inactive", "activity JST Successful Completion"),
        ("Active", "activity VT Started/Open"),  # had the redelivery applied, JST would have reopened first
    ], history


def test_poison_message_goes_to_dead_letter_and_next_message_on_same_partition_is_processed(gateway, statewide, infrastructure):
    number = fresh_individual_numbers(2)
    key = str(number).encode()
    poison = b'{"this is": "not an event envelope"'
    # Another subject on the same partition (the poison's own subject is held behind it).
    produce(infrastructure, topics.IES_SYNC, [(str(number + 1).encode(), poison), (key, ies_event(number, "Yes", datetime(2026, 11, 1, tzinfo=UTC)).model_dump_json().encode())],
            partition=0)
    assert profile_of(gateway, statewide, str(number))["et_status"] == "IES Matched"
    dead = [r for r in read_all(infrastructure, topics.dead_letter("intake")) if r.value == poison]
    assert len(dead) == 1
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert headers["x-original-topic"] == topics.IES_SYNC
    assert headers["x-error"].startswith("undecodable event")


def test_event_committed_but_not_published_before_a_crash_arrives_after_restart(gateway, statewide, stack, infrastructure):
    stack.stop("ies_sync")
    stack.start("ies_sync", {"IES_SYNC_RELAY_ENABLED": "false"})
    number = fresh_individual_numbers(1)
    before = end_offsets(infrastructure, topics.IES_SYNC)
    response = gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide)
    assert response.json()["decision"] == "new"
    assert end_offsets(infrastructure, topics.IES_SYNC) == before  # committed to the outbox, never published
    stack.stop("ies_sync", kill=True)  # the process dies with the event still in its outbox
    stack.start("ies_sync")
    assert profile_of(gateway, statewide, str(number))["et_status"] == "IES Matched"


def test_provider_staff_cannot_call_an_admin_only_route(gateway):
    provider = login(gateway, "provider.a")
    response = gateway.post("/api/ies/imports", content=b"individual_number\n", headers=provider | {"Content-Type": "text/csv"})
    assert response.status_code == 403
    assert gateway.get("/api/ies/imports", headers=provider).status_code == 403


def test_provider_staff_do_not_see_unassigned_customers(gateway, statewide):
    number = fresh_individual_numbers(1)
    gateway.post("/api/ies/persons", json=person(0, 1, number), headers=statewide)
    customer = wait_until(lambda: find_customer(gateway, statewide, str(number)), message="customer")
    provider = login(gateway, "provider.a")
    assert find_customer(gateway, provider, str(number)) is None
    assert gateway.get(f"/api/customers/{customer['id']}", headers=provider).status_code == 404


