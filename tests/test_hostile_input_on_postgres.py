"""Every kind of text input of intake with a NUL byte (or another control character), through the gateway
on PostgreSQL, which refuses NUL in text: a 422 naming the field, never a 500, and the next request works."""

import pytest

from services.intake.tests.test_hostile_input import TEXT_INPUTS
from tests.helpers import fresh_individual_numbers, login
from tests.test_ies_to_intake import extract_csv, import_through_gateway, profile_of

pytestmark = pytest.mark.kafka


@pytest.fixture(scope="module")
def customer_id(gateway, statewide):
    first = fresh_individual_numbers(1)
    import_through_gateway(gateway, statewide, extract_csv(1, first))
    return profile_of(gateway, statewide, str(first))["id"]


@pytest.mark.parametrize("method,path,query,body,field", TEXT_INPUTS, ids=[f"{i[0]} {i[1]} {i[4]}" for i in TEXT_INPUTS])
def test_control_characters_answer_422_naming_the_field_on_postgres(gateway, statewide, customer_id, method, path, query, body, field):
    response = gateway.request(method, "/api" + path.format(id=customer_id), params=query, json=body, headers=statewide)
    assert response.status_code == 422, response.text
    assert [problem["field"] for problem in response.json()["detail"]] == [field]
    assert gateway.get(f"/api/customers/{customer_id}", headers=statewide).status_code == 200


def test_a_location_scoped_caller_gets_the_same_422(gateway, customer_id):
    provider = login(gateway, "provider.a")
    response = gateway.get("/api/customers", params={"name": "a\x00"}, headers=provider)
    assert (response.status_code, response.json()["detail"][0]["field"]) == (422, "name")
