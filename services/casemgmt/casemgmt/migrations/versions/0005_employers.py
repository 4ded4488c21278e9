"""employers, worksites and jobs

Revision ID: 0005_employers
Revises: 0004_notes_assessments

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from isets_kit.db import UtcDateTime

revision: str = '0005_employers'
down_revision: Union[str, Sequence[str], None] = '0004_notes_assessments'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "employer",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("fein", sa.String(10), unique=True),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("contact_phone", sa.String(40)),
        sa.Column("contact_email", sa.String(254)),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("registered_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "worksite",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("employer_id", sa.Integer, sa.ForeignKey("employer.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("street", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("zip_code", sa.String(10), nullable=False),
        sa.Column("county", sa.String(100), nullable=False),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("registered_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_worksite_employer_id", "worksite", ["employer_id"])
    op.create_index("ix_worksite_county", "worksite", ["county"])
    op.create_table(
        "job",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("worksite_id", sa.Integer, sa.ForeignKey("worksite.id"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("openings", sa.Integer, nullable=False),
        sa.Column("hourly_wage", sa.Numeric(10, 2)),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.Column("registered_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_job_worksite_id", "job", ["worksite_id"])


def downgrade() -> None:
    for table in ("job", "worksite", "employer"):
        op.drop_table(table)
