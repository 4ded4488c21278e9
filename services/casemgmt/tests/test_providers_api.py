"""Providers, locations and program contracts through casemgmt's API: who may maintain them, what every
signed-in user reads, the events every change publishes, the activities a location offers on a day, and
the programs recommended to a customer."""

from datetime import date

import pytest

from isets_contracts.events import CustomerRegistered
from isets_contracts.reference import ActivityCode, Role
from isets_kit.testing import auth_headers, outbox_events
from casemgmt.domain.providers import fiscal_year_of
from casemgmt.views.providers import activities_offered
from services.casemgmt.tests.api_fixtures import STATEWIDE, apply_event, enrol, make_client, register

MANAGER_A = auth_headers(Role.PROGRAM_MANAGER, "LOC-A")
THIS_FY = fiscal_year_of(date.today())


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path) as test_client:
        yield test_client


def provider(client, name: str = "Acme Workforce") -> dict:
    created = client.post("/providers", json={"name": name}, headers=STATEWIDE)
    assert created.status_code == 201, created.text
    return created.json()


def location(client, provider_id: str, location_id: str = "LOC-A", county: str = "Sangamon", name: str | None = None) -> dict:
    body = {"id": location_id, "name": name or f"{location_id} office", "county": county, "address": "1 Main St"}
    created = client.post(f"/providers/{provider_id}/locations", json=body, headers=STATEWIDE)
    assert created.status_code == 201, created.text
    return created.json()


def signed_contract(client, location_id: str = "LOC-A", **terms) -> dict:
    body = {
        "location_id": location_id, "contract_number": "ET-27-001", "fiscal_year": THIS_FY, "program_name": "Job Club",
        "offering": "Only Job Placement Services", "activities_offered": ["JST", "SJS"], "schedule": "Mon-Fri 9:00-12:00",
        "skills": ["Customer service"], "interests": ["Retail"],
    } | terms
    created = client.post("/program-contracts", json=body, headers=STATEWIDE)
    assert created.status_code == 201, created.text
    return created.json()


def test_statewide_staff_register_a_provider_open_a_location_and_sign_a_contract(client):
    acme = provider(client)
    loc = location(client, acme["id"])
    assert loc == {
        "id": "LOC-A", "provider_id": acme["id"], "provider_name": "Acme Workforce", "name": "LOC-A office",
        "county": "Sangamon", "address": "1 Main St", "open": True, "version": 1,
    }
    contract = signed_contract(client)
    assert contract["provider_id"] == acme["id"] and contract["activities_offered"] == ["JST", "SJS"]
    assert contract["updated_by"] == "statewide-user" and contract["version"] == 1
    assert client.get(f"/program-contracts/{contract['id']}", headers=STATEWIDE).json() == contract


def test_every_change_publishes_an_event_whose_subject_is_the_changed_record(client):
    acme = provider(client)
    location(client, acme["id"])
    contract = signed_contract(client)
    client.patch(f"/providers/{acme['id']}", json={"version": 1, "name": "Acme Inc."}, headers=STATEWIDE).raise_for_status()
    client.patch("/locations/LOC-A", json={"version": 1, "open": False}, headers=STATEWIDE).raise_for_status()
    client.patch(f"/program-contracts/{contract['id']}", json={"version": 1, "schedule": "Tue"}, headers=STATEWIDE).raise_for_status()
    published = [(e["type"], e["subject"]) for e in outbox_events(client)]
    assert published == [
        ("casemgmt.provider.changed", acme["id"]),
        ("casemgmt.location.changed", "LOC-A"),
        ("casemgmt.program_contract.changed", contract["id"]),
        ("casemgmt.provider.changed", acme["id"]),
        ("casemgmt.location.changed", "LOC-A"),
        ("casemgmt.program_contract.changed", contract["id"]),
    ]
    closed = outbox_events(client, "casemgmt.location.changed")[-1]["data"]
    assert closed == {"location_id": "LOC-A", "provider_id": acme["id"], "name": "LOC-A office", "county": "Sangamon", "open": False}


