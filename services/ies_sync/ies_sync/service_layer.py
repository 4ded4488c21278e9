"""ies_sync handlers: import a weekly extract, apply a single-person update, re-run a failed import, read runs.

Each handler owns its transactions. An extract is streamed in chunks; each chunk (persons, quarantined
rows, run counters, the run's heartbeat and outbox events) commits as one transaction, so memory stays
flat and a crash leaves every committed chunk consistent with the run's counts.

A run is leased to the replica importing it (`owner`, `heartbeat_at` renewed with every chunk): start-up
fails the runs this replica owned, and any replica fails runs whose heartbeat is older than `LEASE`.
The uploaded extract is kept until its run completes, so a failed run can be re-run with one call.
"""

import asyncio
import csv
import hashlib
import logging
import traceback
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from datetime import datetime, timedelta
from itertools import islice
from operator import itemgetter
from typing import BinaryIO, TextIO

from sqlalchemy import Row, Table, case, delete, exists, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.schema import CreateTable, DropTable

from isets_contracts.events import IesPersonChanged
from isets_kit.db import insert_records, insert_rows, is_postgres, one_of
from isets_kit.errors import Conflict, NotFound, RuleViolation
from isets_kit.unit_of_work import UnitOfWork, utcnow
from ies_sync.adapters.orm import extract_lines, extract_parts, import_runs, persons, quarantine, staged_persons
from ies_sync.domain import (
    COLUMNS, PERSON_COLUMNS, PERSON_FIELDS, VALIDATION_RULES, Comparison, Decision, RowRejected, RunCounts, decide,
    is_plain_text, parse_row, parse_values,
)

CHUNK_ROWS = 5000
SLICE_ROWS = 500
DIGEST_BATCH_LINES = 20_000
EXTRACT_PART_BYTES = 1024 * 1024
LEASE = timedelta(seconds=60)
PERSONS_LOCK = 0x1E5_9E45  # PostgreSQL advisory lock key: one transaction at a time compares and stores persons
UNCHANGED = decide(kept=True, as_of_order=0, changed_fields=())
UnitOfWorkFactory = Callable[[], UnitOfWork]

log = logging.getLogger("ies_sync")


class LeaseLost(Exception):
    """The run is no longer this replica's to import (its lease expired and another replica failed it)."""


async def start_run(
    new_uow: UnitOfWorkFactory,
    source: str,
    file_name: str | None,
    checksum: str | None,
    owner: str,
    extract: BinaryIO | None = None,
) -> int:
    """A new run leased to `owner`; an uploaded extract is kept with it (read from `extract` in parts)."""
    async with new_uow() as uow:
        run_id = await uow.session.scalar(
            insert(import_runs)
            .values(
                source=source, file_name=file_name, checksum_sha256=checksum, status="running", started_at=utcnow(),
                owner=owner, heartbeat_at=utcnow(),
            )
            .returning(import_runs.c.id)
        )
        if extract is not None:
            part = 0
            while data := extract.read(EXTRACT_PART_BYTES):
                # COPY: a megabyte passed as a statement's parameter took six times as long.
                await insert_rows(uow.session, extract_parts, [{"run_id": run_id, "part": part, "data": data}])
                part += 1
            # Storing a large extract takes a while; the lease starts when the run becomes visible.
            await uow.session.execute(update(import_runs).where(import_runs.c.id == run_id).values(heartbeat_at=utcnow()))
        await uow.commit()
    return run_id


async def rerun(new_uow: UnitOfWorkFactory, run_id: int, owner: str) -> int:
    """Rule: a failed extract run is imported again from its kept extract, as a new run (re-importing is
    idempotent: rows already applied come out unchanged). The extract moves to the new run."""
    async with new_uow() as uow:
        run = (
            await uow.session.execute(select(import_runs).where(import_runs.c.id == run_id).with_for_update())
        ).first()
        if run is None:
            raise NotFound("run_id", f"no import run {run_id}")
        if run.status != "failed":
            raise Conflict("run_id", f"run {run_id} is {run.status}: only a failed run can be re-run")
        kept = await uow.session.scalar(select(func.count()).select_from(extract_parts).where(extract_parts.c.run_id == run_id))
        if not kept:
            raise Conflict("run_id", f"run {run_id} has no kept extract (a single update, or already re-run)")
        new_run_id = await uow.session.scalar(
            insert(import_runs)
            .values(
                source=run.source, file_name=run.file_name, checksum_sha256=run.checksum_sha256, status="running",
                started_at=utcnow(), owner=owner, heartbeat_at=utcnow(), rerun_of=run_id,
            )
            .returning(import_runs.c.id)
        )
        await uow.session.execute(update(extract_parts).where(extract_parts.c.run_id == run_id).values(run_id=new_run_id))
        await uow.commit()
    return new_run_id


