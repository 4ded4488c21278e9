"""kept versions remember the digest of the extract line they were read from, so an identical line in a
later extract is recognised as unchanged without being read

Revision ID: 0007_source_line_digest
Revises: 0006_extract_uncompressed

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007_source_line_digest'
down_revision: Union[str, Sequence[str], None] = '0006_extract_uncompressed'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('ies_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_line_digest', sa.LargeBinary(), nullable=True))
        batch_op.create_index('ix_ies_person_source_line_digest', ['source_line_digest'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ies_person', schema=None) as batch_op:
        batch_op.drop_index('ix_ies_person_source_line_digest')
        batch_op.drop_column('source_line_digest')