@pytest.mark.parametrize("role", [Role.PROGRAM_MANAGER, Role.PROVIDER_PARTNER, Role.PROVIDER_MANAGER, Role.IDHS_ADMIN, Role.CUSTOMER])
def test_only_statewide_staff_maintain_providers_locations_and_sign_contracts(client, role):
    acme = provider(client)
    location(client, acme["id"])
    other = auth_headers(role, "LOC-A", customer_id="c-1" if role == Role.CUSTOMER else None)
    assert client.post("/providers", json={"name": "X"}, headers=other).status_code == 403
    assert client.patch(f"/providers/{acme['id']}", json={"version": 1, "name": "X"}, headers=other).status_code == 403
    body = {"id": "LOC-B", "name": "B", "county": "Cook"}
    assert client.post(f"/providers/{acme['id']}/locations", json=body, headers=other).status_code == 403
    assert client.patch("/locations/LOC-A", json={"version": 1, "open": False}, headers=other).status_code == 403
    terms = {"location_id": "LOC-A", "contract_number": "C", "fiscal_year": THIS_FY, "program_name": "P", "offering": "None of the above"}
    assert client.post("/program-contracts", json=terms, headers=other).status_code == 403
    assert outbox_events(client, "casemgmt.program_contract.changed") == []


def test_a_program_manager_edits_schedule_skills_interests_and_activities_of_their_own_locations_contracts(client):
    acme = provider(client)
    location(client, acme["id"], "LOC-A")
    location(client, acme["id"], "LOC-B")
    mine, theirs = signed_contract(client, "LOC-A"), signed_contract(client, "LOC-B")
    edit = {"version": 1, "schedule": "Evenings", "skills": ["Forklift"], "interests": ["Logistics"], "activities_offered": ["VT"]}
    edited = client.patch(f"/program-contracts/{mine['id']}", json=edit, headers=MANAGER_A)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["schedule"], edited.json()["activities_offered"], edited.json()["updated_by"]) == (
        "Evenings", ["VT"], "program_manager-user"
    )
    foreign = client.patch(f"/program-contracts/{theirs['id']}", json=edit, headers=MANAGER_A)
    assert foreign.status_code == 403 and foreign.json()["detail"][0]["field"] == "location_id"


@pytest.mark.parametrize("field,value", [("contract_number", "X-1"), ("fiscal_year", 2030), ("program_name", "New"), ("offering", "None of the above")])
def test_a_program_manager_may_not_change_the_contract_terms_statewide_staff_set(client, field, value):
    location(client, provider(client)["id"])
    contract = signed_contract(client)
    refused = client.patch(f"/program-contracts/{contract['id']}", json={"version": 1, field: value}, headers=MANAGER_A)
    assert refused.status_code == 403 and refused.json()["detail"][0]["field"] == field


@pytest.mark.parametrize("role", [Role.PROVIDER_PARTNER, Role.PROVIDER_MANAGER, Role.INTERMEDIARY, Role.CUSTOMER])
def test_other_roles_may_not_edit_a_contract(client, role):
    location(client, provider(client)["id"])
    contract = signed_contract(client)
    headers = auth_headers(role, "LOC-A", customer_id="c-1" if role == Role.CUSTOMER else None)
    assert client.patch(f"/program-contracts/{contract['id']}", json={"version": 1, "schedule": "x"}, headers=headers).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_everyone_signed_in_reads_providers_locations_and_contracts(client, role):
    acme = provider(client)
    location(client, acme["id"])
    contract = signed_contract(client)
    headers = auth_headers(role, "LOC-B", customer_id="c-9" if role == Role.CUSTOMER else None)
    for path in ("/providers", f"/providers/{acme['id']}", "/locations", "/locations/LOC-A", "/program-contracts",
                 f"/program-contracts/{contract['id']}"):
        assert client.get(path, headers=headers).status_code == 200, path
    assert client.get("/locations").status_code == 401


def test_a_stale_version_answers_409(client):
    acme = provider(client)
    location(client, acme["id"])
    contract = signed_contract(client)
    client.patch(f"/program-contracts/{contract['id']}", json={"version": 1, "schedule": "Tue"}, headers=STATEWIDE).raise_for_status()
    stale = client.patch(f"/program-contracts/{contract['id']}", json={"version": 1, "schedule": "Wed"}, headers=STATEWIDE)
    assert stale.status_code == 409 and stale.json()["detail"][0]["field"] == "version"
    assert client.get(f"/program-contracts/{contract['id']}", headers=STATEWIDE).json()["schedule"] == "Tue"
    client.patch("/locations/LOC-A", json={"version": 1, "name": "Renamed"}, headers=STATEWIDE).raise_for_status()
    assert client.patch("/locations/LOC-A", json={"version": 1, "open": False}, headers=STATEWIDE).status_code == 409
    client.patch(f"/providers/{acme['id']}", json={"version": 1, "name": "Acme Inc."}, headers=STATEWIDE).raise_for_status()
    assert client.patch(f"/providers/{acme['id']}", json={"version": 1, "name": "Acme"}, headers=STATEWIDE).status_code == 409


