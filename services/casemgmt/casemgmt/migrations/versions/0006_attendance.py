"""attendance weeks, days and their history; read models of Earnfare benefits and employment

Revision ID: 0006_attendance
Revises: 0005_employers

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from isets_kit.db import EnumText, UtcDateTime
from casemgmt.domain.attendance import WeekAction, WeekState

revision: str = '0006_attendance'
down_revision: Union[str, Sequence[str], None] = '0005_employers'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_WEEK = (["activity_id", "week_start"], ["attendance_week.activity_id", "attendance_week.week_start"])


def upgrade() -> None:
    op.create_table(
        "attendance_week",
        sa.Column("activity_id", sa.String(40), sa.ForeignKey("activity.id"), primary_key=True),
        sa.Column("week_start", sa.Date, primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("state", EnumText(WeekState, 20), nullable=False),
        sa.Column("verified_by", sa.String(100)),
        sa.Column("verified_at", UtcDateTime()),
    )
    op.create_index("ix_attendance_week_customer_id", "attendance_week", ["customer_id"])
    op.create_table(
        "attendance_day",
        sa.Column("activity_id", sa.String(40), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("check_in", sa.Time, nullable=False),
        sa.Column("lunch_start", sa.Time),
        sa.Column("lunch_end", sa.Time),
        sa.Column("check_out", sa.Time, nullable=False),
        sa.ForeignKeyConstraint(*_WEEK),
    )
    op.create_index("ix_attendance_day_customer_id_day", "attendance_day", ["customer_id", "day"])
    op.create_table(
        "attendance_week_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("activity_id", sa.String(40), nullable=False),
        sa.Column("week_start", sa.Date, nullable=False),
        sa.Column("action", EnumText(WeekAction, 20), nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("reason", sa.String(400)),
        sa.ForeignKeyConstraint(*_WEEK),
    )
    op.create_index("ix_attendance_week_history_week", "attendance_week_history", ["activity_id", "week_start"])
    op.create_table(
        "earnfare_benefit",
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("effective_date", sa.Date, primary_key=True),
        sa.Column("benefit_amount", sa.Numeric(10, 2), nullable=False),
        sa.Column("monthly_benefit_hours", sa.Integer, nullable=False),
    )
    op.create_table(
        "employment",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("weekly_hours", sa.Numeric(5, 2), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
    )
    op.create_index("ix_employment_customer_id", "employment", ["customer_id"])


def downgrade() -> None:
    op.drop_table("employment")
    op.drop_table("earnfare_benefit")
    op.drop_table("attendance_week_history")
    op.drop_table("attendance_day")
    op.drop_table("attendance_week")
