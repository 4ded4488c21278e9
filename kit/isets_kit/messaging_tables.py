"""Outbox, inbox and subject sequence tables; every service adds them to its own metadata.

This is the one definition of the messaging tables. Migrations build them through the versioned steps of
`isets_kit.messaging_migrations`, which a test holds equal to these tables.
"""

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text, text

from isets_kit.db import UtcDateTime

HOLDING_BACK = "parked_at IS NOT NULL AND discarded_at IS NULL"


def add_messaging_tables(metadata: MetaData) -> tuple[Table, Table]:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("topic", String(120), nullable=False),
        Column("key", String(120), nullable=False),
        Column("sequence", BigInteger),  # the envelope's per-key sequence (rows written before it have none)
        Column("payload", Text, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime()),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text),
        Column("parked_at", UtcDateTime()),  # can never be published (e.g. too large): set aside for an operator
        Column("discarded_at", UtcDateTime()),  # an operator gave a parked row up: the key's later rows flow again
        Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
        # The parked rows that hold their key back: the relay looks a key up here for every pending row.
        Index("ix_outbox_holding_back", "key", "id", postgresql_where=text(HOLDING_BACK), sqlite_where=text(HOLDING_BACK)),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("consumer", String(80), primary_key=True),
        Column("event_type", String(120), nullable=False),
        Column("processed_at", UtcDateTime(), nullable=False),
    )
    Table(
        "subject_sequences",
        metadata,
        Column("key", String(120), primary_key=True),
        Column("last_sequence", BigInteger, nullable=False),
    )
    return outbox, inbox
