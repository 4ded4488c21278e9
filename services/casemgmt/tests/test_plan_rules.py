"""The plan's rules (DOMAIN.md §4), one test per rule, on the pure domain."""

from datetime import date
from decimal import Decimal

import pytest

from isets_contracts.reference import ActivityCode, ActivityStatus, GoalCategory, GoalStatus, GoalTerm, PlanAgreement, Role
from isets_kit.errors import Conflict, Forbidden, RuleViolation
from casemgmt.domain import activities as rules
from casemgmt.domain import plan
from casemgmt.domain.activities import Activity, ServiceProvider

SNAP_ET = {ActivityCode.JOB_SEARCH_TRAINING, ActivityCode.COMMUNITY_WORKFARE}


def activity(code=ActivityCode.JOB_SEARCH_TRAINING, status=ActivityStatus.PLANNED, **fields) -> Activity:
    return Activity(f"a-{code.value}-{status.name}", "c-1", code, "LOC-A", status=status, **fields)


def started(code=ActivityCode.JOB_SEARCH_TRAINING) -> Activity:
    return activity(code, ActivityStatus.STARTED, goal_id="g-1", ever_started=True)


def test_goal_required_before_start():
    with pytest.raises(RuleViolation) as refused:
        rules.check_activity(activity(status=ActivityStatus.STARTED), [], activity())
    assert refused.value.field == "goal_id"
    assert rules.check_activity(activity(status=ActivityStatus.STARTED, goal_id="g-1"), [], activity()).ever_started


def test_support_services_need_an_open_snap_et_activity_to_be_added_or_started():
    with pytest.raises(RuleViolation, match="needs a SNAP E&T activity Started/Open"):
        rules.check_addable(ActivityCode.TRANSPORTATION, SNAP_ET, [activity()])
    rules.check_addable(ActivityCode.TRANSPORTATION, SNAP_ET, [started()])
    planned = activity(ActivityCode.TRANSPORTATION, goal_id="g-1")
    with pytest.raises(RuleViolation, match="only while a SNAP E&T activity is Started/Open"):
        rules.check_activity(activity(ActivityCode.TRANSPORTATION, ActivityStatus.STARTED, goal_id="g-1"), [activity()], planned)


def test_other_et_activities_need_an_open_snap_et_activity():
    with pytest.raises(RuleViolation, match="Other E&T activity needs a SNAP E&T activity Started/Open"):
        rules.check_addable(ActivityCode.COMMUNITY_SERVICE, {ActivityCode.COMMUNITY_SERVICE}, [])
    rules.check_addable(ActivityCode.COMMUNITY_SERVICE, {ActivityCode.COMMUNITY_SERVICE}, [started()])


def test_an_open_other_et_activity_does_not_open_the_way_for_support_services():
    with pytest.raises(RuleViolation):
        rules.check_addable(ActivityCode.TRANSPORTATION, SNAP_ET, [started(ActivityCode.COMMUNITY_SERVICE)])


def test_only_activities_the_locations_contract_offers_can_be_added_support_services_and_referrals_always():
    with pytest.raises(RuleViolation, match="not offered"):
        rules.check_addable(ActivityCode.VOCATIONAL_TRAINING, SNAP_ET, [])
    rules.check_addable(ActivityCode.JOB_SEARCH_TRAINING, SNAP_ET, [])
    rules.check_addable(ActivityCode.REFERRAL_HOUSING, set(), [])
    rules.check_addable(ActivityCode.HOUSING, set(), [started()])


def test_evaluated_not_required_means_start_is_the_planned_due_date_and_no_weekly_hours():
    evaluated = rules.check_activity(
        activity(status=ActivityStatus.EVALUATED_NOT_REQUIRED, planned_start=date(2026, 11, 2),
                 planned_completion=date(2026, 12, 1), weekly_hours=Decimal(10)),
        [], activity(),
    )
    assert evaluated.planned_start == date(2026, 12, 1) and evaluated.weekly_hours == 0


def test_one_open_support_service_per_type():
    second = activity(ActivityCode.TRANSPORTATION, ActivityStatus.STARTED, goal_id="g-1")
    open_one = started(ActivityCode.TRANSPORTATION)
    with pytest.raises(Conflict, match="already open"):
        rules.check_activity(second, [started(), open_one], None)
    rules.check_activity(second, [started(), started(ActivityCode.CLOTHING)], None)


def test_completion_date_required_when_completed():
    with pytest.raises(RuleViolation) as refused:
        rules.check_activity(activity(status=ActivityStatus.SUCCESSFUL, goal_id="g-1"), [], started())
    assert refused.value.field == "actual_completion"
    rules.check_activity(activity(status=ActivityStatus.UNSUCCESSFUL, goal_id="g-1", actual_completion=date(2026, 11, 20)), [], started())


