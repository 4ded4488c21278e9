"""intake's IES handler on a batch of events, as its consumer hands them over (one transaction)."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from services.intake.tests.factories import ies_person
from isets_contracts import Envelope
from isets_contracts.events import IesPersonChanged
from isets_contracts.reference import SnapEligibility
from isets_kit.testing import make_client, outbox_events
from intake.adapters.orm import customers, eligibility_history, status_history
from intake.domain.customer import Customer
from intake.main import Settings, create_app
from intake.service_layer import on_ies_persons_changed


OTHER_TABLES = re.compile(r"\b(referral|referral_record|enrollment|open_snap_activity|resource_team_contact|earnfare_benefit_change)\b")


@pytest.fixture
def client(tmp_path):
    with make_client(create_app, Settings, tmp_path) as client:
        yield client


def changed(number: int, **overrides) -> Envelope:
    person = ies_person(individual_number=str(number), **overrides)
    payload = IesPersonChanged(**person.model_dump(), is_new=True, changed_fields=["first_name"])
    return Envelope.wrap(payload, source="test", subject=person.individual_number)


def apply_batch(client, envelopes: list[Envelope], before=None) -> list[str]:
    """Apply the batch in one transaction; the SQL statements it took on the customer's tables (the app's
    housekeeping may run meanwhile on the same engine, on the outbox and inbox)."""
    runtime = client.app.state.runtime
    statements = []

    def count(_connection, _cursor, statement, *_args):
        if not statement.startswith(("BEGIN", "DELETE FROM outbox", "DELETE FROM inbox")):
            statements.append(statement)

    async def run():
        async with runtime.unit_of_work() as uow:
            if before is not None:
                await before(uow)
            event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
            try:
                await on_ies_persons_changed(uow, envelopes)
            finally:
                event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
            await uow.commit()

    client.portal.call(run)
    return statements


def scalar(client, query):
    async def read():
        async with client.app.state.runtime.sessions() as session:
            return await session.scalar(query)

    return client.portal.call(read)


def test_a_batch_of_ies_events_takes_a_few_statements_and_never_loads_referrals_enrollments_or_teams(client):
    registering = apply_batch(client, [changed(1000 + n) for n in range(300)])
    updating = apply_batch(client, [changed(1000 + n, city="Peoria", as_of=datetime(2026, 11, 9, tzinfo=UTC)) for n in range(300)])
    assert len(registering) <= 4 and len(updating) <= 2
    assert not [s for s in registering + updating if OTHER_TABLES.search(s)]
    assert scalar(client, select(func.count()).select_from(customers).where(customers.c.city == "Peoria")) == 300
    assert scalar(client, select(func.count()).select_from(status_history)) == 300
    assert scalar(client, select(func.count()).select_from(eligibility_history)) == 300
    assert len(outbox_events(client, "intake.customer.registered")) == 300
    assert len(outbox_events(client, "intake.profile.changed")) == 300


def test_events_of_one_person_in_one_batch_apply_in_order_and_an_older_one_changes_nothing(client):
    apply_batch(client, [
        changed(7),
        changed(7, phone="312-555-0101", as_of=datetime(2026, 11, 9, tzinfo=UTC)),
        changed(7, phone="000", as_of=datetime(2026, 11, 3, tzinfo=UTC)),
        changed(7, snap_eligibility=SnapEligibility.NO, phone="312-555-0101", as_of=datetime(2026, 11, 10, tzinfo=UTC)),
    ])
    row = client.portal.call(_customer_row, client, "7")
    assert (row.phone, row.snap_eligibility, row.version) == ("312-555-0101", SnapEligibility.NO, 3)
    assert [e["type"] for e in outbox_events(client) if e["subject"] == row.id] == [
        "intake.customer.registered", "intake.et_status.changed",
        "intake.profile.changed", "intake.profile.changed",
    ]
    assert scalar(client, select(func.count()).select_from(eligibility_history)) == 2


def test_a_later_batch_changes_the_kept_customer_and_names_the_changed_fields(client):
    apply_batch(client, [changed(8)])
    apply_batch(client, [changed(8, city="Peoria", as_of=datetime(2026, 11, 9, tzinfo=UTC))])
    row = client.portal.call(_customer_row, client, "8")
    assert (row.city, row.version) == ("Peoria", 2)
    assert outbox_events(client, "intake.profile.changed")[-1]["data"]["changed_fields"] == ["city"]


def test_a_customer_loaded_earlier_in_the_transaction_is_read_again_after_the_ies_change(client):
    apply_batch(client, [changed(9)])
    seen = {}

    async def load(uow):
        seen["customer"] = await uow.session.scalar(select(Customer).where(customers.c.individual_number == "9"))

    apply_batch(client, [changed(9, city="Peoria", as_of=datetime(2026, 11, 9, tzinfo=UTC))], before=load)
    assert client.portal.call(_customer_row, client, "9").city == "Peoria"


async def _customer_row(client, individual_number: str):
    async with client.app.state.runtime.sessions() as session:
        return (await session.execute(select(customers).where(customers.c.individual_number == individual_number))).one()
