"""case notes with their versions, assessment results, assessment summaries, career paths, credentials read model

Revision ID: 0004_notes_assessments
Revises: 0003_plan

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from isets_kit.db import EnumText, UtcDateTime
from isets_contracts.reference import AssessmentType, CredentialType
from casemgmt.domain.assessments import TabeSubject
from casemgmt.domain.notes import NoteCategory, SendAs

revision: str = '0004_notes_assessments'
down_revision: Union[str, Sequence[str], None] = '0003_plan'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _note_columns() -> list[sa.Column]:
    return [
        sa.Column("contact_date", sa.Date, nullable=False),
        sa.Column("task", sa.String(200)),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("category", EnumText(NoteCategory, 40), nullable=False),
        sa.Column("send_as", EnumText(SendAs, 40), nullable=False),
        sa.Column("team_recipients", sa.JSON, nullable=False),
        sa.Column("to_customer", sa.Boolean, nullable=False),
        sa.Column("employment_id", sa.String(64)),
        sa.Column("retention_period", sa.Integer),
    ]


def upgrade() -> None:
    op.create_table(
        "case_note",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("author", sa.String(100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        *_note_columns(),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_by", sa.String(100)),
        sa.Column("updated_at", UtcDateTime()),
    )
    op.create_index("ix_case_note_customer_id_contact_date", "case_note", ["customer_id", "contact_date"])
    op.create_table(
        "case_note_version",
        sa.Column("note_id", sa.String(40), sa.ForeignKey("case_note.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("written_by", sa.String(100), nullable=False),
        sa.Column("written_at", UtcDateTime(), nullable=False),
        *_note_columns(),
    )
    op.create_table(
        "assessment_result",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("assessment", EnumText(AssessmentType, 40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("subject", EnumText(TabeSubject, 20)),
        sa.Column("score", sa.Numeric(7, 2)),
        sa.Column("educational_functioning_level", sa.Integer),
        sa.Column("result", sa.String(500)),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_assessment_result_customer_id", "assessment_result", ["customer_id"])
    op.create_table(
        "assessment_summary_version",
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), primary_key=True),
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("readiness", sa.Text, nullable=False),
        sa.Column("employment", sa.Text, nullable=False),
        sa.Column("support_services", sa.Text, nullable=False),
        sa.Column("written_by", sa.String(100), nullable=False),
        sa.Column("written_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "career_path",
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), primary_key=True),
        sa.Column("pathway", sa.String(200)),
        sa.Column("occupation_1", sa.String(200)),
        sa.Column("occupation_2", sa.String(200)),
        sa.Column("wage_goal", sa.Numeric(7, 2)),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "credential",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("credential_type", EnumText(CredentialType, 80), nullable=False),
        sa.Column("date_earned", sa.Date, nullable=False),
    )
    op.create_index("ix_credential_customer_id", "credential", ["customer_id"])


def downgrade() -> None:
    for table in ("credential", "career_path", "assessment_summary_version", "assessment_result", "case_note_version", "case_note"):
        op.drop_table(table)
