"""Rules of providers, locations and E&T program contracts, and of the recommended programs (pure domain)."""

from datetime import UTC, date, datetime

import pytest

from isets_contracts.events import LocationChanged, ProgramContractChanged, ProviderChanged
from isets_contracts.reference import ACTIVITY_CATALOGUE, ActivityCode, ActivityKind, ProgramOffering
from isets_kit.errors import Conflict, RuleViolation
from casemgmt.domain.providers import (
    Location,
    Program,
    ProgramContract,
    Provider,
    available_without_contract,
    fiscal_year_of,
    recommend,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def contract(**terms) -> ProgramContract:
    location = Location("LOC-A", "PRV-1", "Springfield", "Sangamon")
    defaults = {
        "contract_number": "C-1", "fiscal_year": 2027, "program_name": "Job Club",
        "offering": ProgramOffering.ONLY_JOB_PLACEMENT, "activities_offered": [ActivityCode.JOB_SEARCH_TRAINING],
    }
    return ProgramContract.sign("K-1", location, defaults | terms, "statewide", NOW)


@pytest.mark.parametrize(
    "day,fiscal_year",
    [(date(2023, 7, 1), 2024), (date(2024, 6, 30), 2024), (date(2024, 7, 1), 2025), (date(2026, 1, 15), 2026)],
)
def test_fiscal_year_runs_1_july_to_30_june_and_is_named_by_the_year_it_ends(day, fiscal_year):
    assert fiscal_year_of(day) == fiscal_year


def test_a_contract_covers_only_the_days_of_its_fiscal_year():
    fy2027 = contract(fiscal_year=2027)
    assert fy2027.covers(date(2026, 7, 1)) and fy2027.covers(date(2027, 6, 30))
    assert not fy2027.covers(date(2026, 6, 30)) and not fy2027.covers(date(2027, 7, 1))


@pytest.mark.parametrize("code", [a.code for a in ACTIVITY_CATALOGUE.values() if a.kind in (ActivityKind.SNAP_ET, ActivityKind.OTHER_ET)])
def test_a_contract_offers_snap_et_and_other_et_activities(code):
    assert contract(activities_offered=[code]).activities_offered == [code]


@pytest.mark.parametrize("code", [ActivityCode.TRANSPORTATION, ActivityCode.REFERRAL_HOUSING])
def test_a_contract_never_offers_support_services_or_referrals_to_services(code):
    with pytest.raises(RuleViolation) as refused:
        contract(activities_offered=[ActivityCode.JOB_SEARCH_TRAINING, code])
    assert refused.value.field == "activities_offered" and code.value in refused.value.rule
    with pytest.raises(RuleViolation):
        contract().edit({"activities_offered": [code]}, 1, "statewide", NOW)


def test_support_services_and_referrals_to_services_are_available_without_a_contract():
    available = {code for code in ActivityCode if available_without_contract(code)}
    expected = {a.code for a in ACTIVITY_CATALOGUE.values() if a.kind in (ActivityKind.SUPPORT_SERVICE, ActivityKind.REFERRAL_TO_SERVICE)}
    assert available == expected and ActivityCode.JOB_SEARCH_TRAINING not in available


def test_a_contract_offers_each_activity_once_and_keeps_skills_and_interests_once_ignoring_case():
    signed = contract(
        activities_offered=[ActivityCode.JOB_SEARCH_TRAINING, ActivityCode.JOB_SEARCH_TRAINING, ActivityCode.EMPLOYMENT],
        skills=["Welding", "welding ", " ", "Forklift"], interests=["Health care", "HEALTH CARE"],
    )
    assert signed.activities_offered == [ActivityCode.JOB_SEARCH_TRAINING, ActivityCode.EMPLOYMENT]
    assert signed.skills == ["Welding", "Forklift"] and signed.interests == ["Health care"]


def test_a_stale_version_is_refused_with_a_conflict():
    signed = contract()
    signed.edit({"schedule": "Mon-Fri 9-12"}, 1, "statewide", NOW)
    with pytest.raises(Conflict) as stale:
        signed.edit({"schedule": "Mon-Wed"}, 1, "statewide", NOW)
    assert stale.value.field == "version" and signed.schedule == "Mon-Fri 9-12"
    location = Location("LOC-A", "PRV-1", "Springfield", "Sangamon", version=3)
    with pytest.raises(Conflict):
        location.edit({"open": False}, 2)
    with pytest.raises(Conflict):
        Provider("PRV-1", "Acme", version=2).rename("Acme Inc.", 1)


def test_every_change_announces_the_record_and_an_unchanged_edit_announces_nothing():
    provider = Provider.register("PRV-1", "Acme")
    provider.rename("Acme Inc.", 1)
    provider.rename("Acme Inc.", 2)
    assert provider.pending_events == [ProviderChanged(provider_id="PRV-1", name="Acme"), ProviderChanged(provider_id="PRV-1", name="Acme Inc.")]
    assert provider.version == 2
    signed = contract()
    assert signed.edit({"schedule": ""}, 1, "statewide", NOW) == []
    assert signed.edit({"skills": ["Welding"]}, 1, "manager", NOW) == ["skills"]
    assert [type(e) for e in signed.pending_events] == [ProgramContractChanged, ProgramContractChanged]
    assert (signed.version, signed.updated_by) == (2, "manager")


def test_closing_a_location_announces_it_closed():
    location = Location.create("LOC-A", Provider("PRV-1", "Acme"), "Springfield", "Sangamon")
    assert location.edit({"open": False, "name": "Springfield"}, 1) == ["open"]
    assert location.pending_events[-1] == LocationChanged(
        location_id="LOC-A", provider_id="PRV-1", name="Springfield", county="Sangamon", open=False
    )


def program(contract_id: str, provider: str, county: str, skills=(), interests=(), location: str = "Main") -> Program:
    return Program(contract_id, "Program", provider, f"LOC-{contract_id}", location, county, list(skills), list(interests))


def test_recommended_programs_rank_matching_skills_and_interests_first_then_same_county_then_name():
    programs = [
        program("1", "Zeta", "Cook"),
        program("2", "Alpha", "Cook"),
        program("3", "Beta", "Sangamon"),
        program("4", "Gamma", "Cook", skills=["Welding"], interests=["Health care"]),
        program("5", "Delta", "Cook", skills=["welding"]),
        program("6", "Omega", "Sangamon", interests=["Health Care"]),
    ]
    ranked = recommend(programs, ["WELDING", "forklift"], ["health care"], "sangamon")
    assert [r.program.contract_id for r in ranked] == ["4", "6", "5", "3", "2", "1"]
    assert ranked[0].matching_skills == ["Welding"] and ranked[0].matching_interests == ["Health care"]
    assert [r.same_county for r in ranked] == [False, True, False, True, False, False]


def test_without_a_county_programs_rank_by_matches_then_name():
    ranked = recommend([program("1", "Beta", "Cook"), program("2", "Alpha", "Cook")], [], [], None)
    assert [r.program.provider_name for r in ranked] == ["Alpha", "Beta"]
