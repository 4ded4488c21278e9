"""access audit: who read or changed which customer's data, hash-chained

Revision ID: 0002
Revises: 0001

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('access_audit',
    sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('route', sa.String(length=300), nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('correlation_id', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('position')
    )
    op.create_index(op.f('ix_access_audit_customer_id'), 'access_audit', ['customer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_access_audit_customer_id'), table_name='access_audit')
    op.drop_table('access_audit')
