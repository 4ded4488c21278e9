"""Outbox, inbox, subject sequence and consumer-order tables; every service adds them to its own metadata.

This is the one definition of the messaging tables. Migrations build them through the versioned steps of
`isets_kit.messaging_migrations`, which a test holds equal to these tables.
"""

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, MetaData, String, Table, Text, UniqueConstraint, text

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
    Table(
        "subject_positions",  # per consumer and subject: the last producer sequence applied, and whether it is held
        metadata,
        Column("consumer", String(80), primary_key=True),
        Column("topic", String(120), primary_key=True),
        Column("subject", String(120), primary_key=True),
        Column("last_sequence", BigInteger),
        Column("held_since", UtcDateTime()),  # a parked event of this subject waits for replay or discard
    )
    Table(
        "parked_events",  # records a consumer set aside, in arrival order: the source of truth for replay
        metadata,
        Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
        Column("consumer", String(80), nullable=False),
        Column("topic", String(120), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("subject", String(120), nullable=False),
        Column("event_id", String(36), nullable=False),  # or the position id of a record that never decoded
        Column("event_type", String(120), nullable=False),
        Column("sequence", BigInteger),
        Column("value", LargeBinary, nullable=False),
        Column("headers", Text, nullable=False),  # JSON [[name, value], ...]
        Column("reason", String(40), nullable=False),  # failed | held | stale | undecodable | unknown_version
        Column("error", Text),
        Column("parked_at", UtcDateTime(), nullable=False),
        Index("ix_parked_events_subject", "consumer", "topic", "subject", "id"),
        UniqueConstraint("consumer", "event_id", name="uq_parked_events_consumer_event_id"),
    )
    return outbox, inbox
