"""list filter indexes: open enrollments and pending referrals by location, the name order (also within a status)

Revision ID: 0006_list_filter_indexes
Revises: 0005_consumer_order

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0006_list_filter_indexes'
down_revision: Union[str, Sequence[str], None] = '0005_consumer_order'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index(
        "ix_enrollment_open_location", "enrollment", ["location", "customer_id"],
        postgresql_where=sa.text("exited_on IS NULL"), sqlite_where=sa.text("exited_on IS NULL"),
    )
    op.create_index(
        "ix_referral_pending_to", "referral", ["referred_to", "customer_id"],
        postgresql_where=sa.text("response = 'Pending'"), sqlite_where=sa.text("response = 'Pending'"),
    )
    op.create_index("ix_customer_name_order", "customer", ["last_name", "first_name", "id"])
    op.create_index("ix_customer_status_name_order", "customer", ["et_status", "last_name", "first_name", "id"])


def downgrade() -> None:
    op.drop_index("ix_customer_status_name_order", table_name="customer")
    op.drop_index("ix_customer_name_order", table_name="customer")
    op.drop_index("ix_referral_pending_to", table_name="referral")
    op.drop_index("ix_enrollment_open_location", table_name="enrollment")
