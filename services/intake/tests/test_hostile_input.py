"""Hostile and mistyped input is a 422 naming the field and the rule, never a 500, never echoing the value
(in process, SQLite). The same NUL cases run on PostgreSQL in tests/test_hostile_input_on_postgres.py."""

import pytest

from isets_contracts.reference import Role
from isets_kit.testing import auth_headers
from intake.domain.customer import STAFF_EDITABLE_FIELDS
from services.intake.tests.api_fixtures import STATEWIDE, announce_location, make_client, refer_and_accept, register

# Every text input of intake: (method, path, query, body, the field the 422 names). {id} is a real customer.
TEXT_INPUTS = [
    ("GET", "/customers", {"name": "Ju\x00an"}, None, "name"),
    ("GET", "/customers", {"provider": "LOC-A\x00"}, None, "provider"),
    ("GET", "/customers", {"snap_case_number": "\x00"}, None, "snap_case_number"),
    ("GET", "/customers", {"individual_number": "1\x00"}, None, "individual_number"),
    ("GET", "/customers", {"et_status": "Active\x00"}, None, "et_status"),
    ("GET", "/customers/export.csv", {"name": "\x00"}, None, "name"),
    ("GET", "/customers", {"na\x00me": "x"}, None, "query"),
    ("GET", "/customers/{id}%00", None, None, "customer_id"),
    ("GET", "/customers/{id}/referrals", {"x": "\x1b[2J"}, None, "x"),
    ("PATCH", "/customers/{id}", None, {"version": 1, "worknet_username": "t\x00"}, "worknet_username"),
    ("PATCH", "/customers/{id}", None, {"version": 1, "worknet_id": "\x07"}, "worknet_id"),
    ("PATCH", "/customers/{id}", None, {"version": 1, "snap_case_number": "SC\x00"}, "snap_case_number"),
    ("PUT", "/customers/{id}/et-status", None, {"status": "Wait\x00List"}, "status"),
    ("PUT", "/customers/{id}/level-of-progress", None, {"level_of_progress": "\x00"}, "level_of_progress"),
    ("POST", "/customers/{id}/resource-team", None, {"name": "A\x00na", "email": "ana@example.org"}, "name"),
    ("POST", "/customers/{id}/resource-team", None, {"name": "Ana", "email": "ana@exa\x00mple.org"}, "email"),
    ("DELETE", "/customers/{id}/resource-team/ana%00@example.org", None, None, "email"),
    ("POST", "/customers/{id}/referrals", None, {"referred_to": "LOC\x00", "referred_from": "FCRC", "program": "SNAP JP"}, "referred_to"),
    ("POST", "/customers/{id}/referrals", None, {"referred_to": "LOC-C", "referred_from": "\x00", "program": "SNAP JP"}, "referred_from"),
    ("POST", "/customers/{id}/referrals/1/reject", None, {"version": 2, "reason": "full\x00"}, "reason"),
    ("GET", "/customers/{id}/referrals/1/records/1/form", {"format": "html\x00"}, None, "format"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with make_client(tmp_path_factory.mktemp("hostile")) as client:
        cid = register(client, "500000001")
        refer_and_accept(client, cid, "LOC-A")
        announce_location(client, "LOC-C")
        yield client, cid


@pytest.mark.parametrize("method,path,query,body,field", TEXT_INPUTS, ids=[f"{i[0]} {i[1]} {i[4]}" for i in TEXT_INPUTS])
def test_control_characters_in_any_text_input_answer_422_naming_the_field(world, method, path, query, body, field):
    client, cid = world
    response = client.request(method, path.format(id=cid), params=query, json=body, headers=STATEWIDE)
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    # A value out of a list (status, level of progress) is refused by listing the allowed ones.
    assert problem["field"] == field and ("control character" in problem["rule"] or problem["rule"].startswith("Input should be '"))


def test_free_text_keeps_tab_and_newline(world):
    client, cid = world
    sent = client.post(
        f"/customers/{cid}/referrals", json={"referred_to": "LOC-C", "referred_from": "LOC-A", "program": "SNAP JP"}, headers=STATEWIDE
    ).json()
    rejected = client.post(
        f"/customers/{cid}/referrals/{sent['number']}/reject",
        json={"version": sent["version"], "reason": "no capacity\n\tuntil spring"},
        headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-C"),
    )
    assert rejected.status_code == 200 and rejected.json()["records"][-1]["reason"] == "no capacity\n\tuntil spring"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"version": 1, "snap_case_number": 123}, "snap_case_number"),
        ({"version": "one", "worknet_id": "x"}, "version"),
        ({"version": 1, "snap_case_number": None}, "snap_case_number"),
        ({"version": 1, "initial_assessment_date": "yesterday"}, "initial_assessment_date"),
        ({"version": 1, "worknet_username": ["a"]}, "worknet_username"),
        ({"version": 1, "first_name": "Someone"}, "first_name"),
        ({"worknet_id": "x"}, "version"),
    ],
)
def test_wrong_types_in_a_profile_edit_answer_422_naming_the_field(world, body, field):
    client, cid = world
    response = client.patch(f"/customers/{cid}", json=body, headers=STATEWIDE)
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["detail"]] == [field]