async def read_extract(new_uow: UnitOfWorkFactory, run_id: int, into: BinaryIO) -> None:
    """Copy a run's kept extract into a file, one part at a time."""
    async with new_uow() as uow:
        parts = list(await uow.session.scalars(
            select(extract_parts.c.part).where(extract_parts.c.run_id == run_id).order_by(extract_parts.c.part)
        ))
    for part in parts:
        async with new_uow() as uow:
            into.write(await uow.session.scalar(
                select(extract_parts.c.data).where(extract_parts.c.run_id == run_id, extract_parts.c.part == part)
            ))
    into.seek(0)


async def import_extract(new_uow: UnitOfWorkFactory, run_id: int, text: TextIO, owner: str) -> RunCounts:
    """Rule: every row is validated; bad rows are quarantined with their row number and never stop the run.
    The run ends completed, or failed with the counts of what was committed; an error text names no person.

    `text` is read twice: first every line's digest is looked up among the kept versions (a line identical to
    the one a kept version was read from is unchanged, and is not read again), then the other lines are read."""
    counts = RunCounts()
    header = text.readline()
    where = {name: index for index, name in enumerate(next(csv.reader([header]), []))}
    missing = [column for column in COLUMNS if column not in where]
    if missing:
        await _finish(new_uow, run_id, owner, _totals(counts), error=f"extract header lacks columns: {', '.join(missing)}")
        return counts
    lines = ExtractLines(text, header)
    committed = _totals(counts)
    storing: asyncio.Task | None = None
    try:
        committed = await _recognise_unchanged_lines(new_uow, run_id, owner, lines, counts)
        numbered_rows = _numbered_rows(csv.reader(lines), lines, [where[column] for column in COLUMNS])
        # Pipelined: the next chunk is read and validated while the database works on the one before.
        async for chunk in _checked_chunks(run_id, numbered_rows):
            if storing is not None:
                committed = await storing
            storing = asyncio.create_task(_store_chunk(new_uow, run_id, owner, chunk, counts))
        if storing is not None:
            committed = await storing
    except LeaseLost:
        log.warning("import run %s stopped after %d rows: its lease was lost", run_id, committed["rows_read"])
        return counts
    except Exception as error:
        if storing is not None:  # the chunk before the one that failed to read is committed first
            [stored] = await asyncio.gather(storing, return_exceptions=True)
            committed = stored if isinstance(stored, dict) else committed
        # The error's text may quote a row's values: only its type and where it happened are kept.
        where = traceback.extract_tb(error.__traceback__)[-1]
        log.error(
            "import run %s stopped by %s at %s:%d after %d committed rows",
            run_id, type(error).__name__, where.filename, where.lineno, committed["rows_read"],
        )
        await _finish(
            new_uow, run_id, owner, committed,
            error=f"stopped by an unexpected {type(error).__name__} after {committed['rows_read']} committed rows; "
            f"re-run it with POST /ies/imports/{run_id}/rerun",
        )
        return counts
    await _finish(new_uow, run_id, owner, committed)
    return counts


