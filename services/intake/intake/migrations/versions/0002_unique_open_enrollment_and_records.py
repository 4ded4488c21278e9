"""one open enrollment per location, unique referral records

Revision ID: 0002
Revises: 0001

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index('uq_enrollment_open_per_location', ['customer_id', 'location'], unique=True, postgresql_where=sa.text('exited_on IS NULL'), sqlite_where=sa.text('exited_on IS NULL'))

    with op.batch_alter_table('referral_record', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_referral_record_sequence', ['referral_id', 'sequence'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('referral_record', schema=None) as batch_op:
        batch_op.drop_constraint('uq_referral_record_sequence', type_='unique')

    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index('uq_enrollment_open_per_location', postgresql_where=sa.text('exited_on IS NULL'), sqlite_where=sa.text('exited_on IS NULL'))

