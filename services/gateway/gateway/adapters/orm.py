from sqlalchemy import JSON, Column, Integer, LargeBinary, MetaData, String, Table

from isets_kit.db import UtcDateTime

metadata = MetaData()

users = Table(
    "user_account",
    metadata,
    Column("username", String(80), primary_key=True),  # also the token's subject (user id)
    Column("password_hash", String(60), nullable=False),
    Column("role", String(30), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("locations", JSON, nullable=False),
    Column("customer_id", String(64)),
    Column("created_at", UtcDateTime(), nullable=False),
)

idempotency_keys = Table(
    "idempotency_key",
    metadata,
    Column("user_id", String(80), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("method", String(10), nullable=False),
    Column("path", String(2000), nullable=False),
    Column("status", Integer),  # null while the first request is still with the upstream
    Column("body", LargeBinary),
    Column("content_type", String(200)),
    Column("created_at", UtcDateTime(), nullable=False),
)

# Append-only; `position` is assigned by the writer (previous + 1) under a lock, so the chain never forks.
access_audit = Table(
    "access_audit",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("user_id", String(80), nullable=False),
    Column("role", String(30), nullable=False),
    Column("method", String(10), nullable=False),
    Column("route", String(300), nullable=False),
    Column("customer_id", String(64), index=True),
    Column("status", Integer, nullable=False),
    Column("correlation_id", String(200), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("previous_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
