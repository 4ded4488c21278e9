"""messaging order: per-subject sequences, discarded parked rows, parked rows hold their key back

Revision ID: 0004_messaging_order
Revises: 0003

"""
from typing import Sequence, Union

from alembic import op

from isets_kit.messaging_migrations import messaging_step, undo_messaging_step


revision: str = '0004_messaging_order'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    messaging_step(op, "0003_order")


def downgrade() -> None:
    undo_messaging_step(op, "0003_order")
