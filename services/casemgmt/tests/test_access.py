"""casemgmt's access policy, from its own read model of intake's customers and their assignments."""

from isets_contracts.reference import Role
from isets_kit.testing import auth_headers
from services.casemgmt.tests.api_fixtures import STATEWIDE, enrol, exit_from, make_client, register


def test_statewide_staff_see_every_registered_customers_plan(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        answer = client.get("/plans/c-1", headers=STATEWIDE)
        assert answer.status_code == 200
        assert answer.json().items() >= {
            "id": "c-1", "individual_number": "100000001", "first_name": "Tom", "last_name": "Juan", "locations": []
        }.items()


def test_location_staff_see_only_customers_enrolled_at_their_locations(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        assert client.get("/plans/c-1", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A")).status_code == 404
        enrol(client, "c-1", "LOC-A")
        answer = client.get("/plans/c-1", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A"))
        assert answer.status_code == 200 and answer.json()["locations"] == ["LOC-A"]
        assert client.get("/plans/c-1", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-B")).status_code == 404


def test_an_enrolment_announced_twice_assigns_the_customer_once(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        enrol(client, "c-1", "LOC-A")
        enrol(client, "c-1", "LOC-A")
        enrol(client, "c-1", "LOC-B")
        assert client.get("/plans/c-1", headers=STATEWIDE).json()["locations"] == ["LOC-A", "LOC-B"]


def test_a_provider_no_longer_sees_a_customer_it_exited(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        enrol(client, "c-1", "LOC-A")
        exit_from(client, "c-1", "LOC-A")
        assert client.get("/plans/c-1", headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-A")).status_code == 404


def test_a_customer_sees_only_their_own_plan(tmp_path):
    with make_client(tmp_path) as client:
        register(client, "c-1")
        register(client, "c-2", "100000002")
        assert client.get("/plans/c-1", headers=auth_headers(Role.CUSTOMER, customer_id="c-1")).status_code == 200
        assert client.get("/plans/c-2", headers=auth_headers(Role.CUSTOMER, customer_id="c-1")).status_code == 404


def test_an_unknown_customer_answers_404(tmp_path):
    with make_client(tmp_path) as client:
        assert client.get("/plans/nobody", headers=STATEWIDE).status_code == 404
