"""Writer connections on PostgreSQL: how statements are planned."""

import asyncio
import os

import pytest
from sqlalchemy import text

from deploy.stack import recreate_databases
from isets_kit.db import make_engine

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
