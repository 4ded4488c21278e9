"""ies_sync handlers: import a weekly extract, apply a single-person update, read runs.

Each handler owns its transactions. An extract is streamed in chunks; each chunk (persons, quarantined
rows, run counters and outbox events) commits as one transaction, so memory stays flat and a crash
leaves every committed chunk consistent.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TextIO

from sqlalchemy import insert, select, update

from isets_contracts.events import IesPerson, IesPersonChanged
from isets_kit.db import upsert
from isets_kit.errors import NotFound, RuleViolation
from isets_kit.unit_of_work import UnitOfWork, utcnow
from ies_sync.adapters.orm import import_runs, persons, quarantine
from ies_sync.domain import COLUMNS, Comparison, RowRejected, RunCounts, compare, parse_row

CHUNK_ROWS = 1000
UnitOfWorkFactory = Callable[[], UnitOfWork]


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


async def start_run(new_uow: UnitOfWorkFactory, source: str, file_name: str | None, checksum: str | None) -> int:
    async with new_uow() as uow:
        run_id = await uow.session.scalar(
            insert(import_runs)
            .values(source=source, file_name=file_name, checksum_sha256=checksum, status="running", started_at=utcnow())
            .returning(import_runs.c.id)
        )
        await uow.commit()
    return run_id


async def import_extract(new_uow: UnitOfWorkFactory, run_id: int, text: TextIO) -> RunCounts:
    """Rule: every row is validated; bad rows are quarantined with their row number and never stop the run."""
    counts = RunCounts()
    reader = csv.DictReader(text)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        await _finish(new_uow, run_id, counts, error=f"extract header lacks columns: {', '.join(missing)}")
        return counts
    try:
        for chunk in batched(_numbered_rows(reader), CHUNK_ROWS):
            async with new_uow() as uow:
                await _apply_rows(uow, run_id, chunk, counts)
                await uow.session.execute(update(import_runs).where(import_runs.c.id == run_id).values(**_totals(counts)))
                await uow.commit()
    except Exception as error:
        await _finish(new_uow, run_id, counts, error=f"{type(error).__name__}: {error}")
        raise
    await _finish(new_uow, run_id, counts)
    return counts


def _numbered_rows(reader: csv.DictReader) -> Iterator[tuple[int, dict | str]]:
    """(line number, row), or (line number, reason) for a line the CSV reader cannot parse."""
    while True:
        # The reader counts a line it fails on only when it reads the next one, so number from the previous row.
        starts_at = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield starts_at, f"row: not readable as CSV ({error})"
            continue
        yield reader.line_num, row


async def apply_single_update(new_uow: UnitOfWorkFactory, row: dict[str, str | None]) -> tuple[int, Comparison]:
    """IES pushes one person ("Sync with IES"); a bad record is refused whole with the field and rule."""
    try:
        parse_row(row)
    except RowRejected as rejected:
        field, _, rule = rejected.reason.partition(": ")
        raise RuleViolation(field, rule) from None
    run_id = await start_run(new_uow, "single", None, None)
    counts = RunCounts()
    async with new_uow() as uow:
        comparisons = await _apply_rows(uow, run_id, [(1, row)], counts)
        await uow.commit()
    await _finish(new_uow, run_id, counts)
    return run_id, comparisons[0]


async def _apply_rows(
    uow: UnitOfWork, run_id: int, numbered_rows: Iterable[tuple[int, dict | str]], counts: RunCounts
) -> list[Comparison]:
    accepted: list[IesPerson] = []
    rejected: list[dict] = []
    for row_number, row in numbered_rows:
        counts.rows_read += 1
        try:
            if isinstance(row, str):
                raise RowRejected(row)
            accepted.append(parse_row(row))
        except RowRejected as error:
            individual_number = None if isinstance(row, str) else (row.get("individual_number") or "")[:40] or None
            counts.reject(row_number, individual_number, error.reason)
            rejected.append(
                {"run_id": run_id, "row_number": row_number, "individual_number": individual_number, "reason": error.reason}
            )
    kept = await _kept_versions(uow, {person.individual_number for person in accepted})
    to_store: dict[str, IesPerson] = {}
    comparisons = []
    for person in accepted:
        comparison = compare(kept.get(person.individual_number), person)
        comparisons.append(comparison)
        counts.count(comparison.decision)
        if comparison.stores:
            kept[person.individual_number] = to_store[person.individual_number] = person
        if comparison.publishes:
            uow.publish(
                IesPersonChanged(
                    **person.model_dump(),
                    is_new=comparison.decision == "new",
                    changed_fields=list(comparison.changed_fields),
                    run_id=str(run_id),
                ),
                subject=person.individual_number,
            )
    await upsert(
        uow.session,
        persons,
        [person.model_dump() | {"last_run_id": run_id} for person in to_store.values()],
        ["individual_number"],
        unless_newer="as_of",
    )
    if rejected:
        await uow.session.execute(insert(quarantine), rejected)
    return comparisons


async def _kept_versions(uow: UnitOfWork, individual_numbers: set[str]) -> dict[str, IesPerson]:
    if not individual_numbers:
        return {}
    # Locked, so a concurrent single update and extract chunk compare and publish one after the other.
    rows = await uow.session.execute(
        select(persons)
        .where(persons.c.individual_number.in_(individual_numbers))
        .order_by(persons.c.individual_number)
        .with_for_update()
    )
    return {row.individual_number: IesPerson.model_validate(row._asdict()) for row in rows}


def _totals(counts: RunCounts) -> dict[str, int]:
    return {
        "rows_read": counts.rows_read,
        "new": counts.new,
        "changed": counts.changed,
        "unchanged": counts.unchanged,
        "stale": counts.stale,
        "rejected": counts.rejected,
    }


async def _finish(new_uow: UnitOfWorkFactory, run_id: int, counts: RunCounts, error: str | None = None) -> None:
    async with new_uow() as uow:
        await uow.session.execute(
            update(import_runs)
            .where(import_runs.c.id == run_id)
            .values(**_totals(counts), status="failed" if error else "completed", error=error, finished_at=utcnow())
        )
        await uow.commit()


async def fail_interrupted_runs(new_uow: UnitOfWorkFactory) -> int:
    """Runs still 'running' when the service starts were cut off by a stop; say so rather than hang."""
    async with new_uow() as uow:
        result = await uow.session.execute(
            update(import_runs)
            .where(import_runs.c.status == "running")
            .values(status="failed", error="interrupted: the service stopped during the import", finished_at=utcnow())
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