def test_a_support_service_or_referral_in_activities_offered_answers_422_naming_the_field(client):
    location(client, provider(client)["id"])
    body = {
        "location_id": "LOC-A", "contract_number": "C", "fiscal_year": THIS_FY, "program_name": "P",
        "offering": "None of the above", "activities_offered": ["JST", "SS-TRANSPORT"],
    }
    refused = client.post("/program-contracts", json=body, headers=STATEWIDE)
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {"field": "activities_offered", "rule": "SS-TRANSPORT is a support service: always available, never offered by a contract"}
    ]
    unknown_code = client.post("/program-contracts", json=body | {"activities_offered": ["NOPE"]}, headers=STATEWIDE)
    assert unknown_code.status_code == 422 and "activities_offered" in unknown_code.json()["detail"][0]["field"]


def test_unknown_records_answer_404_naming_the_field(client):
    terms = {"location_id": "LOC-Z", "contract_number": "C", "fiscal_year": THIS_FY, "program_name": "P", "offering": "None of the above"}
    refused = client.post("/program-contracts", json=terms, headers=STATEWIDE)
    assert refused.status_code == 404 and refused.json()["detail"] == [{"field": "location_id", "rule": "no location LOC-Z"}]
    missing_provider = client.post("/providers/PRV-X/locations", json={"id": "LOC-Q", "name": "Q", "county": "Cook"}, headers=STATEWIDE)
    assert missing_provider.status_code == 404 and missing_provider.json()["detail"][0]["field"] == "provider_id"
    assert client.get("/locations/LOC-Z", headers=STATEWIDE).json()["detail"][0]["field"] == "location_id"
    assert client.get("/program-contracts/K-9", headers=STATEWIDE).json()["detail"][0]["field"] == "contract_id"


def test_a_location_code_in_use_answers_409(client):
    acme = provider(client)
    location(client, acme["id"])
    taken = client.post(f"/providers/{acme['id']}/locations", json={"id": "LOC-A", "name": "Again", "county": "Cook"}, headers=STATEWIDE)
    assert taken.status_code == 409 and taken.json()["detail"][0]["field"] == "id"


def test_missing_or_bad_fields_answer_422_naming_them(client):
    acme = provider(client)
    no_county = client.post(f"/providers/{acme['id']}/locations", json={"id": "LOC-A", "name": "A", "county": " "}, headers=STATEWIDE)
    assert no_county.status_code == 422 and no_county.json()["detail"][0]["field"] == "county"
    location(client, acme["id"])
    terms = {"location_id": "LOC-A", "contract_number": "C", "fiscal_year": 1999, "program_name": "P", "offering": "None of the above"}
    assert client.post("/program-contracts", json=terms, headers=STATEWIDE).json()["detail"][0]["field"] == "fiscal_year"


def test_the_location_list_names_the_provider_and_filters_open_ones(client):
    acme, beta = provider(client, "Acme"), provider(client, "Beta")
    location(client, beta["id"], "LOC-B", name="Peoria")
    location(client, acme["id"], "LOC-A", name="Springfield")
    location(client, acme["id"], "LOC-C", name="Decatur")
    client.patch("/locations/LOC-C", json={"version": 1, "open": False}, headers=STATEWIDE).raise_for_status()
    every = client.get("/locations", headers=STATEWIDE).json()
    assert [(loc["provider_name"], loc["id"], loc["open"]) for loc in every] == [
        ("Acme", "LOC-C", False), ("Acme", "LOC-A", True), ("Beta", "LOC-B", True)
    ]
    assert [loc["id"] for loc in client.get("/locations", params={"open": "true"}, headers=STATEWIDE).json()] == ["LOC-A", "LOC-B"]
    assert [loc["id"] for loc in client.get("/locations", params={"open": "false"}, headers=STATEWIDE).json()] == ["LOC-C"]