def test_every_editable_profile_field_is_in_the_openapi_with_its_rule(world):
    client, _ = world
    components = client.app.openapi()["components"]["schemas"]
    edit = components["ProfileEdit"]
    assert set(edit["properties"]) == {"version", *STAFF_EDITABLE_FIELDS}
    assert edit["properties"]["snap_case_number"]["maxLength"] == 40
    assert edit["properties"]["initial_assessment_date"]["anyOf"][0]["format"] == "date"
    assert "first_name" in edit["description"]  # the IES-mastered fields are named as read-only


def test_every_request_body_refuses_unknown_fields(world):
    client, _ = world
    openapi = client.app.openapi()
    bodies = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for path in openapi["paths"].values()
        for operation in path.values()
        if "requestBody" in operation
    }
    assert len(bodies) == 9
    assert {name: openapi["components"]["schemas"][name].get("additionalProperties") for name in bodies} == dict.fromkeys(bodies, False)


def test_allowed_values_are_listed_as_plain_words(world):
    client, cid = world
    refused = client.put(f"/customers/{cid}/et-status", json={"status": "Active"}, headers=STATEWIDE).json()["detail"]
    assert refused == [{"field": "status", "rule": "Input should be 'Not Enrolled' or 'Wait List'"}]
    bad_level = client.put(f"/customers/{cid}/level-of-progress", json={"level_of_progress": "Great"}, headers=STATEWIDE)
    bad_status = client.get("/customers", params={"et_status": "Happy"}, headers=STATEWIDE)
    for answer in (bad_level, bad_status):
        assert answer.status_code == 422 and "<" not in answer.text and "Level" not in answer.text.replace("level_of", "")
    assert "'Active'" in bad_status.text


def test_a_refused_value_is_never_repeated_in_the_answer(world):
    client, cid = world
    secret = "Zelda-Quartermaine"
    answers = [
        client.patch(f"/customers/{cid}", json={"version": 1, "worknet_username": secret * 10}, headers=STATEWIDE),
        client.patch(f"/customers/{cid}", json={"version": 1, "nickname": secret}, headers=STATEWIDE),
        client.post(f"/customers/{cid}/resource-team", json={"name": "Ana", "email": secret}, headers=STATEWIDE),
        client.delete(f"/customers/{cid}/resource-team/{secret}@example.org", headers=STATEWIDE),
        client.get("/customers", params={"et_status": secret}, headers=STATEWIDE),
    ]
    assert [a.status_code for a in answers] == [422, 422, 422, 404, 422]
    assert [secret in a.text for a in answers] == [False] * len(answers)
