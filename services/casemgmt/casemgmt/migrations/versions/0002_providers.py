"""providers: optimistic versions of providers and locations, a location's address, the customer's county

Revision ID: 0002_providers
Revises: 0001

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0002_providers'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("provider") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("location") as batch:
        batch.add_column(sa.Column("address", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("county", sa.String(100)))


def downgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("county")
    with op.batch_alter_table("location") as batch:
        batch.drop_column("version")
        batch.drop_column("address")
    with op.batch_alter_table("provider") as batch:
        batch.drop_column("version")
