"""casemgmt's tables: its read models of other services' data (customers, their assignments), the
reference data it owns (providers, locations, program contracts) and the employment plan."""

from sqlalchemy import (
    JSON, Boolean, Column, Date, ForeignKey, Index, Integer, LargeBinary, MetaData, Numeric, String, Table, Text
)

from isets_contracts.reference import (
    ActivityCode, ActivityStatus, GoalCategory, GoalStatus, GoalTerm, PlanAgreement, Program, ProgramOffering
)
from isets_kit.db import EnumText, UtcDateTime
from isets_kit.messaging_tables import add_messaging_tables

metadata = MetaData()

# --- read models of intake's customers ------------------------------------------------------------
customers = Table(
    "customer",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("individual_number", String(20), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
)

# A customer is assigned to a location from the enrolment (referral accepted) until that provider exits them.
assignments = Table(
    "assignment",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("location", String(40), nullable=False),
    Column("program", EnumText(Program, 30), nullable=False),
    Column("enrollment_date", Date, nullable=False),
    Column("exited_on", Date),
    Index("ix_assignment_location_open", "location", "exited_on"),
)

# --- reference data: providers, their locations and E&T program contracts --------------------------
providers = Table(
    "provider",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
)

locations = Table(
    "location",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("provider_id", String(40), ForeignKey("provider.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("county", String(100), nullable=False),
    Column("open", Boolean, nullable=False, default=True),
)

program_contracts = Table(
    "program_contract",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("contract_number", String(40), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("provider_id", String(40), ForeignKey("provider.id"), nullable=False),
    Column("location_id", String(40), ForeignKey("location.id"), nullable=False, index=True),
    Column("program_name", String(200), nullable=False),
    Column("offering", EnumText(ProgramOffering, 40), nullable=False),
    Column("activities_offered", JSON, nullable=False),  # activity codes of the catalogue
    Column("schedule", Text, nullable=False, default=""),
    Column("skills", JSON, nullable=False),
    Column("interests", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("updated_by", String(100), nullable=False),
)

outbox, inbox = add_messaging_tables(metadata)

# --- the plan: goals, agreement, update log, activities (plan task) ------------------------------------
goals = Table(
    "goal",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("statement", String(144), nullable=False),
    Column("category", EnumText(GoalCategory, 40), nullable=False),
    Column("term", EnumText(GoalTerm, 20), nullable=False),
    Column("status", EnumText(GoalStatus, 20), nullable=False),
    Column("enrolment_location", String(40)),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# One row per customer with a plan: where the customer's agreement stands.
plan_agreements = Table(
    "plan_agreement",
    metadata,
    Column("customer_id", String(64), ForeignKey("customer.id"), primary_key=True),
    Column("agreement", EnumText(PlanAgreement, 40), nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

signed_copies = Table(
    "signed_copy",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("file_name", String(200), nullable=False),
    Column("content_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", UtcDateTime(), nullable=False),
)

plan_updates = Table(
    "plan_update",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("by", String(100), nullable=False),
    Column("what", String(400), nullable=False),
)

activities = Table(
    "activity",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("code", EnumText(ActivityCode, 20), nullable=False),
    Column("location", String(40), nullable=False),
    Column("status", EnumText(ActivityStatus, 40), nullable=False),
    Column("goal_id", String(40), ForeignKey("goal.id")),
    Column("planned_start", Date),
    Column("planned_completion", Date),
    Column("actual_completion", Date),
    Column("weekly_hours", Numeric(5, 2), nullable=False),
    Column("notes", Text, nullable=False),
    Column("barriers_addressed", JSON, nullable=False),
    Column("service_provider", String(20), nullable=False),
    Column("provider_name", String(200)),
    Column("provider_address", String(400)),
    Column("ever_started", Boolean, nullable=False),
    Column("employment_id", String(40), unique=True),  # the recorded employment it was made from
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

activity_status_history = Table(
    "activity_status_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("activity_id", String(40), ForeignKey("activity.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("status", EnumText(ActivityStatus, 40), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
)

