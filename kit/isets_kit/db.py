import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import (
    Boolean, ColumnElement, DateTime, Engine, String, Table, TypeDecorator, any_, bindparam, create_engine, event, func, insert,
    select, update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

T = TypeVar("T")


def make_engine(url: str) -> AsyncEngine:
    """hide_parameters: a database error's text (logged, stored with an import run, put in a dead letter)
    names the statement, never the values, which are personal data."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # the driver's own lazy BEGIN would come after our reads
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(connection):
            # SQLite has no SELECT ... FOR UPDATE: take the write lock at BEGIN, so a read-check-write
            # (version checks, referral answers) cannot interleave with another writer.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No overflow: under load an overflow connection was opened and closed again for every checkout.
    # Statements are prepared afresh each time (no client-side cache), so PostgreSQL plans each for its values:
    # a cached generic plan of a lookup by a list of ids, made while its table was small, stayed a sequential
    # scan as the table grew (a consumer's position lookup took 500 ms a batch at 40,000 subjects, not 4 ms).
    # Not `plan_cache_mode = force_custom_plan`: that also re-planned every foreign key check of every row.
    return create_async_engine(
        url, pool_size=20, max_overflow=0, pool_pre_ping=True, hide_parameters=True,
        connect_args={"prepared_statement_cache_size": 0},
    )


def make_read_engine(url: str, writer: AsyncEngine) -> AsyncEngine:
    """The async engine of read-only streams (e.g. a CSV export). On SQLite its own pool whose transactions
    start with a plain (deferred) BEGIN: one WAL snapshot per read, which never takes the write lock and so
    never waits behind a writer; `query_only` refuses a write sent through it. Elsewhere the writer's engine."""
    if writer.dialect.name != "sqlite":
        return writer
    # Connections kept open (each is a thread of aiosqlite's): none opened and closed per request under load.
    engine = create_async_engine(
        url, connect_args={"timeout": 30}, pool_size=READ_CONNECTIONS, max_overflow=0, hide_parameters=True
    )
    _read_only_sqlite(engine.sync_engine)
    return engine


READ_CONNECTIONS = 8
LOOP_BUSY_SECONDS = 0.5  # the longest a read view waits for an SQLite lock on the event loop (then in a thread)


def _read_only_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _sqlite_read_pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only=ON")
        cursor.execute("PRAGMA cache_size=-16000")  # 16 MB of pages per connection
        cursor.execute("PRAGMA mmap_size=268435456")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_deferred(connection):
        connection.exec_driver_sql("BEGIN")


def _sqlite_read_engine(url: str, busy_seconds: float) -> Engine:
    engine = create_engine(
        make_url(url).set(drivername="sqlite"),
        connect_args={"timeout": busy_seconds, "check_same_thread": False},
        hide_parameters=True,
    )
    _read_only_sqlite(engine)
    return engine


def _run_on_sqlite(engine: Engine, view: Callable[..., T], args: tuple) -> T:
    with engine.connect() as connection, connection.begin():
        return view(connection, *args)


class ReadViews:
    """Runs a read-only view, a plain function of a SQLAlchemy `Connection` (and its arguments), and gives back
    what the view returns: `await reads(views.profile, principal, customer_id)`.

    On SQLite the view runs in one read transaction (one WAL snapshot) on a synchronous connection on the event
    loop itself. Measured on the profile (intake, 2 cores): through aiosqlite, which makes a thread hop for
    every step of every statement, 5.9 ms a read; on a synchronous connection in a worker thread 600
    requests/s at 50 connections; on the loop 1,260 requests/s (the hop and the fight for the GIL cost more
    than the read). A WAL read never waits for a writer, so the loop is held only for the read's own work; in
    the rare case that a read must wait for a lock, it waits in a worker thread.

    On PostgreSQL the view runs through `run_sync` (asyncpg awaited underneath) on a pool of its own in
    autocommit, read-only: at READ COMMITTED every statement has its own snapshot anyway, so BEGIN and COMMIT
    were two round trips that bought nothing, and the pre-ping a third; a connection found dropped (the server
    was restarted) is replaced and the view run again. 500 → 730 profile reads/s at 50 connections."""

    def __init__(self, url: str, engine: AsyncEngine):
        self._sqlite: Engine | None = None
        self._postgres: AsyncEngine | None = None
        if engine.dialect.name == "sqlite":
            self._sqlite = _sqlite_read_engine(url, busy_seconds=LOOP_BUSY_SECONDS)
            self._sqlite_in_thread = _sqlite_read_engine(url, busy_seconds=30)
        else:
            self._postgres = create_async_engine(
                url,
                pool_size=20,
                max_overflow=0,
                isolation_level="AUTOCOMMIT",
                # Autocommit would keep a write sent by mistake: the server refuses it instead.
                connect_args={"server_settings": {"default_transaction_read_only": "on"}},
                hide_parameters=True,
            )

    @property
    def sync_engine(self) -> Engine:
        """The engine the views' statements go through (for event listeners)."""
        return self._sqlite or self._postgres.sync_engine

    async def __call__(self, view: Callable[..., T], /, *args) -> T:
        if self._sqlite is not None:
            try:
                return _run_on_sqlite(self._sqlite, view, args)
            except OperationalError as error:
                if "locked" not in str(error.orig):
                    raise
            # Rare in WAL mode (recovery after a crash, a checkpoint as the last connection closes): the view
            # waits for the lock in a worker thread, never holding the event loop longer than LOOP_BUSY_SECONDS.
            return await asyncio.to_thread(_run_on_sqlite, self._sqlite_in_thread, view, args)
        try:
            return await self._run_on_postgres(view, args)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return await self._run_on_postgres(view, args)  # on a fresh connection: the pool dropped the dead one

    async def _run_on_postgres(self, view: Callable[..., T], args: tuple) -> T:
        async with self._postgres.connect() as connection:
            return await connection.run_sync(view, *args)

    async def dispose(self) -> None:
        if self._sqlite is not None:
            self._sqlite.dispose()
            self._sqlite_in_thread.dispose()
        if self._postgres is not None:
            await self._postgres.dispose()


def make_sessions(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"


class UtcDateTime(TypeDecorator):
    """Timezone-aware datetimes stored as UTC; SQLite hands back naive values, which are UTC by construction."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class one_of(ColumnElement[bool]):
    """`column IN (values)`; on PostgreSQL `column = ANY(:values)`, one array parameter however many values (a
    consumed batch's thousand ids were a thousand parameters to render and bind on every execution)."""

    inherit_cache = False  # the values are part of the element: statements holding one are compiled each time
    type = Boolean()

    def __init__(self, column: ColumnElement, values: Iterable):
        self.column, self.values = column, list(values)


@compiles(one_of)
def _one_of(element: one_of, compiler, **kw) -> str:
    return compiler.process(element.column.in_(element.values), **kw)


@compiles(one_of, "postgresql")
def _one_of_on_postgresql(element: one_of, compiler, **kw) -> str:
    values = bindparam(None, element.values, type_=ARRAY(element.column.type))
    return compiler.process(element.column == any_(values), **kw)


async def insert_rows(session: AsyncSession, table: Table, rows: list[dict]) -> None:
    """Insert many rows (all with the same keys) in the session's transaction; see `insert_records`."""
    if rows:
        columns = list(rows[0])
        await insert_records(session, table, columns, [tuple(row[column] for column in columns) for row in rows])


async def insert_records(session: AsyncSession, table: Table, columns: list[str], records: list[tuple]) -> None:
    """Insert many records (values in `columns` order) in the session's transaction: by COPY on PostgreSQL,
    many times faster than one INSERT per row for the thousands an extract or a consumed batch brings.

    COPY passes the values to the driver as they are: datetimes must be timezone-aware (as `UtcDateTime`
    requires anyway) and enumerations `str` members."""
    if not records:
        return
    if session.bind.dialect.name == "postgresql":
        connection = await (await session.connection()).get_raw_connection()
        await connection.driver_connection.copy_records_to_table(table.name, records=records, columns=columns)
    else:
        await session.execute(insert(table), [dict(zip(columns, record, strict=True)) for record in records])


def _unnested(table: Table, rows: list[dict], columns: list[str]):
    """PostgreSQL: the rows as one array parameter per column, and the select that unnests them back into rows
    (one statement however many rows; executing a statement once per row cost more than the rows' writes)."""
    arrays = select(
        *(func.unnest(bindparam(f"_{name}", type_=ARRAY(table.c[name].type))).label(name) for name in columns)
    )
    return arrays, {f"_{name}": [row[name] for row in rows] for name in columns}


def insert_of(session: AsyncSession, table: Table, rows: list[dict]):
    """A dialect insert of the rows (all with the same keys) and its parameters, for ON CONFLICT and RETURNING:
    on PostgreSQL one statement over arrays, taking the rows in their order; on SQLite an executemany."""
    if session.bind.dialect.name == "postgresql":
        columns = list(rows[0])
        arrays, values = _unnested(table, rows, columns)
        return postgresql_insert(table).from_select(columns, arrays), values
    return sqlite_insert(table), rows


async def upsert(
    session: AsyncSession, table: Table, rows: list[dict], key_columns: list[str], unless_newer: str | None = None
) -> None:
    """Insert rows, or update every non-key column of rows whose key exists (PostgreSQL and SQLite). No two
    rows may have the same key (`insert_of`).

    `unless_newer`: a column (e.g. a timestamp); a kept row whose value is newer than the incoming one stays."""
    if not rows:
        return
    statement, values = insert_of(session, table, rows)
    updates = {column: statement.excluded[column] for column in rows[0] if column not in key_columns}
    where = table.c[unless_newer] <= statement.excluded[unless_newer] if unless_newer else None
    await session.execute(statement.on_conflict_do_update(index_elements=key_columns, set_=updates, where=where), values)


async def update_rows(session: AsyncSession, table: Table, rows: list[dict], key: str) -> None:
    """Update each row's other columns where `key` has the row's value; on PostgreSQL in one statement over
    arrays (`_unnested`), elsewhere one execution per row."""
    if not rows:
        return
    columns = list(rows[0])
    if session.bind.dialect.name == "postgresql":
        arrays, values = _unnested(table, rows, columns)
        incoming = arrays.subquery("incoming")
        statement = update(table).where(table.c[key] == incoming.c[key])
        await session.execute(statement.values({name: incoming.c[name] for name in columns if name != key}), values)
    else:
        statement = update(table).where(table.c[key] == bindparam(f"_{key}"))
        await session.execute(
            statement.values({name: bindparam(f"_{name}") for name in columns if name != key}),
            [{f"_{name}": value for name, value in row.items()} for row in rows],
        )


class EnumText(TypeDecorator):
    """A StrEnum stored as its value in a VARCHAR, read back as the enum member."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int = 60):
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)