def test_the_contract_list_filters_by_location_and_fiscal_year(client):
    acme = provider(client)
    location(client, acme["id"], "LOC-A")
    location(client, acme["id"], "LOC-B")
    signed_contract(client, "LOC-A", fiscal_year=2026)
    this_year = signed_contract(client, "LOC-A", fiscal_year=2027)
    signed_contract(client, "LOC-B", fiscal_year=2027)
    found = client.get("/program-contracts", params={"location": "LOC-A", "fiscal_year": 2027}, headers=STATEWIDE).json()
    assert [c["id"] for c in found] == [this_year["id"]]
    assert len(client.get("/program-contracts", params={"fiscal_year": 2027}, headers=STATEWIDE).json()) == 2


def test_activities_offered_at_a_location_are_the_union_of_its_contracts_in_the_fiscal_year_containing_the_day(client):
    acme = provider(client)
    location(client, acme["id"], "LOC-A")
    location(client, acme["id"], "LOC-B")
    signed_contract(client, "LOC-A", fiscal_year=2027, activities_offered=["JST", "SJS"])
    signed_contract(client, "LOC-A", fiscal_year=2027, activities_offered=["SJS", "VT"])
    signed_contract(client, "LOC-A", fiscal_year=2026, activities_offered=["CW"])
    signed_contract(client, "LOC-B", fiscal_year=2027, activities_offered=["BE"])
    reads = client.app.state.runtime.reads

    async def offered(on: date):
        return await reads(activities_offered, "LOC-A", on)

    C = ActivityCode
    assert client.portal.call(offered, date(2026, 7, 1)) == {C.JOB_SEARCH_TRAINING, C.SUPERVISED_JOB_SEARCH, C.VOCATIONAL_TRAINING}
    assert client.portal.call(offered, date(2026, 6, 30)) == {C.COMMUNITY_WORKFARE}
    assert client.portal.call(offered, date(2027, 7, 1)) == set()


def test_recommended_providers_rank_this_years_programs_at_open_locations_for_the_customer(client):
    apply_event(
        client, CustomerRegistered(customer_id="c-1", individual_number="100000001", first_name="Tom", last_name="Juan", county="Cook"),
        "c-1",
    )
    acme, beta, zeta = provider(client, "Acme"), provider(client, "Beta"), provider(client, "Zeta")
    location(client, acme["id"], "LOC-A", county="Sangamon")
    location(client, beta["id"], "LOC-B", county="Cook")
    location(client, zeta["id"], "LOC-C", county="Cook")
    location(client, zeta["id"], "LOC-D", county="Cook")
    welding = signed_contract(client, "LOC-A", program_name="Welding", skills=["Welding"], interests=["Manufacturing"])
    near = signed_contract(client, "LOC-B", program_name="Job Club", skills=[], interests=[])
    signed_contract(client, "LOC-C", program_name="Closed", skills=["Welding"])
    signed_contract(client, "LOC-B", program_name="Last year", fiscal_year=THIS_FY - 1, skills=["Welding"])
    client.patch("/locations/LOC-C", json={"version": 1, "open": False}, headers=STATEWIDE).raise_for_status()
    far = signed_contract(client, "LOC-D", program_name="Far", skills=[])
    client.patch("/locations/LOC-D", json={"version": 1, "county": "Lake"}, headers=STATEWIDE).raise_for_status()

    answer = client.get("/plans/c-1/recommended-providers", params={"skills": "welding, forklift", "interests": "manufacturing"},
                        headers=STATEWIDE)
    assert answer.status_code == 200, answer.text
    ranked = answer.json()
    assert [r["contract_id"] for r in ranked] == [welding["id"], near["id"], far["id"]]
    assert ranked[0]["matching_skills"] == ["Welding"] and ranked[0]["matching_interests"] == ["Manufacturing"]
    assert [r["same_county"] for r in ranked] == [False, True, False]
    assert ranked[1]["provider_name"] == "Beta" and ranked[1]["location_id"] == "LOC-B"


def test_recommended_providers_are_scoped_like_every_plan_read(client):
    register(client, "c-1")
    enrol(client, "c-1", "LOC-A")
    assert client.get("/plans/c-1/recommended-providers", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A")).status_code == 200
    foreign = client.get("/plans/c-1/recommended-providers", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-B"))
    assert foreign.status_code == 404 and foreign.json()["detail"][0]["field"] == "customer_id"
    assert client.get("/plans/c-1/recommended-providers", headers=auth_headers(Role.CUSTOMER, customer_id="c-2")).status_code == 404
