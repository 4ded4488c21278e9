from sqlalchemy import Column, Date, ForeignKey, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import registry, relationship

from isets_kit.db import UtcDateTime
from isets_kit.messaging_tables import add_messaging_tables
from intake.domain.customer import Customer, EligibilityChange, StatusChange

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

customers = Table(
    "customer",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("individual_number", String(20), nullable=False, unique=True),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("ssn_last4", String(4), nullable=False),
    Column("snap_case_number", String(40), nullable=False, index=True),
    Column("ies_snap_case_number", String(40), nullable=False),
    Column("email", String(200)),
    Column("phone", String(40)),
    Column("address_line1", String(200), nullable=False),
    Column("address_line2", String(200)),
    Column("city", String(100), nullable=False),
    Column("state", String(2), nullable=False),
    Column("zip", String(10), nullable=False),
    Column("county", String(100), nullable=False),
    Column("dhs_office", String(200), nullable=False),
    Column("snap_eligibility", String(30), nullable=False),
    Column("redetermination_date", Date),
    Column("midpoint_date", Date),
    Column("ies_as_of", UtcDateTime(), nullable=False),
    Column("et_status", String(40), index=True),
    Column("et_status_date", Date),
    Column("version", Integer, nullable=False),
)

status_history = Table(
    "et_status_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", ForeignKey("customer.id"), nullable=False, index=True),
    Column("status", String(40), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("cause", Text, nullable=False),
    Column("actor", String(100)),
    Column("recorded_at", UtcDateTime(), nullable=False),
)

eligibility_history = Table(
    "snap_eligibility_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", ForeignKey("customer.id"), nullable=False, index=True),
    Column("status", String(30), nullable=False),
    Column("as_of", UtcDateTime(), nullable=False),
)

# A customer is assigned to a location while a referral to it is accepted and that provider has not exited them.
customer_locations = Table(
    "customer_location",
    metadata,
    Column("customer_id", ForeignKey("customer.id"), primary_key=True),
    Column("location", String(40), primary_key=True, index=True),
)

outbox, inbox = add_messaging_tables(metadata)

mapper_registry.map_imperatively(StatusChange, status_history)
mapper_registry.map_imperatively(EligibilityChange, eligibility_history)
mapper_registry.map_imperatively(
    Customer,
    customers,
    properties={
        "status_history": relationship(StatusChange, lazy="selectin", order_by=status_history.c.id),
        "eligibility_history": relationship(EligibilityChange, lazy="selectin", order_by=eligibility_history.c.id),
    },
    version_id_col=customers.c.version,
    version_id_generator=False,
)
