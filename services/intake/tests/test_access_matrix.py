"""Access by location, enforced in intake itself: every route × caller × own/foreign customer.

Rule: provider staff see and change only customers assigned to their location; a foreign customer
answers 404 (never revealing that it exists); statewide staff see all; a customer sees only their own.
"""

import pytest

from isets_kit.testing import auth_headers
from services.intake.tests.api_fixtures import STATEWIDE, announce_location, make_client, refer_and_accept, register
from isets_contracts.reference import Role

CALLERS = {
    "statewide": STATEWIDE,
    "provider at A": auth_headers(Role.PROVIDER_PARTNER, "LOC-A"),
    "provider at B": auth_headers(Role.PROVIDER_PARTNER, "LOC-B"),
    "customer": None,  # filled in with the own customer's id
}
OWN = {"provider at A": "a", "provider at B": "b", "customer": "a"}

# method, path template, body: one entry per customer route of intake
ROUTES = [
    ("GET", "/customers/{id}", None),
    ("PATCH", "/customers/{id}", {"version": 1, "worknet_username": "someone"}),
    ("PUT", "/customers/{id}/et-status", {"status": "Wait List"}),
    ("PUT", "/customers/{id}/level-of-progress", {"level_of_progress": "Not Participating"}),
    ("POST", "/customers/{id}/resource-team", {"name": "Ana", "email": "ana@example.org"}),
    ("DELETE", "/customers/{id}/resource-team/ana@example.org", None),
    ("POST", "/customers/{id}/earnfare-benefit", {"benefit_amount": "196.00", "effective_date": "2024-03-01"}),
    ("GET", "/customers/{id}/referrals", None),
    ("POST", "/customers/{id}/referrals", {"referred_to": "LOC-C", "referred_from": "LOC-A", "program": "SNAP JP"}),
    ("POST", "/customers/{id}/referrals/1/resend", {"version": 2}),
    ("POST", "/customers/{id}/referrals/1/accept", {"version": 2, "snap_et_eligible": True}),
    ("POST", "/customers/{id}/referrals/1/reject", {"version": 2, "reason": "full"}),
    ("GET", "/customers/{id}/referrals/1/records/1/form", None),
]
NOBODY = "00000000-0000-0000-0000-000000000000"
LIST_ROUTES = [("GET", "/customers"), ("GET", "/customers/export.csv")]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with make_client(tmp_path_factory.mktemp("access")) as client:
        a = register(client, "300000001", first_name="Anna", last_name="Atlocationa")
        b = register(client, "300000002", first_name="Boris", last_name="Atlocationb")
        refer_and_accept(client, a, "LOC-A")
        refer_and_accept(client, b, "LOC-B")
        announce_location(client, "LOC-C")
        callers = dict(CALLERS) | {"customer": auth_headers(Role.CUSTOMER, customer_id=a)}
        yield client, {"a": a, "b": b}, callers


def test_matrix_covers_every_customer_route_of_intake(world):
    client, _, _ = world
    served = {
        (method.upper(), path)
        for path, operations in client.app.openapi()["paths"].items()
        if path.startswith("/customers")
        for method in operations
    }
    covered = {(m, p.replace("{id}", "{customer_id}")) for m, p, _ in ROUTES} | set(LIST_ROUTES)
    normalised = {
        (m, p.replace("{email}", "ana@example.org").replace("{number}", "1").replace("{sequence}", "1"))
        for m, p in served
    }
    assert normalised == covered


