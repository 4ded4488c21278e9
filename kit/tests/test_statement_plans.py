"""How statements are planned on PostgreSQL: writer connections, the outbox relay's read."""

import asyncio
import os

import pytest
from sqlalchemy import MetaData, text

from deploy.stack import recreate_databases
from isets_kit.db import make_engine, make_sessions
from isets_kit.messaging_tables import add_messaging_tables
from isets_kit.relay import OutboxRelay

pytestmark = pytest.mark.kafka


@pytest.fixture
def postgres_url():
    port = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
    asyncio.run(recreate_databases(port, ["isets_test_statement_plans"]))
    return f"postgresql+asyncpg://postgres@127.0.0.1:{port}/isets_test_statement_plans"


@pytest.mark.asyncio
async def test_a_statement_run_again_and_again_is_planned_for_its_values_never_by_a_generic_plan(postgres_url):
    """A generic plan made while a table was small stays a sequential scan as it grows; foreign key checks
    (planned inside PostgreSQL) keep their cached plans."""
    engine = make_engine(postgres_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE subject (id TEXT PRIMARY KEY)"))
            await connection.execute(text("CREATE TABLE event (subject_id TEXT REFERENCES subject (id))"))
            for number in range(10):
                await connection.execute(text("SELECT id FROM subject WHERE id = :id"), {"id": str(number)})
                await connection.execute(text("INSERT INTO subject VALUES (:id)"), {"id": str(number)})
            await connection.execute(text("INSERT INTO event SELECT id FROM subject"))
            generic = await connection.scalar(text("SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements WHERE statement LIKE 'SELECT id FROM subject %'"))
            plan_cache_mode = await connection.scalar(text("SELECT current_setting('plan_cache_mode')"))
        assert generic == 0
        assert plan_cache_mode == "auto"
    finally:
        await engine.dispose()


@pytest.mark.asyncio
async def test_the_relay_reads_its_batch_in_id_order_without_reading_and_sorting_every_unsent_row(postgres_url):
    """Statistics from when few rows were unsent made PostgreSQL read all of them and sort them for every batch
    of an extract's backlog; here costs that mislead the same way (random reads made to look dear)."""
    metadata = MetaData()
    outbox, _ = add_messaging_tables(metadata)
    engine = make_engine(postgres_url)
    sessions = make_sessions(engine)
    relay = OutboxRelay(sessions, outbox, {}, asyncio.Event(), batch_size=5000)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
            await connection.execute(text(
                "INSERT INTO outbox (event_id, event_type, topic, key, sequence, payload, created_at, published_at) "
                "SELECT 'e' || n, 't', 'isets.intake.v1', 'k' || n, 1, repeat('x', 1000), now(), "
                "CASE WHEN n <= 20000 THEN now() END FROM generate_series(1, 50000) n"
            ))
        query = str(
            relay.pending().order_by(outbox.c.id).limit(5000)
            .compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True})
        )
        async with sessions() as session, session.begin():
            await session.execute(text("SET LOCAL random_page_cost = 1000"))
            unguided = "\n".join(await session.scalars(text(f"EXPLAIN {query}")))
        async with sessions() as session, session.begin():
            await session.execute(text("SET LOCAL random_page_cost = 1000"))
            batch = await relay.read_pending(session)
            plan = "\n".join(await session.scalars(text(f"EXPLAIN {query}")))
        assert "Sort" in unguided
        assert [row.id for row in batch] == list(range(20001, 25001))
        assert "Sort" not in plan and "Index Scan using ix_outbox_unpublished" in plan
    finally:
        await engine.dispose()
