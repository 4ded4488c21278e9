"""the plan: goals, plan agreement, signed copies, update log, activities and their status history

Revision ID: 0003_plan
Revises: 0002_providers

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from isets_kit.db import EnumText, UtcDateTime
from isets_contracts.reference import ActivityCode, ActivityStatus, GoalCategory, GoalStatus, GoalTerm, PlanAgreement

revision: str = '0003_plan'
down_revision: Union[str, Sequence[str], None] = '0002_providers'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "goal",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("statement", sa.String(144), nullable=False),
        sa.Column("category", EnumText(GoalCategory, 40), nullable=False),
        sa.Column("term", EnumText(GoalTerm, 20), nullable=False),
        sa.Column("status", EnumText(GoalStatus, 20), nullable=False),
        sa.Column("enrolment_location", sa.String(40)),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_goal_customer_id", "goal", ["customer_id"])
    op.create_table(
        "plan_agreement",
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), primary_key=True),
        sa.Column("agreement", EnumText(PlanAgreement, 40), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "signed_copy",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.String(100), nullable=False),
        sa.Column("uploaded_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_signed_copy_customer_id", "signed_copy", ["customer_id"])
    op.create_table(
        "plan_update",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("what", sa.String(400), nullable=False),
    )
    op.create_index("ix_plan_update_customer_id", "plan_update", ["customer_id"])
    op.create_table(
        "activity",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("code", EnumText(ActivityCode, 20), nullable=False),
        sa.Column("location", sa.String(40), nullable=False),
        sa.Column("status", EnumText(ActivityStatus, 40), nullable=False),
        sa.Column("goal_id", sa.String(40), sa.ForeignKey("goal.id")),
        sa.Column("planned_start", sa.Date),
        sa.Column("planned_completion", sa.Date),
        sa.Column("actual_completion", sa.Date),
        sa.Column("weekly_hours", sa.Numeric(5, 2), nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("barriers_addressed", sa.JSON, nullable=False),
        sa.Column("service_provider", sa.String(20), nullable=False),
        sa.Column("provider_name", sa.String(200)),
        sa.Column("provider_address", sa.String(400)),
        sa.Column("ever_started", sa.Boolean, nullable=False),
        sa.Column("employment_id", sa.String(40), unique=True),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_activity_customer_id", "activity", ["customer_id"])
    op.create_table(
        "activity_status_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("activity_id", sa.String(40), sa.ForeignKey("activity.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", EnumText(ActivityStatus, 40), nullable=False),
        sa.Column("effective_date", sa.Date, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_activity_status_history_activity_id", "activity_status_history", ["activity_id"])


def downgrade() -> None:
    for table in ("activity_status_history", "activity", "plan_update", "signed_copy", "plan_agreement", "goal"):
        op.drop_table(table)
