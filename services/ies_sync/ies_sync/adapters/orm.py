from sqlalchemy import Column, Date, Integer, LargeBinary, MetaData, String, Table, Text

from isets_kit.db import UtcDateTime
from ies_sync.domain import MAX_LENGTH
from isets_kit.messaging_tables import add_messaging_tables

metadata = MetaData()

persons = Table(
    "ies_person",
    metadata,
    Column("individual_number", String(MAX_LENGTH["individual_number"]), primary_key=True),
    Column("snap_case_number", String(MAX_LENGTH["snap_case_number"]), nullable=False),
    Column("first_name", String(MAX_LENGTH["first_name"]), nullable=False),
    Column("last_name", String(MAX_LENGTH["last_name"]), nullable=False),
    Column("date_of_birth", Date, nullable=False),
    Column("ssn_last4", String(MAX_LENGTH["ssn_last4"]), nullable=False),
    Column("email", String(MAX_LENGTH["email"])),
    Column("phone", String(MAX_LENGTH["phone"])),
    Column("address_line1", String(MAX_LENGTH["address_line1"]), nullable=False),
    Column("address_line2", String(MAX_LENGTH["address_line2"])),
    Column("city", String(MAX_LENGTH["city"]), nullable=False),
    Column("state", String(MAX_LENGTH["state"]), nullable=False),
    Column("zip", String(MAX_LENGTH["zip"]), nullable=False),
    Column("county", String(MAX_LENGTH["county"]), nullable=False),
    Column("dhs_office", String(MAX_LENGTH["dhs_office"]), nullable=False),
    Column("snap_eligibility", String(30), nullable=False),
    Column("redetermination_date", Date),
    Column("midpoint_date", Date),
    Column("as_of", UtcDateTime(), nullable=False),
    # The SHA-1 of the extract line this version was read from (with its header): next week's identical line is
    # recognised as unchanged without being read. None: from a single update, or a row over several lines.
    Column("source_line_digest", LargeBinary, index=True),
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
    # The lease: the replica importing it, renewed with every committed chunk.
    Column("owner", String(100)),
    Column("heartbeat_at", UtcDateTime()),
    Column("rerun_of", Integer),
)

# An uploaded extract, kept in parts until its run completes, so a failed run can be re-run.
extract_parts = Table(
    "extract_part",
    metadata,
    Column("run_id", Integer, primary_key=True),
    Column("part", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
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

# An extract's lines by number with their digests, looked up among the kept versions' before anything is read.
# A temporary table of one transaction, never migrated.
extract_lines = Table(
    "ies_extract_line",
    MetaData(),
    Column("line_number", Integer),
    Column("digest", LargeBinary),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)

# One chunk of validated extract rows, compared with the kept versions in one statement. A temporary
# table of the chunk's transaction, never migrated (PostgreSQL drops it at commit).
staged_persons = Table(
    "ies_person_staged",
    MetaData(),
    *(Column(column.name, column.type) for column in persons.columns if column.name != "last_run_id"),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
