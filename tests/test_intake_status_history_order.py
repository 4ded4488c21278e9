"""Intake's E&T status history on PostgreSQL: the order changes happened in, whatever ids the database gave."""

import asyncio
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from deploy.stack import recreate_databases
from intake.adapters.orm import metadata  # noqa: F401  (maps the domain classes)
from intake.domain.customer import Customer
from isets_contracts.events import ActivityStatusChanged
from isets_contracts.reference import ActivityKind, ActivityStatus, EtStatus
from isets_kit.db import make_engine, make_sessions
from isets_kit.migrations import upgrade_to_head
from services.intake.tests.factories import ies_person
from tests.conftest import PG_PORT

pytestmark = pytest.mark.kafka
MIGRATIONS = Path(__file__).resolve().parent.parent / "services" / "intake" / "intake" / "migrations"


def activity(customer_id: str, status: ActivityStatus) -> ActivityStatusChanged:
    return ActivityStatusChanged(
        customer_id=customer_id, activity_id="a-1", activity_code="JST", activity_name="Job Search Training",
        kind=ActivityKind.SNAP_ET, location="LOC-A", status=status, effective_date=date.today(),
    )


def test_status_changes_of_one_transaction_are_listed_in_the_order_they_happened(infrastructure):
    """Two changes applied in one transaction (an activity started, then completed): PostgreSQL numbers the rows
    of one flush in either order, so the history must not be read back by id alone."""

    async def scenario() -> list[list[EtStatus]]:
        await recreate_databases(PG_PORT, ["isets_test_history_order"])
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/isets_test_history_order"
        await upgrade_to_head(MIGRATIONS, url)
        engine = make_engine(url)
        sessions = make_sessions(engine)
        histories = []
        try:
            for n in range(10):
                customer_id = str(uuid.uuid4())
                async with sessions() as session, session.begin():
                    session.add(Customer.register_from_ies(customer_id, ies_person(individual_number=str(700000000 + n)), datetime.now(UTC)))
                now = datetime.now(UTC)
                async with sessions() as session, session.begin():
                    customer = await session.get(Customer, customer_id, with_for_update=True)
                    customer.record_activity_status(activity(customer_id, ActivityStatus.STARTED), now)
                    customer.record_activity_status(activity(customer_id, ActivityStatus.SUCCESSFUL), now)
                async with sessions() as session:
                    customer = await session.get(Customer, customer_id)
                    histories.append([change.status for change in customer.status_history])
        finally:
            await engine.dispose()
        return histories

    for history in asyncio.run(scenario()):
        assert history == [EtStatus.IES_MATCHED, EtStatus.ACTIVE, EtStatus.IES_MATCHED]