@pytest.mark.parametrize("caller", sorted(OWN))  # statewide staff have no foreign customers
@pytest.mark.parametrize("method,path,body", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_foreign_customer_answers_404_or_403_and_leaks_nothing(world, caller, method, path, body):
    client, customers, callers = world
    foreign = customers["b" if OWN[caller] == "a" else "a"]
    response = client.request(method, path.format(id=foreign), json=body, headers=callers[caller])
    missing = client.request(method, path.format(id=NOBODY), json=body, headers=callers[caller])
    assert response.status_code in (403, 404), response.text
    # Indistinguishable from a customer that does not exist.
    assert (response.status_code, response.text.replace(foreign, NOBODY)) == (missing.status_code, missing.text)
    assert "Atlocation" not in response.text and "30000000" not in response.text


@pytest.mark.parametrize("caller", sorted(CALLERS))
@pytest.mark.parametrize("method,path,body", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_own_customer_is_reachable_by_staff_and_readable_by_the_customer(world, caller, method, path, body):
    client, customers, callers = world
    own = customers[OWN.get(caller, "a")]
    if method == "DELETE":  # the contact to remove must be there
        client.post(f"/customers/{own}/resource-team", json={"name": "Ana", "email": "ana@example.org"}, headers=STATEWIDE)
    response = client.request(method, path.format(id=own), json=body, headers=callers[caller])
    assert response.status_code != 404, response.text  # in scope: found (the action itself may be refused by a rule)
    if caller == "customer" and method != "GET":
        assert response.status_code == 403  # customers read; they do not change the record here


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_lists_and_exports_show_only_customers_in_scope(world, caller):
    client, customers, callers = world
    expected = {"statewide": {"300000001", "300000002"}, "provider at A": {"300000001"}, "provider at B": {"300000002"}, "customer": {"300000001"}}
    listed = {c["individual_number"] for c in client.get("/customers", headers=callers[caller]).json()["items"]}
    searched = {
        c["individual_number"]
        for number in ("300000001", "300000002")
        for c in client.get("/customers", params={"individual_number": number}, headers=callers[caller]).json()["items"]
    }
    exported = {line.split(",")[0] for line in client.get("/customers/export.csv", headers=callers[caller]).text.splitlines()[1:]}
    assert listed == searched == exported == expected[caller]


def test_requests_without_a_valid_token_are_refused(world):
    client, customers, _ = world
    assert client.get(f"/customers/{customers['a']}").status_code == 401
    forged = {"Authorization": "Bearer " + "x" * 40}
    assert client.get("/customers", headers=forged).status_code == 401


def test_referred_location_may_read_and_answer_a_pending_referral_but_change_nothing_else(tmp_path):
    with make_client(tmp_path) as client:
        cid = register(client, "300000010")
        announce_location(client, "LOC-C")
        sent = client.post(
            f"/customers/{cid}/referrals", json={"referred_to": "LOC-C", "referred_from": "FCRC", "program": "SNAP JP"},
            headers=STATEWIDE,
        ).json()
        staff_c = auth_headers(Role.PROVIDER_PARTNER, "LOC-C")
        assert client.get(f"/customers/{cid}", headers=staff_c).status_code == 200
        assert client.patch(f"/customers/{cid}", json={"version": 1, "worknet_username": "x"}, headers=staff_c).status_code == 404
        assert client.put(f"/customers/{cid}/et-status", json={"status": "Wait List"}, headers=staff_c).status_code == 404
        accepted = client.post(
            f"/customers/{cid}/referrals/1/accept", json={"version": sent["version"], "snap_et_eligible": True}, headers=staff_c
        )
        assert accepted.status_code == 200
        assert client.patch(f"/customers/{cid}", json={"version": 1, "worknet_username": "x"}, headers=staff_c).status_code == 200


def test_idhs_admin_reads_every_customer_and_sets_benefits_but_does_not_edit_records(world):
    client, customers, _ = world
    admin = auth_headers(Role.IDHS_ADMIN)
    assert client.get(f"/customers/{customers['a']}", headers=admin).status_code == 200
    assert client.put(f"/customers/{customers['a']}/level-of-progress", json={"level_of_progress": None}, headers=admin).status_code == 403


# --- a location whose only link to the customer is a pending referral --------------------------------
# Rule: it sees that referral, its form and who the customer is (to decide it); not the rest of the
# profile, not other providers' referrals or forms, and not the customer in its list or CSV export.
PENDING_ONLY = auth_headers(Role.PROVIDER_PARTNER, "LOC-C")
IDENTITY = {
    "access", "id", "individual_number", "first_name", "last_name", "date_of_birth", "snap_case_number", "county",
    "dhs_office", "snap_eligibility", "et_status",
}


@pytest.fixture(scope="module")
def pending_world(tmp_path_factory):
    """Customer enrolled at LOC-B through referral 1; referral 2, from LOC-B to LOC-C, is pending."""
    with make_client(tmp_path_factory.mktemp("pending")) as client:
        cid = register(client, "300000020", first_name="Petra", last_name="Pendingreferral", email="petra@example.org")
        refer_and_accept(client, cid, "LOC-B")
        announce_location(client, "LOC-C")
        sent = client.post(
            f"/customers/{cid}/referrals", json={"referred_to": "LOC-C", "referred_from": "LOC-B", "program": "SNAP JP"},
            headers=auth_headers(Role.PROVIDER_PARTNER, "LOC-B"),
        )
        assert sent.status_code == 201 and sent.json()["number"] == 2
        client.post(f"/customers/{cid}/resource-team", json={"name": "Ana", "email": "ana@example.org"}, headers=STATEWIDE)
        yield client, cid


def test_pending_referral_location_sees_who_the_customer_is_and_nothing_else_of_the_profile(pending_world):
    client, cid = pending_world
    seen = client.get(f"/customers/{cid}", headers=PENDING_ONLY)
    assert seen.status_code == 200
    assert set(seen.json()) == IDENTITY and seen.json()["access"] == "pending referral"
    assert "petra@example.org" not in seen.text and "1543" not in seen.text  # contact data, SSN last 4
    assert client.get(f"/customers/{cid}", headers=STATEWIDE).json()["access"] == "full"


def test_pending_referral_location_sees_only_its_referral_and_its_form(pending_world):
    client, cid = pending_world
    referrals = client.get(f"/customers/{cid}/referrals", headers=PENDING_ONLY)
    assert [(r["number"], r["referred_to"]) for r in referrals.json()] == [(2, "LOC-C")]
    assert client.get(f"/customers/{cid}/referrals/2/records/1/form", headers=PENDING_ONLY).status_code == 200
    other_form = client.get(f"/customers/{cid}/referrals/1/records/1/form", headers=PENDING_ONLY)
    missing_form = client.get(f"/customers/{cid}/referrals/9/records/1/form", headers=PENDING_ONLY)
    assert (other_form.status_code, other_form.text.replace("1", "9")) == (404, missing_form.text)
    assert len(client.get(f"/customers/{cid}/referrals", headers=STATEWIDE).json()) == 2


@pytest.mark.parametrize("method,path,body", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_pending_referral_location_changes_nothing_and_reaches_no_other_referral(pending_world, method, path, body):
    client, cid = pending_world
    response = client.request(method, path.format(id=cid), json=body, headers=PENDING_ONLY)
    if (method, path) in {("GET", "/customers/{id}"), ("GET", "/customers/{id}/referrals")}:
        assert response.status_code == 200  # the identity and its own referral (tests above)
    else:  # every other route: as a stranger, or no such referral (referral 1 went to LOC-B)
        assert response.status_code in (403, 404), response.text
    assert "Ana" not in response.text and "petra@example.org" not in response.text  # resource team, contact data


def test_pending_referral_location_does_not_list_or_export_the_customer(pending_world):
    client, _ = pending_world
    listed = client.get("/customers", headers=PENDING_ONLY).json()
    searched = client.get("/customers", params={"individual_number": "300000020"}, headers=PENDING_ONLY).json()
    exported = client.get("/customers/export.csv", headers=PENDING_ONLY).text.splitlines()
    assert (listed["total"], searched["total"], exported[1:]) == (0, 0, [])


def test_pending_referral_location_may_answer_its_referral(pending_world):
    client, cid = pending_world
    version = client.get(f"/customers/{cid}/referrals", headers=PENDING_ONLY).json()[0]["version"]
    rejected = client.post(
        f"/customers/{cid}/referrals/2/reject", json={"version": version, "reason": "no capacity"}, headers=PENDING_ONLY
    )
    assert rejected.status_code == 200
    assert client.get(f"/customers/{cid}", headers=PENDING_ONLY).status_code == 404  # answered: no link left
