"""outbox rows that can never be published are parked

Revision ID: 0003
Revises: 0002

"""
from typing import Sequence, Union

from alembic import op

from isets_kit.messaging_migrations import messaging_step, undo_messaging_step


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    messaging_step(op, "0002_parked")


def downgrade() -> None:
    undo_messaging_step(op, "0002_parked")
