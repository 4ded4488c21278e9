"""Reads on SQLite (the read views and the read sessions of streams): a read never takes the write lock, and
cannot write."""

import asyncio
import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from isets_kit.db import ReadViews, make_engine, make_read_engine, make_sessions


async def _engines(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'reads.db'}"
    writer = make_engine(url)
    async with writer.begin() as connection:
        await connection.execute(text("CREATE TABLE customer (id TEXT PRIMARY KEY)"))
        await connection.execute(text("INSERT INTO customer VALUES ('c-1')"))
    return writer, make_read_engine(url, writer)


@pytest.mark.asyncio
async def test_a_read_does_not_wait_for_a_writer_holding_the_write_lock(tmp_path):
    writer, reader = await _engines(tmp_path)
    holder = sqlite3.connect(tmp_path / "reads.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a command handler in the middle of its transaction
    try:
        async with make_sessions(reader)() as session, session.begin():
            found = await asyncio.wait_for(session.scalar(text("SELECT id FROM customer")), timeout=5)
        assert found == "c-1"
    finally:
        holder.rollback()
        holder.close()
        await reader.dispose()
        await writer.dispose()


@pytest.mark.asyncio
async def test_a_read_session_refuses_to_write(tmp_path):
    writer, reader = await _engines(tmp_path)
    try:
        with pytest.raises(OperationalError, match="readonly"):
            async with make_sessions(reader)() as session, session.begin():
                await session.execute(text("DELETE FROM customer"))
    finally:
        await reader.dispose()
        await writer.dispose()


def _customer_ids(connection) -> list[str]:
    return list(connection.scalars(text("SELECT id FROM customer")))


@pytest.mark.asyncio
async def test_a_read_view_does_not_wait_for_a_writer_holding_the_write_lock(tmp_path):
    writer, reader = await _engines(tmp_path)
    reads = ReadViews(str(reader.url), reader)
    holder = sqlite3.connect(tmp_path / "reads.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO customer VALUES ('c-2')")  # not committed: the view sees its snapshot
    try:
        assert await asyncio.wait_for(reads(_customer_ids), timeout=5) == ["c-1"]
    finally:
        holder.rollback()
        holder.close()
        await reads.dispose()
        await reader.dispose()
        await writer.dispose()


@pytest.mark.asyncio
async def test_a_read_view_refuses_to_write(tmp_path):
    writer, reader = await _engines(tmp_path)
    reads = ReadViews(str(reader.url), reader)
    try:
        with pytest.raises(OperationalError, match="readonly"):
            await reads(lambda connection: connection.execute(text("DELETE FROM customer")))
        assert await reads(_customer_ids) == ["c-1"]
    finally:
        await reads.dispose()
        await reader.dispose()
        await writer.dispose()


@pytest.mark.asyncio
async def test_a_read_view_waiting_for_a_lock_waits_off_the_event_loop(tmp_path):
    path = tmp_path / "locked.db"  # not in WAL mode: a writer's exclusive lock keeps readers out
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE customer (id TEXT PRIMARY KEY)")
        setup.execute("INSERT INTO customer VALUES ('c-1')")
    url = f"sqlite+aiosqlite:///{path}"
    reads = ReadViews(url, make_engine(url))
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    threading.Timer(1.5, holder.rollback).start()
    ticks = 0

    async def tick():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        assert await reads(_customer_ids) == ["c-1"]
        assert ticks >= 10, "the event loop went on serving while the read waited for the lock"
    finally:
        ticker.cancel()
        holder.close()
        await reads.dispose()
