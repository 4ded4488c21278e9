"""The single-person update ("Sync with IES") takes only the extract's columns: an unknown field or a wrong
type is a 422 naming the field, and the value sent is never repeated."""

import pytest

from isets_contracts.reference import Role
from isets_kit import testing
from isets_kit.testing import auth_headers
from ies_sync.main import Settings, create_app
from ies_sync.synthetic import person

STATEWIDE = auth_headers(Role.STATEWIDE)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with testing.make_client(create_app, Settings, tmp_path_factory.mktemp("single")) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "change,field",
    [({"nickname": "Zelda-Quartermaine"}, "nickname"), ({"first_name": ["Zelda-Quartermaine"]}, "first_name")],
)
def test_unknown_field_or_wrong_type_answers_422_naming_the_field_never_the_value(client, change, field):
    answer = client.post("/persons", json=person(0, 1) | change, headers=STATEWIDE)
    assert answer.status_code == 422
    assert [problem["field"] for problem in answer.json()["detail"]] == [field]
    assert "Zelda" not in answer.text
