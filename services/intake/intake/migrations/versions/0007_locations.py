"""locations: intake's read model of casemgmt's provider locations, which referrals may go to

Revision ID: 0007_locations
Revises: 0006_list_filter_indexes

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0007_locations'
down_revision: Union[str, Sequence[str], None] = '0006_list_filter_indexes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "provider_location",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("provider_id", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("county", sa.String(100), nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("provider_location")
