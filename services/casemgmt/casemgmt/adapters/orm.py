"""casemgmt's tables: its read models of other services' data (customers, their assignments), the
reference data it owns (providers, locations, program contracts) and the employment plan."""

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import registry
from sqlalchemy.types import TypeDecorator

from isets_contracts.reference import ActivityCode, Program, ProgramOffering
from isets_kit.db import EnumText, UtcDateTime
from isets_kit.messaging_tables import add_messaging_tables
from casemgmt.domain.providers import Location, ProgramContract, Provider

metadata = MetaData()

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

outbox, inbox = add_messaging_tables(metadata)

# --- providers, locations and program contracts, mapped to their domain classes ----------------------
mapper_registry = registry(metadata=metadata)
mapper_registry.map_imperatively(Provider, providers)
mapper_registry.map_imperatively(Location, locations)
mapper_registry.map_imperatively(ProgramContract, program_contracts)
