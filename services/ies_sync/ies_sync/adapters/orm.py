from sqlalchemy import Column, Date, Integer, MetaData, String, Table, Text

from isets_kit.db import UtcDateTime
from isets_kit.messaging_tables import add_messaging_tables

metadata = MetaData()

persons = Table(
    "ies_person",
    metadata,
    Column("individual_number", String(20), primary_key=True),
    Column("snap_case_number", String(40), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("ssn_last4", String(4), nullable=False),
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
    Column("as_of", UtcDateTime(), nullable=False),
    Column("last_run_id", Integer),
)

import_runs = Table(
    "import_run",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(20), nullable=False),  # extract | single
    Column("file_name", String(255)),
    Column("checksum_sha256", String(64)),
    Column("status", String(20), nullable=False),  # running | completed | failed
    Column("rows_read", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("changed", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("stale", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("error", Text),
)

quarantine = Table(
    "quarantined_row",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, nullable=False, index=True),
    Column("row_number", Integer, nullable=False),
    Column("individual_number", String(40)),
    Column("reason", Text, nullable=False),
)

outbox, inbox = add_messaging_tables(metadata)
