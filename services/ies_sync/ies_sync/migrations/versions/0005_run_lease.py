"""import runs get a lease (owner, heartbeat) and keep their extract until they complete

Revision ID: 0005_run_lease
Revises: 0004_consumer_order

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0005_run_lease'
down_revision: Union[str, Sequence[str], None] = '0004_consumer_order'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rerun_of', sa.Integer(), nullable=True))
    op.create_table('extract_part',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('run_id', 'part')
    )


def downgrade() -> None:
    op.drop_table('extract_part')
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.drop_column('rerun_of')
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('owner')
