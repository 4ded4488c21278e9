"""a kept extract's parts are stored uncompressed (PostgreSQL): compressing them took longer than the import's
comparison of the same rows, for a file that is deleted when its run completes

Revision ID: 0006_extract_uncompressed
Revises: 0005_run_lease

"""
from typing import Sequence, Union

from alembic import op


revision: str = '0006_extract_uncompressed'
down_revision: Union[str, Sequence[str], None] = '0005_run_lease'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE extract_part ALTER COLUMN data SET STORAGE EXTERNAL')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE extract_part ALTER COLUMN data SET STORAGE EXTENDED')
