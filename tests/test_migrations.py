"""Each service's Alembic migrations, applied from nothing, give exactly the schema its tables declare."""

import asyncio
import importlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from isets_kit import registry
from isets_kit.migrations import upgrade_to_head

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("service", registry.services(), ids=lambda service: service.name)
def test_migrations_match_the_declared_tables(service, tmp_path):
    database = tmp_path / f"{service.name}.db"
    migrations = ROOT / service.package / service.module / "migrations"
    asyncio.run(upgrade_to_head(migrations, f"sqlite+aiosqlite:///{database}"))
    metadata = importlib.import_module(f"{service.module}.adapters.orm").metadata
    with create_engine(f"sqlite:///{database}").connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