class ExtractLines:
    """The extract's lines after its header, as the CSV reader takes them: all of them, or once the unchanged
    ones are known, only the others. Keeps the numbers of the lines given out for the record being read, and
    the digest of its line (a record over several lines has none)."""

    def __init__(self, text: TextIO, header: str):
        self._text = text
        self._start = text.tell()
        self._header_digest = self.digest_of(header, VALIDATION_RULES.encode())
        self.to_read: bytearray | None = None  # bit n set: line n is read (None: every line is)
        self.first_line = self.last_line = 1
        self.record_lines = 0
        self.digest: bytes | None = None

    @staticmethod
    def digest_of(line: str, header_digest: bytes) -> bytes:
        return hashlib.sha1(header_digest + line.rstrip("\r\n").encode("utf-8", "surrogateescape")).digest()

    def numbered_digests(self) -> Iterator[tuple[int, bytes]]:
        """Every line's number and digest (the header's and the rules' in it: the same line under other columns
        is other values, and under other rules may not be valid)."""
        self._text.seek(self._start)
        header_digest = self._header_digest
        for number, line in enumerate(self._text, start=2):
            yield number, self.digest_of(line, header_digest)

    def start_record(self) -> None:
        self.first_line, self.record_lines = None, 0

    def __iter__(self) -> Iterator[str]:
        self._text.seek(self._start)
        to_read, header_digest = self.to_read, self._header_digest
        for number, line in enumerate(self._text, start=2):
            if to_read is not None and not (number >> 3 < len(to_read) and to_read[number >> 3] >> (number & 7) & 1):
                continue
            if self.first_line is None:
                self.first_line = number
            self.last_line, self.record_lines = number, self.record_lines + 1
            self.digest = self.digest_of(line, header_digest)
            yield line


async def _recognise_unchanged_lines(
    new_uow: UnitOfWorkFactory, run_id: int, owner: str, lines: ExtractLines, counts: RunCounts
) -> dict[str, int]:
    """Set-based: every line's digest is staged and looked up among the kept versions' by one statement; the
    lines found are counted unchanged and will not be read. Nothing is kept yet (a first load): every line is read."""
    async with new_uow() as uow:
        if await uow.session.scalar(select(persons.c.individual_number).limit(1)) is None:
            return _totals(counts)
        await _create_afresh(uow, extract_lines)
        numbered_digests, last_line = lines.numbered_digests(), 1
        while batch := list(islice(numbered_digests, DIGEST_BATCH_LINES)):
            await insert_records(uow.session, extract_lines, ["line_number", "digest"], batch)
            last_line = batch[-1][0]
        to_read = bytearray((last_line >> 3) + 1)
        unknown = await uow.session.stream(
            select(extract_lines.c.line_number).where(
                ~exists().where(persons.c.source_line_digest == extract_lines.c.digest)
            )
        )
        async for numbers in unknown.scalars().partitions(DIGEST_BATCH_LINES):
            for number in numbers:
                to_read[number >> 3] |= 1 << (number & 7)
        unchanged = last_line - 1 - int.from_bytes(to_read, "little").bit_count()
        counts.rows_read += unchanged
        counts.unchanged += unchanged
        await _renew_lease(uow, run_id, owner, _totals(counts))
        await uow.commit()
    lines.to_read = to_read
    return _totals(counts)


async def _renew_lease(uow: UnitOfWork, run_id: int, owner: str, totals: dict[str, int]) -> None:
    result = await uow.session.execute(
        update(import_runs)
        .where(import_runs.c.id == run_id, import_runs.c.status == "running", import_runs.c.owner == owner)
        .values(**totals, heartbeat_at=utcnow())
    )
    if result.rowcount != 1:
        raise LeaseLost(run_id)


def _numbered_rows(reader, lines: ExtractLines, positions: list[int]) -> Iterator[tuple[int, Sequence[str | None] | str, bytes | None]]:
    """(line number, the row's values in `COLUMNS` order, the digest of its line), or (line number, reason, None)
    for a line the CSV reader cannot parse. Blank lines are skipped; a short row's missing values are None."""
    values_of, width = itemgetter(*positions), max(positions) + 1
    while True:
        lines.start_record()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield lines.first_line or lines.last_line, f"row: not readable as CSV ({error})", None
            continue
        if not row:
            continue
        digest = lines.digest if lines.record_lines == 1 else None
        if len(row) >= width:
            yield lines.last_line, values_of(row), digest
        else:
            yield lines.last_line, [row[position] if position < len(row) else None for position in positions], digest


