from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Index,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import registry, relationship

from isets_contracts.reference import ActivityCode, EtStatus, ExitCompletionStatus, LevelOfProgress, Program, SnapEligibility
from isets_kit.db import EnumText, UtcDateTime
from isets_kit.messaging_tables import add_messaging_tables
from intake.domain.customer import (
    BenefitChange,
    Customer,
    EligibilityChange,
    OpenActivity,
    ProviderEnrollment,
    ResourceContact,
    StatusChange,
)
from intake.domain.referral import Action, Referral, ReferralRecord, Response

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
    Column("snap_eligibility", EnumText(SnapEligibility, 30), nullable=False),
    Column("redetermination_date", Date),
    Column("midpoint_date", Date),
    Column("ies_as_of", UtcDateTime(), nullable=False),
    Column("worknet_username", String(100)),
    Column("worknet_id", String(40)),
    Column("enrollment_date", Date, index=True),
    Column("initial_assessment_date", Date),
    Column("needs_assessment_date", Date),
    Column("first_activity_start", Date),
    Column("level_of_progress", EnumText(LevelOfProgress, 60)),
    Column("employment_verification_status", String(40)),
    Column("most_recent_credential", String(200)),
    Column("most_recent_work_experience", String(200)),
    Column("most_recent_permanent_placement", String(200)),
    Column("most_recent_training_program", String(200)),
    Column("earnfare_benefit_amount", Numeric(10, 2)),
    Column("et_status", EnumText(EtStatus, 40), index=True),
    Column("et_status_date", Date),
    Column("staff_status", EnumText(EtStatus, 40)),
    Column("staff_status_basis", EnumText(EtStatus, 40)),
    Column("version", Integer, nullable=False),
)


def _child_table(name: str, *columns: Column) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("customer_id", ForeignKey("customer.id"), nullable=False, index=True),
        *columns,
    )


