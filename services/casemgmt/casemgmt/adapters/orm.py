"""casemgmt's tables: its read models of other services' data (customers, their assignments), the
reference data it owns (providers, locations, program contracts) and the employment plan."""

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, MetaData, Numeric, String, Table, Text
from sqlalchemy.orm import registry

from isets_contracts.reference import Program, ProgramOffering
from isets_kit.db import EnumText, UtcDateTime
from isets_kit.messaging_tables import add_messaging_tables
from casemgmt.domain.employers import Employer, Job, Worksite

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


# --- employers, worksites and jobs: where customers are placed (part 2) -----------------------------
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

employer_mappers = registry(metadata=metadata)
employer_mappers.map_imperatively(Employer, employers)
employer_mappers.map_imperatively(Worksite, worksites)
employer_mappers.map_imperatively(Job, jobs)
