"""The read views' runner on PostgreSQL: a pooled connection the server dropped is replaced and the view run
again; a view that fails for another reason is not run twice."""

import asyncio
import os

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from deploy.stack import recreate_databases
from isets_kit.db import ReadViews

pytestmark = pytest.mark.kafka
PG_PORT = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
DATABASE = "isets_test_read_views"
URL = f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"


def _backend_and_customers(connection) -> tuple[int, list[str]]:
    return connection.scalar(text("SELECT pg_backend_pid()")), list(connection.scalars(text("SELECT id FROM customer")))


async def _with_reads(check) -> None:
    await recreate_databases(PG_PORT, [DATABASE])
    writer = create_async_engine(URL)
    async with writer.begin() as connection:
        await connection.execute(text("CREATE TABLE customer (id TEXT PRIMARY KEY)"))
        await connection.execute(text("INSERT INTO customer VALUES ('c-1')"))
    reads = ReadViews(URL, writer)
    try:
        await check(reads, writer)
    finally:
        await reads.dispose()
        await writer.dispose()


def test_a_read_view_runs_again_on_a_fresh_connection_when_the_server_dropped_its_own(infrastructure):
    async def check(reads, writer):
        backend, found = await reads(_backend_and_customers)
        assert found == ["c-1"]
        async with writer.begin() as connection:  # e.g. the database server restarted
            await connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        again, found = await reads(_backend_and_customers)
        assert found == ["c-1"] and again != backend

    asyncio.run(_with_reads(check))


def test_a_read_view_failing_for_another_reason_runs_once(infrastructure):
    runs = []

    def failing(connection):
        runs.append(1)
        connection.execute(text("SELECT id FROM no_such_table"))

    async def check(reads, _writer):
        with pytest.raises(DBAPIError, match="no_such_table"):
            await reads(failing)
        assert runs == [1]

    asyncio.run(_with_reads(check))


def test_a_read_view_refuses_to_write_on_postgres(infrastructure):
    async def check(reads, writer):
        with pytest.raises(DBAPIError, match="read-only transaction"):
            await reads(lambda connection: connection.execute(text("DELETE FROM customer")))
        async with writer.connect() as connection:
            assert list(await connection.scalars(text("SELECT id FROM customer"))) == ["c-1"]

    asyncio.run(_with_reads(check))
