"""initial schema: messaging tables, read models of customers and assignments, providers, locations, program contracts

Revision ID: 0001
Revises:

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

from isets_kit.db import EnumText, UtcDateTime
from isets_kit.messaging_migrations import create_messaging_tables, drop_messaging_tables
from isets_contracts.reference import Program, ProgramOffering

revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MESSAGING = "0004_consumer_order"


def upgrade() -> None:
    create_messaging_tables(op, through=MESSAGING)
    op.create_table(
        "customer",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("individual_number", sa.String(20), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("customer_id", sa.String(64), sa.ForeignKey("customer.id"), nullable=False),
        sa.Column("location", sa.String(40), nullable=False),
        sa.Column("program", EnumText(Program, 30), nullable=False),
        sa.Column("enrollment_date", sa.Date, nullable=False),
        sa.Column("exited_on", sa.Date),
    )
    op.create_index("ix_assignment_customer_id", "assignment", ["customer_id"])
    op.create_index("ix_assignment_location_open", "assignment", ["location", "exited_on"])
    op.create_table(
        "provider",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("provider_id", sa.String(40), sa.ForeignKey("provider.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("county", sa.String(100), nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
    )
    op.create_index("ix_location_provider_id", "location", ["provider_id"])
    op.create_table(
        "program_contract",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("contract_number", sa.String(40), nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("provider_id", sa.String(40), sa.ForeignKey("provider.id"), nullable=False),
        sa.Column("location_id", sa.String(40), sa.ForeignKey("location.id"), nullable=False),
        sa.Column("program_name", sa.String(200), nullable=False),
        sa.Column("offering", EnumText(ProgramOffering, 40), nullable=False),
        sa.Column("activities_offered", sa.JSON, nullable=False),
        sa.Column("schedule", sa.Text, nullable=False),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("interests", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_index("ix_program_contract_location_id", "program_contract", ["location_id"])


def downgrade() -> None:
    for table in ("program_contract", "location", "provider", "assignment", "customer"):
        op.drop_table(table)
    drop_messaging_tables(op, through=MESSAGING)