async def apply_single_update(
    new_uow: UnitOfWorkFactory, row: dict[str, str | None], owner: str
) -> tuple[int, Comparison]:
    """IES pushes one person ("Sync with IES"); a bad record is refused whole with the field and rule."""
    try:
        parse_row(row)
    except RowRejected as rejected:
        field, _, rule = rejected.reason.partition(": ")
        raise RuleViolation(field, rule) from None
    run_id = await start_run(new_uow, "single", None, None, owner)
    counts = RunCounts()
    try:
        async with new_uow() as uow:
            checked = CheckedRows().check(run_id, [(1, [row.get(column) for column in COLUMNS], None)])
            compared = await _store_rows(uow, run_id, checked, counts)
            await _renew_lease(uow, run_id, owner, _totals(counts))
            await uow.commit()
    except Exception as error:
        await _finish(
            new_uow, run_id, owner, _totals(RunCounts()), error=f"stopped by an unexpected {type(error).__name__}"
        )
        raise
    await _finish(new_uow, run_id, owner, _totals(counts))
    return run_id, compared.get(0, UNCHANGED)


@dataclass
class CheckedRows:
    """Rows of an extract, validated: the people's values in `PERSON_COLUMNS` order followed by the digest of
    their line (`STAGED_COLUMNS`), and quarantine rows."""

    rows_read: int = 0
    accepted: list[tuple] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)

    def check(
        self, run_id: int, numbered_rows: Iterable[tuple[int, Sequence[str | None] | str, bytes | None]]
    ) -> "CheckedRows":
        for row_number, row, digest in numbered_rows:
            self.rows_read += 1
            try:
                if isinstance(row, str):
                    raise RowRejected(row)
                self.accepted.append((*parse_values(row), digest))
            except RowRejected as error:
                individual_number = None if isinstance(row, str) else (row[0] or "")[:40] or None
                if individual_number is not None and not is_plain_text(individual_number):
                    individual_number = None
                self.rejected.append(
                    {"run_id": run_id, "row_number": row_number, "individual_number": individual_number, "reason": error.reason}
                )
        return self


async def _checked_chunks(run_id: int, numbered_rows: Iterator) -> AsyncIterator[CheckedRows]:
    """The rows in chunks of `CHUNK_ROWS`, validated; the event loop gets a turn every `SLICE_ROWS` rows, so the
    statements of the chunk being stored go on meanwhile."""
    while True:
        chunk = CheckedRows()
        while part := tuple(islice(numbered_rows, min(SLICE_ROWS, CHUNK_ROWS - chunk.rows_read))):
            chunk.check(run_id, part)
            await asyncio.sleep(0)
        if not chunk.rows_read:
            return
        yield chunk


async def _store_chunk(new_uow: UnitOfWorkFactory, run_id: int, owner: str, chunk: CheckedRows, counts: RunCounts) -> dict[str, int]:
    """One chunk in one transaction (persons, quarantined rows, the run's counts and heartbeat, outbox events);
    the run's totals once it committed."""
    async with new_uow() as uow:
        await _store_rows(uow, run_id, chunk, counts)
        await _renew_lease(uow, run_id, owner, _totals(counts))
        await uow.commit()
    return _totals(counts)


async def _store_rows(uow: UnitOfWork, run_id: int, chunk: CheckedRows, counts: RunCounts) -> dict[int, Comparison]:
    """Quarantine the bad rows, compare and store the good ones; the comparisons of the accepted rows that are
    not plainly unchanged, by their index (most rows of a weekly extract are unchanged: they cost nothing here)."""
    accepted = chunk.accepted
    counts.rows_read += chunk.rows_read
    counts.rejected += len(chunk.rejected)
    await _lock_persons(uow)
    compared: dict[int, Comparison] = {}
    for indexes in _rounds(accepted):
        found = await _compare_and_store(uow, run_id, [accepted[index] for index in indexes])
        compared.update((indexes[position], comparison) for position, comparison in found)
    counts.unchanged += len(accepted) - len(compared)
    for index in sorted(compared):
        values, comparison = accepted[index], compared[index]
        counts.count(comparison.decision)
        if comparison.publishes:
            uow.publish(
                IesPersonChanged(
                    **dict(zip(PERSON_COLUMNS, values[:-1], strict=True)),
                    is_new=comparison.decision == "new",
                    changed_fields=list(comparison.changed_fields),
                    run_id=str(run_id),
                ),
                subject=values[0],
            )
    await insert_rows(uow.session, quarantine, chunk.rejected)
    return compared


