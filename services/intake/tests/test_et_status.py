"""The E&T status rules of DOMAIN.md §2, one test per rule, plus a property test over random fact sequences."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.intake.tests.factories import NOW, activity, customer, enrolled, exit_from
from isets_contracts.events import EtStatusChanged
from isets_contracts.reference import ActivityStatus, EtStatus, Program
from isets_kit.errors import RuleViolation

STARTED, DONE = ActivityStatus.STARTED, ActivityStatus.SUCCESSFUL


def test_initial_universal_assessment_completed_sets_initial_assessment_complete():
    c = customer()
    c.edit_profile({"initial_assessment_date": date(2026, 11, 20)}, c.version, "staff", NOW)
    assert c.et_status is EtStatus.INITIAL_ASSESSMENT_COMPLETE


def test_referral_sent_sets_pending_referral_approval():
    c = customer()
    c.send_referral("LOC-A", "FCRC", Program.SNAP_JP, "statewide", NOW)
    assert c.et_status is EtStatus.PENDING_REFERRAL_APPROVAL


def test_referral_rejected_with_no_other_pending_or_accepted_sets_referral_rejected():
    c = customer()
    c.send_referral("LOC-A", "FCRC", Program.SNAP_JP, "statewide", NOW)
    c.reject_referral(1, c.referral(1).version, "no capacity", "staff", NOW)
    assert c.et_status is EtStatus.REFERRAL_REJECTED


def test_referral_rejected_while_another_is_pending_stays_pending_referral_approval():
    c = customer()
    c.send_referral("LOC-A", "FCRC", Program.SNAP_JP, "statewide", NOW)
    c.send_referral("LOC-B", "FCRC", Program.SNAP_JP, "statewide", NOW)
    c.reject_referral(1, c.referral(1).version, "no capacity", "staff", NOW)
    assert c.et_status is EtStatus.PENDING_REFERRAL_APPROVAL


def test_referral_accepted_without_open_snap_activity_sets_pending_activity_start_date():
    assert enrolled().et_status is EtStatus.PENDING_ACTIVITY_START_DATE


def test_snap_et_activity_started_sets_active():
    c = enrolled()
    c.record_activity_status(activity(STARTED), NOW)
    assert c.et_status is EtStatus.ACTIVE


def test_customer_is_active_only_while_at_least_one_snap_et_activity_is_open():
    c = enrolled()
    c.record_activity_status(activity(STARTED, "a-1"), NOW)
    c.record_activity_status(activity(STARTED, "a-2", "VT"), NOW)
    c.record_activity_status(activity(DONE, "a-1"), NOW)
    assert c.et_status is EtStatus.ACTIVE
    c.record_activity_status(activity(DONE, "a-2", "VT"), NOW)
    assert c.et_status is EtStatus.INACTIVE


def test_other_et_activity_or_support_service_does_not_make_a_customer_active():
    c = enrolled()
    c.record_activity_status(activity(STARTED, "a-1", "E"), NOW)
    c.record_activity_status(activity(STARTED, "a-2", "SS-TRANSPORT"), NOW)
    assert c.et_status is EtStatus.PENDING_ACTIVITY_START_DATE


def test_was_active_now_no_snap_activity_open_and_not_exited_is_inactive():
    c = enrolled()
    c.record_activity_status(activity(STARTED), NOW)
    c.record_activity_status(activity(ActivityStatus.UNSUCCESSFUL), NOW)
    assert c.et_status is EtStatus.INACTIVE


def test_exited_from_every_provider_while_retention_is_tracked_is_retention():
    c = enrolled()
    c.record_activity_status(activity(STARTED), NOW)
    c.record_exit(exit_from(retention_tracked=True), NOW)
    assert c.et_status is EtStatus.RETENTION


def test_exited_from_every_provider_without_retention_is_exited():
    c = enrolled()
    c.record_activity_status(activity(STARTED), NOW)
    c.record_activity_status(activity(DONE), NOW)
    c.record_exit(exit_from(), NOW)
    assert c.et_status is EtStatus.EXITED


def test_accepted_but_exited_without_ever_an_open_activity_is_never_active():
    c = enrolled()
    c.record_exit(exit_from(), NOW)
    assert c.et_status is EtStatus.NEVER_ACTIVE


def test_exit_by_one_of_two_providers_keeps_the_customer_with_the_other():
    c = enrolled("LOC-A")
    c.send_referral("LOC-B", "LOC-A", Program.SNAP_JP, "staff", NOW)
    c.accept_referral(2, c.referral(2).version, True, "staff-b", NOW)
    c.record_activity_status(activity(STARTED, location="LOC-B"), NOW)
    c.record_exit(exit_from("LOC-A"), NOW)
    assert c.et_status is EtStatus.ACTIVE and c.current_locations == ["LOC-B"]


def test_wait_list_and_not_enrolled_are_set_by_staff_and_hold_until_a_fact_changes():
    c = enrolled()
    c.set_staff_status(EtStatus.WAIT_LIST, "staff", NOW)
    assert c.et_status is EtStatus.WAIT_LIST
    c.set_level_of_progress(None, "staff")
    c.record_activity_status(activity(STARTED), NOW)
    assert c.et_status is EtStatus.ACTIVE


def test_staff_may_not_set_an_automatic_status():
    with pytest.raises(RuleViolation, match="staff may set only"):
        enrolled().set_staff_status(EtStatus.ACTIVE, "staff", NOW)


def test_staff_may_not_put_an_active_customer_on_the_wait_list():
    c = enrolled()
    c.record_activity_status(activity(STARTED), NOW)
    with pytest.raises(RuleViolation, match="Active"):
        c.set_staff_status(EtStatus.WAIT_LIST, "staff", NOW)


def test_every_status_change_leaves_a_history_row_and_an_event():
    c = enrolled()
    c.record_activity_status(activity(STARTED), NOW)
    assert [h.status for h in c.status_history] == [
        EtStatus.IES_MATCHED, EtStatus.PENDING_REFERRAL_APPROVAL, EtStatus.PENDING_ACTIVITY_START_DATE, EtStatus.ACTIVE
    ]
    assert all(h.cause and h.effective_date == NOW.date() for h in c.status_history)
    changes = [e for e in c.pending_events if isinstance(e, EtStatusChanged)]
    assert [(e.previous_status, e.status) for e in changes][-1] == (EtStatus.PENDING_ACTIVITY_START_DATE, EtStatus.ACTIVE)


# --- property: the status always equals what the rules derive from the facts so far -----------------
LOCATIONS = ("LOC-A", "LOC-B")
ACTIVITY_CODES = {"a1": "JST", "a2": "VT", "a3": "E"}  # an activity keeps its code; E is not a SNAP E&T activity
facts = st.lists(
    st.one_of(
        st.tuples(st.just("assess")),
        st.tuples(st.just("refer"), st.sampled_from(LOCATIONS)),
        st.tuples(st.just("accept"), st.sampled_from(LOCATIONS)),
        st.tuples(st.just("reject"), st.sampled_from(LOCATIONS)),
        st.tuples(st.just("start"), st.sampled_from(sorted(ACTIVITY_CODES)), st.sampled_from(LOCATIONS)),
        st.tuples(st.just("close"), st.sampled_from(["a1", "a2", "a3"])),
        st.tuples(st.just("exit"), st.sampled_from(LOCATIONS), st.booleans()),
    ),
    max_size=25,
)


def expected_status(log: list[tuple]) -> EtStatus:
    """The rules of DOMAIN.md §2 read straight off the fact log (independent of the aggregate's bookkeeping)."""
    referral_state: dict[str, str] = {}  # location -> pending / accepted / rejected, latest referral per location
    stays: list[dict] = []  # one per acceptance
    open_snap: dict[str, str] = {}  # activity id -> location
    assessed = False
    for fact in log:
        kind = fact[0]
        if kind == "assess":
            assessed = True
        elif kind == "refer":
            referral_state[fact[1]] = "pending"
        elif kind in ("accept", "reject"):
            referral_state[fact[1]] = "accepted" if kind == "accept" else "rejected"
            if kind == "accept":
                stays.append({"location": fact[1], "active": False, "exited": False, "retention": False})
        elif kind == "start":
            _, activity_id, location = fact
            if ACTIVITY_CODES[activity_id] != "E":
                open_snap[activity_id] = location
                current = [s for s in stays if not s["exited"]]
                for stay in [s for s in current if s["location"] == location] or current:
                    stay["active"] = True
        elif kind == "close":
            open_snap.pop(fact[1], None)
        elif kind == "exit":
            for stay in stays:
                if stay["location"] == fact[1] and not stay["exited"]:
                    stay.update(exited=True, retention=fact[2])
            open_snap = {a: loc for a, loc in open_snap.items() if loc != fact[1]}
    current = [s for s in stays if not s["exited"]]
    rules = [
        (lambda: bool(open_snap), EtStatus.ACTIVE),
        (lambda: current and any(s["active"] for s in current), EtStatus.INACTIVE),
        (lambda: bool(current), EtStatus.PENDING_ACTIVITY_START_DATE),
        (lambda: "pending" in referral_state.values(), EtStatus.PENDING_REFERRAL_APPROVAL),
        (lambda: stays and any(s["retention"] for s in stays), EtStatus.RETENTION),
        (lambda: stays and not any(s["active"] for s in stays), EtStatus.NEVER_ACTIVE),
        (lambda: bool(stays), EtStatus.EXITED),
        (lambda: "rejected" in referral_state.values(), EtStatus.REFERRAL_REJECTED),
        (lambda: assessed, EtStatus.INITIAL_ASSESSMENT_COMPLETE),
    ]
    return next((status for holds, status in rules if holds()), EtStatus.IES_MATCHED)


def apply(c, fact: tuple) -> bool:
    """Apply one fact through the aggregate; returns False when the aggregate refuses it (then it did not happen)."""
    kind = fact[0]
    try:
        if kind == "assess":
            c.edit_profile({"initial_assessment_date": date(2026, 11, 1)}, c.version, "staff", NOW)
        elif kind == "refer":
            c.send_referral(fact[1], "FCRC", Program.SNAP_JP, "staff", NOW)
        elif kind in ("accept", "reject"):
            pending = [r for r in c.referrals if r.referred_to == fact[1] and r.response == "Pending"]
            if not pending:
                return False
            if kind == "accept":
                c.accept_referral(pending[0].number, pending[0].version, True, "staff", NOW)
            else:
                c.reject_referral(pending[0].number, pending[0].version, "full", "staff", NOW)
        elif kind == "start":
            _, activity_id, location = fact
            c.record_activity_status(activity(STARTED, activity_id, ACTIVITY_CODES[activity_id], location), NOW)
        elif kind == "close":
            c.record_activity_status(activity(DONE, fact[1], ACTIVITY_CODES[fact[1]]), NOW)
        elif kind == "exit":
            if not any(e.location == fact[1] and e.exited_on is None for e in c.enrollments):
                return False
            c.record_exit(exit_from(fact[1], fact[2]), NOW)
    except RuleViolation:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(facts)
def test_status_always_equals_what_the_rules_derive_from_the_facts_so_far(sequence):
    c = customer()
    log: list[tuple] = []
    for fact in sequence:
        if apply(c, fact):
            log.append(fact)
        assert c.et_status is expected_status(log), f"after {log}"
        assert c.status_history[-1].status is c.et_status


def test_resending_a_referral_to_a_location_the_customer_is_enrolled_with_is_refused():
    c = customer()
    c.send_referral("LOC-B", "FCRC", Program.SNAP_JP, "staff", NOW)
    c.reject_referral(1, c.referral(1).version, "full", "staff", NOW)
    c.send_referral("LOC-B", "FCRC", Program.SNAP_JP, "staff", NOW)
    c.accept_referral(2, c.referral(2).version, True, "staff", NOW)
    with pytest.raises(RuleViolation, match="already enrolled with LOC-B"):
        c.resend_referral(1, c.referral(1).version, "staff", NOW)
    assert c.current_locations == ["LOC-B"]
