"""The messaging tables' migrations, written once in the kit and called from every service's migrations.

The steps are history: a step, once released, never changes (databases ran it). A kit change to
`messaging_tables.py` comes with a new step here, and each service gets one small migration calling it:

    def upgrade() -> None:
        messaging_step(op, "0003_order")

    def downgrade() -> None:
        undo_messaging_step(op, "0003_order")

A new service's first migration creates the tables with every step released so far, written out by name
(`create_messaging_tables(op, through="0003_order")`), so its history stays fixed when later steps come.
A test holds the result of all steps equal to `messaging_tables.py`.
"""

from collections.abc import Callable

import sqlalchemy as sa

from isets_kit.messaging_tables import HOLDING_BACK


def _tables(op) -> None:
    op.create_table(
        "inbox",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("consumer", sa.String(length=80), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "consumer"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )


def _undo_tables(op) -> None:
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("inbox")


def _parked(op) -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True))


def _undo_parked(op) -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("parked_at")


def _order(op) -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sequence", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("discarded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_outbox_holding_back",
        "outbox",
        ["key", "id"],
        postgresql_where=sa.text(HOLDING_BACK),
        sqlite_where=sa.text(HOLDING_BACK),
    )
    op.create_table(
        "subject_sequences",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def _undo_order(op) -> None:
    op.drop_table("subject_sequences")
    op.drop_index("ix_outbox_holding_back", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("discarded_at")
        batch.drop_column("sequence")


def _consumer_order(op) -> None:
    op.create_table(
        "subject_positions",
        sa.Column("consumer", sa.String(length=80), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=True),
        sa.Column("held_since", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("consumer", "topic", "subject"),
    )
    op.create_table(
        "parked_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=80), nullable=False),
        sa.Column("topic", sa.String(length=120), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=120), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=True),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consumer", "event_id", name="uq_parked_events_consumer_event_id"),
    )
    op.create_index("ix_parked_events_subject", "parked_events", ["consumer", "topic", "subject", "id"], unique=False)


def _undo_consumer_order(op) -> None:
    op.drop_index("ix_parked_events_subject", table_name="parked_events")
    op.drop_table("parked_events")
    op.drop_table("subject_positions")


# name: (upgrade, downgrade), in release order
STEPS: dict[str, tuple[Callable, Callable]] = {
    "0001_tables": (_tables, _undo_tables),  # outbox and inbox
    "0002_parked": (_parked, _undo_parked),  # outbox rows the broker will never take are set aside
    "0003_order": (_order, _undo_order),  # per-subject sequences; discarded parked rows; parked rows hold their key
    "0004_consumer_order": (_consumer_order, _undo_consumer_order),  # consumers' subject positions and parked events
}


def messaging_step(op, name: str) -> None:
    STEPS[name][0](op)


def undo_messaging_step(op, name: str) -> None:
    STEPS[name][1](op)


def create_messaging_tables(op, *, through: str) -> None:
    """A new service's first migration: every step up to and including `through`."""
    names = list(STEPS)
    for name in names[: names.index(through) + 1]:
        messaging_step(op, name)


def drop_messaging_tables(op, *, through: str) -> None:
    names = list(STEPS)
    for name in reversed(names[: names.index(through) + 1]):
        undo_messaging_step(op, name)
