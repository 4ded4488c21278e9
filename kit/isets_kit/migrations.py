"""Alembic, run on start. Each service's migrations/env.py calls `run_env(metadata)`.

On PostgreSQL the upgrade runs under a session-level advisory lock, so replicas starting together
migrate once: the first takes the lock and upgrades, the others wait, then find nothing to do.
"""

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.ext.asyncio import create_async_engine


# PostgreSQL scopes advisory locks to the current database, so this one key is one lock per service database.
MIGRATION_LOCK = 0x15E7_A1E8


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def upgrade_to_head(migrations_dir: Path, database_url: str) -> None:
    # env.py runs its own event loop, so Alembic goes to a worker thread.
    await asyncio.to_thread(command.upgrade, alembic_config(migrations_dir, database_url), "head")


def run_env(metadata: MetaData) -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def migrate(connection) -> None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()

    async def online() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool, hide_parameters=True)
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                # Released when the connection closes (NullPool), whatever the upgrade does.
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
                await connection.commit()  # end the implicit transaction; Alembic begins its own
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(online())
