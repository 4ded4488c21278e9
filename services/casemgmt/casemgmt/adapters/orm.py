"""casemgmt's tables: its read models of other services' data (customers, their assignments), the
reference data it owns (providers, locations, program contracts) and the employment plan."""

from sqlalchemy import (
    JSON, Boolean, Column, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, LargeBinary, MetaData, Numeric, String,
    Table, Text, Time,
)
from sqlalchemy.orm import registry, relationship
from sqlalchemy.types import TypeDecorator

from isets_contracts.reference import (
    ActivityCode,
    ActivityStatus,
    AssessmentType,
    CredentialType,
    GoalCategory,
    GoalStatus,
    GoalTerm,
    PlanAgreement,
    Program,
    ProgramOffering,
)
from isets_kit.db import EnumText, UtcDateTime
from isets_kit.messaging_tables import add_messaging_tables
from casemgmt.domain.assessments import AssessmentResult, CareerPath, SummaryVersion, TabeSubject
from casemgmt.domain.attendance import WeekAction, WeekState
from casemgmt.domain.employers import Employer, Job, Worksite
from casemgmt.domain.notes import CaseNote, NoteCategory, NoteVersion, SendAs
from casemgmt.domain.placements import PlacementStatus, PositionType
from casemgmt.domain.providers import Location, ProgramContract, Provider

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

