"""consumer order: subject positions (last sequence applied, hold) and parked events

Revision ID: 0004_consumer_order
Revises: 0003

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004_consumer_order'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('subject_positions',
    sa.Column('consumer', sa.String(length=80), nullable=False),
    sa.Column('topic', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('last_sequence', sa.BigInteger(), nullable=True),
    sa.Column('held_since', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('consumer', 'topic', 'subject')
    )
    op.create_table('parked_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('consumer', sa.String(length=80), nullable=False),
    sa.Column('topic', sa.String(length=120), nullable=False),
    sa.Column('partition', sa.Integer(), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('event_type', sa.String(length=120), nullable=False),
    sa.Column('sequence', sa.BigInteger(), nullable=True),
    sa.Column('value', sa.LargeBinary(), nullable=False),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('parked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('consumer', 'event_id', name='uq_parked_events_consumer_event_id')
    )
    op.create_index('ix_parked_events_subject', 'parked_events', ['consumer', 'topic', 'subject', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_parked_events_subject', table_name='parked_events')
    op.drop_table('parked_events')
    op.drop_table('subject_positions')
