"""Replicas starting together migrate one PostgreSQL database once, under an advisory lock."""

import asyncio
import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from deploy.stack import recreate_databases

ROOT = Path(__file__).resolve().parent.parent
PG_PORT = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
REPLICAS = 4

# Each replica waits for the same instant, then upgrades: without the lock they race on CREATE TABLE.
UPGRADE = """
import asyncio, sys, time
from pathlib import Path
from isets_kit.migrations import upgrade_to_head
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
asyncio.run(upgrade_to_head(Path(sys.argv[1]), sys.argv[2]))
"""


def schema_differences(url: str, metadata) -> list:
    async def compare():
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
                )
        finally:
            await engine.dispose()

    return asyncio.run(compare())


@pytest.mark.kafka
@pytest.mark.parametrize("service", ["ies_sync", "intake"])
def test_replicas_upgrading_one_empty_database_together_all_succeed_and_the_schema_is_right(service, infrastructure):
    database = f"isets_test_migration_lock_{service}"
    asyncio.run(recreate_databases(PG_PORT, [database]))
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{database}"
    migrations = ROOT / "services" / service / service / "migrations"
    start_at = str(time.time() + 4)  # after every interpreter has imported Alembic
    replicas = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE, str(migrations), url, start_at],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(REPLICAS)
    ]
    outputs = [replica.communicate(timeout=120)[0] for replica in replicas]
    assert [replica.returncode for replica in replicas] == [0] * REPLICAS, "\n".join(outputs)
    metadata = importlib.import_module(f"{service}.adapters.orm").metadata
    assert schema_differences(url, metadata) == []