status_history = _child_table(
    "et_status_history",
    Column("status", EnumText(EtStatus, 40), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("cause", Text, nullable=False),
    Column("actor", String(100)),
    Column("recorded_at", UtcDateTime(), nullable=False),
)
eligibility_history = _child_table(
    "snap_eligibility_history",
    Column("status", EnumText(SnapEligibility, 30), nullable=False),
    Column("as_of", UtcDateTime(), nullable=False),
)
referrals = _child_table(
    "referral",
    Column("number", Integer, nullable=False),
    Column("referred_to", String(40), nullable=False, index=True),
    Column("referred_from", String(100), nullable=False),
    Column("program", EnumText(Program, 40), nullable=False),
    Column("date_submitted", Date, nullable=False),
    Column("response", EnumText(Response, 20), nullable=False),
    Column("responded_by", String(100)),
    Column("response_date", Date),
    Column("snap_et_eligible", Boolean),
    Column("version", Integer, nullable=False),
    UniqueConstraint("customer_id", "number"),
)
referral_records = Table(
    "referral_record",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("referral_id", ForeignKey("referral.id"), nullable=False, index=True),
    Column("sequence", Integer, nullable=False),
    Column("action", EnumText(Action, 20), nullable=False),
    Column("referred_to", String(40), nullable=False),
    Column("referred_from", String(100), nullable=False),
    Column("program", EnumText(Program, 40), nullable=False),
    Column("date_submitted", Date, nullable=False),
    Column("response", EnumText(Response, 20), nullable=False),
    Column("form", JSON, nullable=False),
    Column("submitted_by", String(100), nullable=False),
    Column("responded_by", String(100)),
    Column("response_date", Date),
    Column("snap_et_eligible", Boolean),
    Column("reason", Text),
    Column("historical", Boolean, nullable=False),
    UniqueConstraint("referral_id", "sequence", name="uq_referral_record_sequence"),
)
# The customer is assigned to a location while an enrollment there has no exit.
enrollments = _child_table(
    "enrollment",
    Column("location", String(40), nullable=False, index=True),
    Column("program", EnumText(Program, 40), nullable=False),
    Column("enrolled_on", Date, nullable=False),
    Column("referral_number", Integer, nullable=False),
    Column("had_open_activity", Boolean, nullable=False),
    Column("exited_on", Date),
    Column("completion_status", EnumText(ExitCompletionStatus, 60)),
    Column("retention_tracked", Boolean, nullable=False),
    # One open enrollment per location: a second one would double the assignment and its events.
    Index(
        "uq_enrollment_open_per_location",
        "customer_id",
        "location",
        unique=True,
        postgresql_where=text("exited_on IS NULL"),
        sqlite_where=text("exited_on IS NULL"),
    ),
)
open_activities = _child_table(
    "open_snap_activity",
    Column("activity_id", String(40), nullable=False),
    Column("code", EnumText(ActivityCode, 20), nullable=False),
    Column("location", String(40), nullable=False),
    Column("start_date", Date),
)
resource_contacts = _child_table(
    "resource_team_contact",
    Column("name", String(200), nullable=False),
    Column("email", String(200), nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("added_at", UtcDateTime(), nullable=False),
    Column("removed_at", UtcDateTime()),
)
benefit_history = _child_table(
    "earnfare_benefit_change",
    Column("amount", Numeric(10, 2), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("set_by", String(100), nullable=False),
    Column("monthly_benefit_hours", Integer, nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
)

# The customer list's scope and sort (views.py): open enrollments and pending referrals by location,
# the name order, alone and within a status (else the database sorts every customer of that status).
Index("ix_enrollment_open_location", enrollments.c.location, enrollments.c.customer_id,
      postgresql_where=text("exited_on IS NULL"), sqlite_where=text("exited_on IS NULL"))
Index("ix_referral_pending_to", referrals.c.referred_to, referrals.c.customer_id,
      postgresql_where=text("response = 'Pending'"), sqlite_where=text("response = 'Pending'"))
Index("ix_customer_name_order", customers.c.last_name, customers.c.first_name, customers.c.id)
Index("ix_customer_status_name_order", customers.c.et_status, customers.c.last_name, customers.c.first_name, customers.c.id)

# casemgmt's provider locations as intake learns them (LocationChanged): a referral goes only to an open one.
provider_locations = Table(
    "provider_location",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("provider_id", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("county", String(100), nullable=False),
    Column("open", Boolean, nullable=False),
)

outbox, inbox = add_messaging_tables(metadata)

for entity, table in (
    (StatusChange, status_history),
    (EligibilityChange, eligibility_history),
    (ProviderEnrollment, enrollments),
    (OpenActivity, open_activities),
    (ResourceContact, resource_contacts),
    (BenefitChange, benefit_history),
    (ReferralRecord, referral_records),
):
    mapper_registry.map_imperatively(entity, table)

mapper_registry.map_imperatively(
    Referral,
    referrals,
    properties={
        "records": relationship(
            ReferralRecord, lazy="selectin", order_by=referral_records.c.sequence, cascade="all, delete-orphan"
        )
    },
)


def _owned(entity, table: Table, order_by=None):
    return relationship(entity, lazy="selectin", order_by=table.c.id if order_by is None else order_by, cascade="all, delete-orphan")


mapper_registry.map_imperatively(
    Customer,
    customers,
    properties={
        # Recorded order, not id order: PostgreSQL may number the rows of one flush in another order.
        "status_history": _owned(StatusChange, status_history, (status_history.c.recorded_at, status_history.c.id)),
        "eligibility_history": _owned(EligibilityChange, eligibility_history),
        "referrals": _owned(Referral, referrals, referrals.c.number),
        "enrollments": _owned(ProviderEnrollment, enrollments),
        "open_activities": _owned(OpenActivity, open_activities),
        "resource_team": _owned(ResourceContact, resource_contacts),
        "benefit_history": _owned(BenefitChange, benefit_history),
    },
)