def test_completed_activities_keep_their_dates():
    done = activity(status=ActivityStatus.SUCCESSFUL, goal_id="g-1", planned_start=date(2026, 11, 2),
                    actual_completion=date(2026, 11, 20), ever_started=True)
    for changed in ({"planned_start": date(2026, 11, 3)}, {"actual_completion": None}, {"planned_completion": date(2027, 1, 1)}):
        with pytest.raises(Conflict, match="keeps its dates"):
            rules.check_activity(Activity(**vars(done) | changed), [], done)
    with pytest.raises(Conflict, match="stays completed"):
        rules.check_activity(Activity(**vars(done) | {"status": ActivityStatus.STARTED}), [], done)
    rules.check_activity(Activity(**vars(done) | {"notes": "went well"}), [], done)
    rules.check_activity(Activity(**vars(done) | {"status": ActivityStatus.UNSUCCESSFUL}), [], done)


def test_only_never_started_activities_can_be_deleted():
    rules.check_deletable(activity())
    with pytest.raises(Conflict):
        rules.check_deletable(started())
    with pytest.raises(Conflict):
        rules.check_deletable(activity(ever_started=True))  # e.g. completed


def test_an_activity_that_started_cannot_go_back_to_planned():
    with pytest.raises(Conflict) as refused:
        rules.check_activity(activity(goal_id="g-1", ever_started=True), [], started())
    assert refused.value.field == "status"


def test_an_other_provider_needs_a_name_and_an_address():
    with pytest.raises(RuleViolation) as refused:
        rules.check_activity(activity(service_provider=ServiceProvider.OTHER, provider_name="Acme"), [], None)
    assert refused.value.field == "provider_name"
    rules.check_activity(
        activity(service_provider=ServiceProvider.OTHER, provider_name="Acme", provider_address="1 Main St"), [], None
    )


def test_wioa_funded_is_always_no():
    assert activity().wioa_funded is False


def test_employment_of_20_hours_a_week_or_more_is_job_retention_below_is_employment():
    assert rules.employment_activity_code(Decimal(20)) is ActivityCode.JOB_RETENTION
    assert rules.employment_activity_code(Decimal("19.99")) is ActivityCode.EMPLOYMENT


def test_a_goal_added_or_marked_off_track_needs_the_customers_agreement():
    goal = plan.Goal("g-1", "c-1", "Get a CDL", GoalCategory.CAREER_PLAN, GoalTerm.SHORT_TERM)
    assert plan.needs_agreement(None, goal)
    off_track = plan.Goal(**vars(goal) | {"status": GoalStatus.OFF_TRACK})
    assert plan.needs_agreement(goal, off_track)
    assert not plan.needs_agreement(off_track, off_track)
    assert not plan.needs_agreement(goal, plan.Goal(**vars(goal) | {"status": GoalStatus.ON_TRACK}))


def test_goal_statement_at_most_144_characters():
    plan.check_statement("x" * 144)
    with pytest.raises(RuleViolation):
        plan.check_statement("x" * 145)


def test_a_goals_dates_are_its_activities_earliest_start_and_latest_planned_due():
    assert plan.goal_dates([date(2026, 11, 9), None, date(2026, 11, 2)], [date(2026, 12, 1), date(2027, 1, 5), None]) == (
        date(2026, 11, 2), date(2027, 1, 5)
    )
    assert plan.goal_dates([], []) == (None, None)


def test_the_customer_agrees_staff_record_could_not_be_reached_only_while_pending():
    assert plan.agreement_by(Role.CUSTOMER, PlanAgreement.AGREED, PlanAgreement.PENDING) is PlanAgreement.AGREED
    assert plan.agreement_by(Role.PROVIDER_PARTNER, PlanAgreement.NOT_REACHED, PlanAgreement.PENDING) is PlanAgreement.NOT_REACHED
    with pytest.raises(Forbidden):
        plan.agreement_by(Role.CUSTOMER, PlanAgreement.NOT_REACHED, PlanAgreement.PENDING)
    with pytest.raises(RuleViolation):
        plan.agreement_by(Role.PROVIDER_PARTNER, PlanAgreement.AGREED, PlanAgreement.PENDING)
    with pytest.raises(Conflict):
        plan.agreement_by(Role.CUSTOMER, PlanAgreement.AGREED, PlanAgreement.AGREED)


def test_a_signed_copy_is_a_pdf_png_or_jpeg_of_at_most_5_mb():
    plan.check_signed_copy("application/pdf", 5 * 1024 * 1024)
    with pytest.raises(plan.FileTooLarge):
        plan.check_signed_copy("image/png", 5 * 1024 * 1024 + 1)
    with pytest.raises(plan.UnsupportedFileType):
        plan.check_signed_copy("image/gif", 10)
