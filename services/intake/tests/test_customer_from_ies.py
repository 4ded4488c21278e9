from datetime import UTC, datetime, timedelta

from services.intake.tests.factories import NOW, ies_person
from isets_contracts.events import CustomerRegistered, EtStatusChanged, ProfileChanged
from isets_contracts.reference import EtStatus, SnapEligibility
from intake.domain.customer import Customer

def test_ies_record_matched_by_individual_number_sets_status_ies_matched_with_history():
    customer = Customer.register_from_ies("c-1", ies_person(), NOW)
    assert customer.et_status is EtStatus.IES_MATCHED
    assert [(h.status, h.effective_date, h.cause) for h in customer.status_history] == [
        (EtStatus.IES_MATCHED, NOW.date(), "IES record matched by individual number")
    ]
    assert [type(e) for e in customer.pending_events] == [CustomerRegistered, EtStatusChanged]


def test_the_registration_announces_the_customers_county_for_casemgmts_recommended_providers():
    customer = Customer.register_from_ies("c-1", ies_person(county="Peoria"), NOW)
    assert customer.pending_events[0].county == "Peoria"


def test_snap_eligibility_change_is_kept_as_history():
    customer = Customer.register_from_ies("c-1", ies_person(), NOW)
    later = datetime(2026, 11, 9, tzinfo=UTC)
    changed = customer.apply_ies(ies_person(snap_eligibility=SnapEligibility.NO, as_of=later))
    assert changed == ["snap_eligibility"]
    assert [(h.status, h.as_of) for h in customer.eligibility_history] == [
        (SnapEligibility.YES, datetime(2026, 11, 2, tzinfo=UTC)),
        (SnapEligibility.NO, later),
    ]


def test_ies_update_changes_only_ies_fields_and_announces_them():
    customer = Customer.register_from_ies("c-1", ies_person(), NOW)
    customer.pending_events.clear()
    changed = customer.apply_ies(ies_person(phone="312-555-0101", as_of=NOW - timedelta(days=1)))
    assert changed == ["phone"] and customer.phone == "312-555-0101"
    assert customer.version == 2
    assert customer.pending_events == [ProfileChanged(customer_id="c-1", changed_fields=["phone"], cause="IES sync")]


def test_ies_update_without_changes_leaves_the_record_alone():
    customer = Customer.register_from_ies("c-1", ies_person(), NOW)
    customer.pending_events.clear()
    assert customer.apply_ies(ies_person()) == []
    assert customer.version == 1 and customer.pending_events == []


def test_new_snap_case_number_from_ies_replaces_the_staff_edited_one():
    customer = Customer.register_from_ies("c-1", ies_person(), NOW)
    customer.snap_case_number = "typed-by-staff"
    assert customer.apply_ies(ies_person(snap_case_number="SC-2")) == ["snap_case_number"]
    assert customer.snap_case_number == customer.ies_snap_case_number == "SC-2"


def test_ies_version_older_than_the_one_applied_changes_nothing():
    customer = Customer.register_from_ies("c-1", ies_person(as_of=datetime(2026, 11, 9, tzinfo=UTC)), NOW)
    customer.pending_events.clear()
    assert customer.apply_ies(ies_person(phone="000", as_of=datetime(2026, 11, 2, tzinfo=UTC))) == []
    assert customer.phone is None and customer.pending_events == []
