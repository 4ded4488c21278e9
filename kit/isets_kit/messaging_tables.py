"""Outbox and inbox tables; every service adds them to its own metadata (and so to its migrations)."""

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text, text

from isets_kit.db import UtcDateTime


def add_messaging_tables(metadata: MetaData) -> tuple[Table, Table]:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("topic", String(120), nullable=False),
        Column("key", String(120), nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime()),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Column("parked_at", UtcDateTime()),  # can never be published (e.g. too large): set aside for an operator
        Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("consumer", String(80), primary_key=True),
        Column("event_type", String(120), nullable=False),
        Column("processed_at", UtcDateTime(), nullable=False),
    )
    return outbox, inbox
