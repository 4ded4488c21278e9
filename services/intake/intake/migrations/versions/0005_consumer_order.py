"""consumer order: subject positions (last sequence applied, hold) and parked events

Revision ID: 0005_consumer_order
Revises: 0004_messaging_order

"""
from typing import Sequence, Union

from alembic import op

from isets_kit.messaging_migrations import messaging_step, undo_messaging_step


revision: str = '0005_consumer_order'
down_revision: Union[str, Sequence[str], None] = '0004_messaging_order'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    messaging_step(op, "0004_consumer_order")


def downgrade() -> None:
    undo_messaging_step(op, "0004_consumer_order")