async def _lock_persons(uow: UnitOfWork) -> None:
    """Extract chunks and single updates compare and store one after the other, so each compares with what
    the one before stored. One lock per transaction (SQLite's writers take turns anyway): locking each kept
    person's row had cost PostgreSQL a write per row of every weekly extract."""
    if is_postgres(uow.session.bind):
        await uow.session.execute(select(func.pg_advisory_xact_lock(PERSONS_LOCK)))


def _rounds(people: list[tuple]) -> list[list[int]]:
    """The people's indexes in file order, split so that an individual number occurs once per round: a
    later row of a person is compared with what the earlier one stored."""
    rounds: list[list[int]] = []
    occurrences: dict[str, int] = {}
    for index, values in enumerate(people):
        occurrence = occurrences[values[0]] = occurrences.get(values[0], -1) + 1
        if occurrence == len(rounds):
            rounds.append([])
        rounds[occurrence].append(index)
    return rounds


async def _compare_and_store(uow: UnitOfWork, run_id: int, people: list[tuple]) -> list[tuple[int, Comparison]]:
    """Set-based: the people are staged, compared with the kept versions and stored by three statements; the
    positions and comparisons of those not plainly unchanged. Every individual number occurs once in `people`."""
    await _stage(uow, people)
    found, stored = {}, []
    for number, kept, as_of_order, changed, other_line in await _compare_with_kept(uow):
        comparison = found[number] = decide(kept, as_of_order, _changed_fields(changed))
        # An unchanged person read from another line than the kept version's keeps this line's digest.
        if comparison.stores or (other_line and comparison.decision is Decision.UNCHANGED):
            stored.append(number)
    if stored:
        await uow.session.execute(_store_statement(uow, run_id, stored))
    return [(position, found[values[0]]) for position, values in enumerate(people) if values[0] in found]


async def _create_afresh(uow: UnitOfWork, temporary: Table) -> None:
    """A temporary table of this transaction, empty (on SQLite it outlives the transaction, on its connection)."""
    connection = await uow.session.connection()
    await connection.execute(DropTable(temporary, if_exists=True))
    await connection.execute(CreateTable(temporary))


async def _stage(uow: UnitOfWork, people: list[tuple]) -> None:
    await _create_afresh(uow, staged_persons)
    await insert_records(uow.session, staged_persons, STAGED_COLUMNS, people)


_STAGED, _KEPT = staged_persons, persons
STAGED_COLUMNS = (*PERSON_COLUMNS, "source_line_digest")
_JOINED = _STAGED.outerjoin(_KEPT, _KEPT.c.individual_number == _STAGED.c.individual_number)
_IS_KEPT = _KEPT.c.individual_number.is_not(None)
# Bit i set: PERSON_FIELDS[i] differs from the kept version's value (NULL and a value differ; two NULLs do not).
_CHANGED_MASK = sum(
    (case((_STAGED.c[name].is_distinct_from(_KEPT.c[name]), 1 << bit), else_=0) for bit, name in enumerate(PERSON_FIELDS)),
    literal(0),
)
_AS_OF_ORDER = case((_STAGED.c.as_of < _KEPT.c.as_of, -1), (_STAGED.c.as_of > _KEPT.c.as_of, 1), else_=0)
_OTHER_LINE = _STAGED.c.source_line_digest.is_distinct_from(_KEPT.c.source_line_digest)


async def _compare_with_kept(uow: UnitOfWork) -> Sequence[Row]:
    """Per staged person who is not plainly unchanged: (individual number, a version is kept, as-of order,
    changed-fields mask, read from another line than the kept version)."""
    compared = select(
        _STAGED.c.individual_number, _IS_KEPT.label("kept"), _AS_OF_ORDER.label("as_of_order"),
        _CHANGED_MASK.label("changed"), _OTHER_LINE.label("other_line"),
    ).select_from(_JOINED).subquery()
    return (await uow.session.execute(
        select(compared).where(
            or_(~compared.c.kept, compared.c.as_of_order != 0, compared.c.changed != 0, compared.c.other_line)
        )
    )).all()


@cache
def _changed_fields(mask: int) -> tuple[str, ...]:
    return tuple(name for bit, name in enumerate(PERSON_FIELDS) if mask >> bit & 1)