# --- read models of intake's customers ------------------------------------------------------------
customers = Table(
    "customer",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("individual_number", String(20), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("county", String(100)),  # recommends providers in the customer's county
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
    Column("version", Integer, nullable=False, default=1),
)

locations = Table(
    "location",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("provider_id", String(40), ForeignKey("provider.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("county", String(100), nullable=False),
    Column("open", Boolean, nullable=False, default=True),
    Column("address", String(300), nullable=False, default=""),
    Column("version", Integer, nullable=False, default=1),
)


class ActivityCodes(TypeDecorator):
    """A JSON list of catalogue codes, read back as ActivityCode."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else [str(code) for code in value]

    def process_result_value(self, value, dialect):
        return None if value is None else [ActivityCode(code) for code in value]


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
    Column("activities_offered", ActivityCodes, nullable=False),
    Column("schedule", Text, nullable=False, default=""),
    Column("skills", JSON, nullable=False),
    Column("interests", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("updated_by", String(100), nullable=False),
)


# --- the plan: goals, agreement, update log, activities ------------------------------------
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

outbox, inbox = add_messaging_tables(metadata)

# --- case notes and assessments ------------------------------------------------------------------


def _note_columns() -> list[Column]:
    """What a note says: its current content (case_note) and each version (case_note_version)."""
    return [
        Column("contact_date", Date, nullable=False),
        Column("task", String(200)),
        Column("subject", String(200), nullable=False),
        Column("message", Text, nullable=False),
        Column("category", EnumText(NoteCategory, 40), nullable=False),
        Column("send_as", EnumText(SendAs, 40), nullable=False),
        Column("team_recipients", JSON, nullable=False),  # [{"name", "email"}]
        Column("to_customer", Boolean, nullable=False),
        Column("employment_id", String(64)),
        Column("retention_period", Integer),
    ]


case_notes = Table(
    "case_note",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False),
    Column("author", String(100), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    *_note_columns(),
    Column("version", Integer, nullable=False),
    Column("updated_by", String(100)),
    Column("updated_at", UtcDateTime()),
    Index("ix_case_note_customer_id_contact_date", "customer_id", "contact_date"),
)

case_note_versions = Table(
    "case_note_version",
    metadata,
    Column("note_id", String(40), ForeignKey("case_note.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("written_by", String(100), nullable=False),
    Column("written_at", UtcDateTime(), nullable=False),
    *_note_columns(),
)

assessment_results = Table(
    "assessment_result",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("assessment", EnumText(AssessmentType, 40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("taken_on", Date, nullable=False),
    Column("subject", EnumText(TabeSubject, 20)),
    Column("score", Numeric(7, 2)),
    Column("educational_functioning_level", Integer),
    Column("result", String(500)),
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)

assessment_summary_versions = Table(
    "assessment_summary_version",
    metadata,
    Column("customer_id", String(64), ForeignKey("customer.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("readiness", Text, nullable=False),
    Column("employment", Text, nullable=False),
    Column("support_services", Text, nullable=False),
    Column("written_by", String(100), nullable=False),
    Column("written_at", UtcDateTime(), nullable=False),
)

career_paths = Table(
    "career_path",
    metadata,
    Column("customer_id", String(64), ForeignKey("customer.id"), primary_key=True),
    Column("pathway", String(200)),
    Column("occupation_1", String(200)),
    Column("occupation_2", String(200)),
    Column("wage_goal", Numeric(7, 2)),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Read model of outcomes' CredentialEarned: the accomplishments' credentials count.
credentials = Table(
    "credential",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(64), nullable=False, index=True),  # outcomes may announce it before intake's registration arrives
    Column("title", String(200), nullable=False),
    Column("credential_type", EnumText(CredentialType, 80), nullable=False),
    Column("date_earned", Date, nullable=False),
)

for entity, table in (
    (NoteVersion, case_note_versions),
    (AssessmentResult, assessment_results),
    (SummaryVersion, assessment_summary_versions),
    (CareerPath, career_paths),
):
    mapper_registry.map_imperatively(entity, table)

mapper_registry.map_imperatively(
    CaseNote,
    case_notes,
    properties={
        "versions": relationship(NoteVersion, lazy="selectin", order_by=case_note_versions.c.number, cascade="all, delete-orphan")
    },
)

# --- providers, locations and program contracts, mapped to their domain classes ----------------------
mapper_registry.map_imperatively(Provider, providers)
mapper_registry.map_imperatively(Location, locations)
mapper_registry.map_imperatively(ProgramContract, program_contracts)

# --- employers, worksites and jobs: where customers are placed -----------------------------
employers = Table(
    "employer",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("fein", String(10), unique=True),
    Column("contact_name", String(200), nullable=False),
    Column("contact_phone", String(40)),
    Column("contact_email", String(254)),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("registered_by", String(100), nullable=False),
)

worksites = Table(
    "worksite",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("employer_id", Integer, ForeignKey("employer.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("street", String(200), nullable=False),
    Column("city", String(100), nullable=False),
    Column("state", String(2), nullable=False),
    Column("zip_code", String(10), nullable=False),
    Column("county", String(100), nullable=False, index=True),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("registered_by", String(100), nullable=False),
)

jobs = Table(
    "job",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("worksite_id", Integer, ForeignKey("worksite.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("openings", Integer, nullable=False),
    Column("hourly_wage", Numeric(10, 2)),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("registered_by", String(100), nullable=False),
)

mapper_registry.map_imperatively(Employer, employers)
mapper_registry.map_imperatively(Worksite, worksites)
mapper_registry.map_imperatively(Job, jobs)

# --- worksite placements on worksite-based activities, their status history and follow-ups -----------
placements = Table(
    "placement",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("activity_id", String(40), ForeignKey("activity.id"), nullable=False, index=True),
    Column("job_id", Integer, ForeignKey("job.id"), nullable=False, index=True),
    Column("position_type", EnumText(PositionType, 20), nullable=False),
    Column("status", EnumText(PlacementStatus, 40), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("planned_due_date", Date, nullable=False),
    Column("end_date", Date),
    Column("hourly_wage", Numeric(10, 2), nullable=False),
    Column("subsidised_wage", Numeric(10, 2), nullable=False),
    Column("employer_wage_match", Numeric(10, 2), nullable=False),
    Column("minimum_wage", Numeric(10, 2), nullable=False),
    Column("subsidised_start", Date),
    Column("subsidised_end", Date),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Also the placement's inactive spans: an entry with an inactive date and no return date opens one.
placement_status_history = Table(
    "placement_status_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("placement_id", String(40), ForeignKey("placement.id"), nullable=False, index=True),
    Column("status", EnumText(PlacementStatus, 40), nullable=False),
    Column("start_date", Date),
    Column("inactive_date", Date),
    Column("return_date", Date),
    Column("subsidised_start", Date),
    Column("subsidised_end", Date),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

placement_follow_ups = Table(
    "placement_follow_up",
    metadata,
    Column("placement_id", String(40), ForeignKey("placement.id"), primary_key=True),
    Column("days", Integer, primary_key=True),
    Column("due", Date, nullable=False, index=True),
    Column("verified_by", String(100)),
    Column("verified_on", Date),
)

# --- attendance, and the read models its month sheets need ---------------------------------------
# One activity's week (Sunday to Saturday): saved or verified, with who verified it and when.
attendance_weeks = Table(
    "attendance_week",
    metadata,
    Column("activity_id", String(40), ForeignKey("activity.id"), primary_key=True),
    Column("week_start", Date, primary_key=True),
    Column("customer_id", String(64), ForeignKey("customer.id"), nullable=False, index=True),
    Column("state", EnumText(WeekState, 20), nullable=False),
    Column("verified_by", String(100)),
    Column("verified_at", UtcDateTime()),
)

attendance_days = Table(
    "attendance_day",
    metadata,
    Column("activity_id", String(40), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("week_start", Date, nullable=False),
    Column("customer_id", String(64), nullable=False),
    Column("check_in", Time, nullable=False),
    Column("lunch_start", Time),
    Column("lunch_end", Time),
    Column("check_out", Time, nullable=False),
    ForeignKeyConstraint(["activity_id", "week_start"], ["attendance_week.activity_id", "attendance_week.week_start"]),
    Index("ix_attendance_day_customer_id_day", "customer_id", "day"),
)

attendance_week_history = Table(
    "attendance_week_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("activity_id", String(40), nullable=False),
    Column("week_start", Date, nullable=False),
    Column("action", EnumText(WeekAction, 20), nullable=False),
    Column("by", String(100), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("reason", String(400)),
    ForeignKeyConstraint(["activity_id", "week_start"], ["attendance_week.activity_id", "attendance_week.week_start"]),
    Index("ix_attendance_week_history_week", "activity_id", "week_start"),
)

# Read model of intake's EarnfareBenefitChanged: the monthly benefit hours in effect from each date.
earnfare_benefits = Table(
    "earnfare_benefit",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("effective_date", Date, primary_key=True),
    Column("benefit_amount", Numeric(10, 2), nullable=False),
    Column("monthly_benefit_hours", Integer, nullable=False),
)

# Read model of EmploymentRecorded: the employment hours the ABAWD tracker counts.
employments = Table(
    "employment",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", String(64), nullable=False, index=True),
    Column("weekly_hours", Numeric(5, 2), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
)
