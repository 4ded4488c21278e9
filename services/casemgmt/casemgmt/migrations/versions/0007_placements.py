"""worksite placements, their status history and follow-ups

Revision ID: 0007_placements
Revises: 0006_attendance

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from isets_kit.db import UtcDateTime

revision: str = '0007_placements'
down_revision: Union[str, Sequence[str], None] = '0006_attendance'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "placement",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("activity_id", sa.String(40), sa.ForeignKey("activity.id"), nullable=False),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("job.id"), nullable=False),
        sa.Column("position_type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("planned_due_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("hourly_wage", sa.Numeric(10, 2), nullable=False),
        sa.Column("subsidised_wage", sa.Numeric(10, 2), nullable=False),
        sa.Column("employer_wage_match", sa.Numeric(10, 2), nullable=False),
        sa.Column("minimum_wage", sa.Numeric(10, 2), nullable=False),
        sa.Column("subsidised_start", sa.Date),
        sa.Column("subsidised_end", sa.Date),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    for column in ("customer_id", "activity_id", "job_id"):
        op.create_index(f"ix_placement_{column}", "placement", [column])
    op.create_table(
        "placement_status_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("placement_id", sa.String(40), sa.ForeignKey("placement.id"), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("start_date", sa.Date),
        sa.Column("inactive_date", sa.Date),
        sa.Column("return_date", sa.Date),
        sa.Column("subsidised_start", sa.Date),
        sa.Column("subsidised_end", sa.Date),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_placement_status_history_placement_id", "placement_status_history", ["placement_id"])
    op.create_table(
        "placement_follow_up",
        sa.Column("placement_id", sa.String(40), sa.ForeignKey("placement.id"), primary_key=True),
        sa.Column("days", sa.Integer, primary_key=True),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("verified_by", sa.String(100)),
        sa.Column("verified_on", sa.Date),
    )
    op.create_index("ix_placement_follow_up_due", "placement_follow_up", ["due"])


def downgrade() -> None:
    for table in ("placement_follow_up", "placement_status_history", "placement"):
        op.drop_table(table)