def _store_statement(uow: UnitOfWork, run_id: int, stored: list[str]):
    """The staged people whose version replaces the kept one (new, changed, equal with a newer as-of, or equal
    from another line); the upsert's guard holds that an older as-of never overwrites a newer one."""
    dialect_insert = postgresql_insert if is_postgres(uow.session.bind) else sqlite_insert
    statement = dialect_insert(_KEPT).from_select(
        [*STAGED_COLUMNS, "last_run_id"],
        select(*(_STAGED.c[name] for name in STAGED_COLUMNS), literal(run_id)).where(
            one_of(_STAGED.c.individual_number, stored)
        ),
    )
    return statement.on_conflict_do_update(
        index_elements=[_KEPT.c.individual_number],
        set_={name: statement.excluded[name] for name in [*STAGED_COLUMNS[1:], "last_run_id"]},
        where=_KEPT.c.as_of <= statement.excluded.as_of,
    )


def _totals(counts: RunCounts) -> dict[str, int]:
    return {
        "rows_read": counts.rows_read,
        "new": counts.new,
        "changed": counts.changed,
        "unchanged": counts.unchanged,
        "stale": counts.stale,
        "rejected": counts.rejected,
    }


async def _finish(
    new_uow: UnitOfWorkFactory, run_id: int, owner: str, totals: dict[str, int], error: str | None = None
) -> None:
    """In its own transaction; a run another replica has failed meanwhile stays as it is."""
    async with new_uow() as uow:
        await uow.session.execute(
            update(import_runs)
            .where(import_runs.c.id == run_id, import_runs.c.status == "running", import_runs.c.owner == owner)
            .values(**totals, status="failed" if error else "completed", error=error, finished_at=utcnow())
        )
        if not error:
            await uow.session.execute(delete(extract_parts).where(extract_parts.c.run_id == run_id))
        await uow.commit()


async def fail_interrupted_runs(new_uow: UnitOfWorkFactory, owner: str, now: datetime | None = None) -> int:
    """At start-up: runs this replica owned were cut off by its stop; runs of other replicas only if their lease expired."""
    now = now or utcnow()
    async with new_uow() as uow:
        own = await uow.session.execute(
            update(import_runs)
            .where(import_runs.c.status == "running", import_runs.c.owner == owner)
            .values(status="failed", error="interrupted: the replica importing it stopped", finished_at=now)
        )
        await uow.commit()
    return own.rowcount + await fail_expired_runs(new_uow, now)


async def fail_expired_runs(new_uow: UnitOfWorkFactory, now: datetime | None = None) -> int:
    """Runs whose importing replica has sent no heartbeat for `LEASE` (it stopped or hangs): their counts
    are those of the chunks it committed."""
    now = now or utcnow()
    async with new_uow() as uow:
        result = await uow.session.execute(
            update(import_runs)
            .where(
                import_runs.c.status == "running",
                or_(import_runs.c.heartbeat_at.is_(None), import_runs.c.heartbeat_at < now - LEASE),
            )
            .values(
                status="failed",
                error=f"interrupted: no heartbeat from the replica importing it for {int(LEASE.total_seconds())} s",
                finished_at=now,
            )
        )
        await uow.commit()
        return result.rowcount


async def get_run(new_uow: UnitOfWorkFactory, run_id: int, quarantine_limit: int = 100) -> dict:
    async with new_uow() as uow:
        run = (await uow.session.execute(select(import_runs).where(import_runs.c.id == run_id))).first()
        if run is None:
            raise NotFound("run_id", f"no import run {run_id}")
        rows = await uow.session.execute(
            select(quarantine.c.row_number, quarantine.c.individual_number, quarantine.c.reason)
            .where(quarantine.c.run_id == run_id)
            .order_by(quarantine.c.row_number)
            .limit(quarantine_limit)
        )
        return run._asdict() | {"quarantined": [row._asdict() for row in rows]}


async def list_runs(new_uow: UnitOfWorkFactory, limit: int = 50) -> list[dict]:
    async with new_uow() as uow:
        rows = await uow.session.execute(select(import_runs).order_by(import_runs.c.id.desc()).limit(limit))
        return [row._asdict() for row in rows]
