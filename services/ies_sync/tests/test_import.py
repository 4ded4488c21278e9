"""The import handler against a real database (SQLite here; PostgreSQL in the integration suite)."""

import asyncio
import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from deploy.stack import recreate_databases
from isets_contracts import topics
from isets_kit.db import make_engine, make_sessions
from isets_kit.errors import Conflict, NotFound, RuleViolation
from isets_kit.migrations import upgrade_to_head
from isets_kit.unit_of_work import UnitOfWork, utcnow
from ies_sync import service_layer
from ies_sync.adapters.api import SingleUpdate
from ies_sync.adapters.orm import extract_parts, import_runs, outbox, persons
from ies_sync.domain import COLUMNS, RunCounts
from ies_sync.synthetic import person, write_extract

MIGRATIONS = Path(__file__).resolve().parents[1] / "ies_sync" / "migrations"
REPLICA = "replica-a"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.kafka)])
def new_uow(request, tmp_path):
    """Each test on SQLite (the demo) and on PostgreSQL (production: the extract is staged with COPY)."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'ies.db'}"
    else:
        port = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
        asyncio.run(recreate_databases(port, ["isets_test_ies_sync_import"]))
        url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/isets_test_ies_sync_import"
    asyncio.run(upgrade_to_head(MIGRATIONS, url))
    engine = make_engine(url)
    sessions = make_sessions(engine)
    yield lambda: UnitOfWork(sessions, outbox, "ies_sync", asyncio.Event(), topic=topics.IES_SYNC)
    asyncio.run(engine.dispose())


def extract(**options) -> io.StringIO:
    text = io.StringIO()
    write_extract(text, **options)
    text.seek(0)
    return text


async def run_import(new_uow, text):
    run_id = await service_layer.start_run(new_uow, "extract", "test.csv", None, REPLICA)
    await service_layer.import_extract(new_uow, run_id, text, REPLICA)
    return await service_layer.get_run(new_uow, run_id)


async def published(new_uow) -> list[dict]:
    async with new_uow() as uow:
        return [json.loads(p) for p in await uow.session.scalars(select(outbox.c.payload).order_by(outbox.c.id))]


def test_extract_import_publishes_one_event_per_new_person(new_uow):
    async def scenario():
        run = await run_import(new_uow, extract(rows=50))
        events = await published(new_uow)
        return run, events

    run, events = asyncio.run(scenario())
    assert (run["status"], run["rows_read"], run["new"], run["rejected"]) == ("completed", 50, 50, 0)
    assert len(events) == 50 and {e["data"]["is_new"] for e in events} == {True}
    assert events[0]["subject"] == events[0]["data"]["individual_number"]


def test_reimporting_the_same_file_changes_and_publishes_nothing(new_uow):
    async def scenario():
        await run_import(new_uow, extract(rows=30))
        run = await run_import(new_uow, extract(rows=30))
        return run, await published(new_uow)

    run, events = asyncio.run(scenario())
    assert (run["new"], run["changed"], run["unchanged"]) == (0, 0, 30)
    assert len(events) == 30


def test_changed_persons_are_published_with_changed_fields(new_uow):
    async def scenario():
        await run_import(new_uow, extract(rows=200))
        run = await run_import(new_uow, extract(rows=200, changed=0.1))
        return run, (await published(new_uow))[200:]

    run, events = asyncio.run(scenario())
    assert run["changed"] == len(events) > 0
    assert run["changed"] + run["unchanged"] == 200
    assert all(not e["data"]["is_new"] and "phone" in e["data"]["changed_fields"] for e in events)


def test_bad_rows_are_quarantined_with_row_number_and_reason_and_the_run_goes_on(new_uow):
    text = io.StringIO()
    write_extract(text, rows=5)
    lines = text.getvalue().splitlines()
    lines[3] = lines[3].replace(person(2, 1)["date_of_birth"], "1990-02-31")
    run = asyncio.run(run_import(new_uow, io.StringIO("\n".join(lines) + "\n")))
    assert (run["rows_read"], run["new"], run["rejected"]) == (5, 4, 1)
    assert run["quarantined"] == [
        {"row_number": 4, "individual_number": "100000002", "reason": "date_of_birth: is not a date (YYYY-MM-DD or MM/DD/YYYY)"}
    ]


def test_extract_without_required_columns_fails_the_run_with_the_missing_columns(new_uow):
    run = asyncio.run(run_import(new_uow, io.StringIO("individual_number,first_name\n1,Tom\n")))
    assert run["status"] == "failed" and "snap_case_number" in run["error"]


def test_older_as_of_in_a_later_file_is_ignored(new_uow):
    newer = person(0, 1) | {"phone": "312-555-9999", "as_of": "2026-11-20T00:00:00+00:00"}
    older = person(0, 1) | {"phone": "217-555-0000", "as_of": "2026-11-01T00:00:00+00:00"}

    async def scenario():
        await service_layer.apply_single_update(new_uow, newer, REPLICA)
        _, comparison = await service_layer.apply_single_update(new_uow, older, REPLICA)
        return comparison, await published(new_uow)

    comparison, events = asyncio.run(scenario())
    assert comparison.decision == "stale"
    assert [e["data"]["phone"] for e in events] == ["312-555-9999"]


def test_single_update_with_bad_field_is_refused_naming_the_field(new_uow):
    with pytest.raises(RuleViolation) as refused:
        asyncio.run(service_layer.apply_single_update(new_uow, person(0, 1) | {"ssn_last4": "12"}, REPLICA))
    assert refused.value.field == "ssn_last4"
    assert asyncio.run(published(new_uow)) == []


def test_single_update_takes_exactly_the_extract_columns():
    assert set(SingleUpdate.model_fields) == set(COLUMNS)


def test_value_longer_than_its_column_is_quarantined_not_fatal(new_uow):
    text = io.StringIO()
    write_extract(text, rows=3)
    lines = text.getvalue().splitlines()
    lines[2] = lines[2].replace(",IL,", ",ILL,")
    run = asyncio.run(run_import(new_uow, io.StringIO("\n".join(lines) + "\n")))
    assert (run["status"], run["new"], run["rejected"]) == ("completed", 2, 1)
    assert run["quarantined"][0]["reason"] == "state: at most 2 characters"


def test_row_with_bytes_that_are_not_utf8_is_quarantined(new_uow):
    text = io.StringIO()
    write_extract(text, rows=3)
    raw = text.getvalue().encode()
    first_name = person(1, 1)["first_name"].encode()
    broken = raw.replace(first_name, first_name + b"\xff", 1) if raw.count(first_name) == 1 else raw.replace(b",IL,", b",I\xff,", 1)
    wrapper = io.TextIOWrapper(io.BytesIO(broken), encoding="utf-8-sig", errors="surrogateescape", newline="")
    run = asyncio.run(run_import(new_uow, wrapper))
    assert (run["status"], run["rows_read"], run["rejected"]) == ("completed", 3, 1)
    assert run["quarantined"][0]["reason"].endswith("is not valid UTF-8 text")


def test_line_the_csv_reader_cannot_parse_is_quarantined_and_the_run_goes_on(new_uow):
    text = io.StringIO()
    write_extract(text, rows=3)
    lines = text.getvalue().splitlines()
    lines.insert(2, "1," + "x" * 200_000)  # a field past the CSV reader's size limit
    run = asyncio.run(run_import(new_uow, io.StringIO("\n".join(lines) + "\n")))
    assert run["status"] == "completed" and (run["new"], run["rejected"]) == (3, 1)
    assert run["quarantined"][0]["row_number"] == 3
    assert run["quarantined"][0]["reason"].startswith("row: not readable as CSV")


def test_kept_version_with_a_newer_as_of_is_never_overwritten_by_an_older_write(new_uow):
    """Even when the older version was compared before the newer one committed (the upsert guards too)."""
    from isets_kit.db import upsert
    from ies_sync.adapters.orm import persons
    from ies_sync.domain import parse_row

    newer = parse_row(person(0, 1) | {"phone": "312-555-0001", "as_of": "2026-11-20T00:00:00+00:00"})
    older = parse_row(person(0, 1) | {"phone": "217-555-0002", "as_of": "2026-11-10T00:00:00+00:00"})

    async def scenario():
        async with new_uow() as uow:
            await upsert(uow.session, persons, [newer.model_dump()], ["individual_number"], unless_newer="as_of")
            await upsert(uow.session, persons, [older.model_dump()], ["individual_number"], unless_newer="as_of")
            await uow.commit()
        async with new_uow() as uow:
            return await uow.session.scalar(select(persons.c.phone))

    assert asyncio.run(scenario()) == "312-555-0001"


def test_runs_cut_off_by_a_stop_are_marked_failed_on_start(new_uow):
    async def scenario():
        run_id = await service_layer.start_run(new_uow, "extract", "cut-off.csv", None, REPLICA)
        assert await service_layer.fail_interrupted_runs(new_uow, REPLICA) == 1
        return await service_layer.get_run(new_uow, run_id)

    run = asyncio.run(scenario())
    assert run["status"] == "failed" and run["error"].startswith("interrupted")


async def statuses(new_uow, *run_ids) -> list[str]:
    return [(await service_layer.get_run(new_uow, run_id))["status"] for run_id in run_ids]


async def stored_persons(new_uow) -> int:
    async with new_uow() as uow:
        return await uow.session.scalar(select(func.count()).select_from(persons))


def test_start_up_fails_only_the_runs_this_replica_owned_or_whose_lease_expired(new_uow):
    async def scenario():
        own = await service_layer.start_run(new_uow, "extract", "a.csv", None, REPLICA)
        other_alive = await service_layer.start_run(new_uow, "extract", "b.csv", None, "replica-b")
        other_silent = await service_layer.start_run(new_uow, "extract", "c.csv", None, "replica-c")
        async with new_uow() as uow:
            await uow.session.execute(
                update(import_runs)
                .where(import_runs.c.id == other_silent)
                .values(heartbeat_at=utcnow() - service_layer.LEASE - timedelta(seconds=1))
            )
            await uow.commit()
        assert await service_layer.fail_interrupted_runs(new_uow, REPLICA) == 2
        return await statuses(new_uow, own, other_alive, other_silent)

    assert asyncio.run(scenario()) == ["failed", "running", "failed"]


def test_an_import_whose_lease_was_lost_commits_nothing_more_and_leaves_the_run_as_failed(new_uow):
    async def scenario():
        run_id = await service_layer.start_run(new_uow, "extract", "a.csv", None, REPLICA)
        # Another replica found no heartbeat and failed it; this replica then carries on.
        assert await service_layer.fail_expired_runs(new_uow, now=utcnow() + 2 * service_layer.LEASE) == 1
        await service_layer.import_extract(new_uow, run_id, extract(rows=20), REPLICA)
        return await service_layer.get_run(new_uow, run_id), await stored_persons(new_uow), await published(new_uow)

    run, stored, events = asyncio.run(scenario())
    assert (run["status"], run["rows_read"], stored, events) == ("failed", 0, 0, [])


def test_an_interrupted_run_is_rerun_with_one_call_from_its_kept_extract(new_uow):
    text = io.StringIO()
    write_extract(text, rows=30)
    upload = io.BytesIO(text.getvalue().encode())

    async def scenario():
        interrupted = await service_layer.start_run(new_uow, "extract", "x.csv", "sum", "gone", extract=upload)
        await service_layer.fail_interrupted_runs(new_uow, "gone")
        rerun = await service_layer.rerun(new_uow, interrupted, REPLICA)
        kept = io.BytesIO()
        await service_layer.read_extract(new_uow, rerun, kept)
        wrapper = io.TextIOWrapper(kept, encoding="utf-8-sig", errors="surrogateescape", newline="")
        await service_layer.import_extract(new_uow, rerun, wrapper, REPLICA)
        with pytest.raises(Conflict):  # its extract went with the re-run, which completed and dropped it
            await service_layer.rerun(new_uow, interrupted, REPLICA)
        async with new_uow() as uow:
            parts_left = await uow.session.scalar(select(func.count()).select_from(extract_parts))
        return await service_layer.get_run(new_uow, rerun), parts_left

    run, parts_left = asyncio.run(scenario())
    assert (run["status"], run["new"], run["rerun_of"], run["file_name"]) == ("completed", 30, 1, "x.csv")
    assert parts_left == 0


def test_a_running_or_completed_run_cannot_be_rerun(new_uow):
    async def scenario():
        running = await service_layer.start_run(new_uow, "extract", "a.csv", None, REPLICA, extract=io.BytesIO(b"x"))
        with pytest.raises(Conflict):
            await service_layer.rerun(new_uow, running, REPLICA)
        with pytest.raises(NotFound):
            await service_layer.rerun(new_uow, 999, REPLICA)

    asyncio.run(scenario())


def test_a_control_character_in_a_field_quarantines_the_row_naming_the_field_and_not_the_value(new_uow):
    text = io.StringIO()
    write_extract(text, rows=3)
    lines = text.getvalue().splitlines()
    lines[2] = lines[2].replace(",IL,", ",I\x00,")
    lines[3] = "12\x01" + lines[3][lines[3].index(","):]
    run = asyncio.run(run_import(new_uow, io.StringIO("\n".join(lines) + "\n")))
    assert (run["status"], run["rows_read"], run["new"], run["rejected"]) == ("completed", 3, 1, 2)
    assert run["quarantined"] == [
        {"row_number": 3, "individual_number": "100000001", "reason": "state: contains a control character (only tab is allowed)"},
        {"row_number": 4, "individual_number": None, "reason": "individual_number: contains a control character (only tab is allowed)"},
    ]


def test_an_unexpected_error_mid_run_fails_it_with_the_committed_counts_and_no_personal_data(new_uow, monkeypatch):
    monkeypatch.setattr(service_layer, "CHUNK_ROWS", 10)
    compare_with_kept = service_layer._compare_with_kept
    calls = []

    async def breaks_on_the_second_chunk(uow):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError(f"value of {person(12, 1)['last_name']} rejected")
        return await compare_with_kept(uow)

    monkeypatch.setattr(service_layer, "_compare_with_kept", breaks_on_the_second_chunk)

    async def scenario():
        run = await run_import(new_uow, extract(rows=25))
        return run, await stored_persons(new_uow), len(await published(new_uow))

    run, stored, events = asyncio.run(scenario())
    assert (run["status"], run["rows_read"], run["new"]) == ("failed", 10, 10)
    assert stored == events == 10
    assert "RuntimeError" in run["error"] and person(12, 1)["last_name"] not in run["error"]


def extract_of(*people: dict) -> io.StringIO:
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for values in people:
        out.write(",".join(values[column] for column in COLUMNS) + "\n")
    out.seek(0)
    return out


def test_a_person_in_two_chunks_is_compared_with_what_the_earlier_chunk_stored(new_uow, monkeypatch):
    """Chunks are validated ahead while the one before is stored, but stored one after the other."""
    monkeypatch.setattr(service_layer, "CHUNK_ROWS", 4)
    monkeypatch.setattr(service_layer, "SLICE_ROWS", 3)
    first = person(0, 1) | {"as_of": "2026-11-01T00:00:00+00:00"}
    again = first | {"phone": "312-555-0199", "as_of": "2026-11-02T00:00:00+00:00"}
    others = [person(index, 1) for index in range(1, 8)]

    async def scenario():
        run = await run_import(new_uow, extract_of(first, *others[:4], again, *others[4:]))
        return run, await published(new_uow)

    run, events = asyncio.run(scenario())
    assert (run["status"], run["rows_read"], run["new"], run["changed"]) == ("completed", 9, 8, 1)
    theirs = [e for e in events if e["subject"] == first["individual_number"]]
    assert [(e["sequence"], e["data"]["is_new"], e["data"]["changed_fields"]) for e in theirs][1:] == [(2, False, ["phone"])]


def test_a_single_update_waits_for_the_chunk_being_stored_and_is_compared_with_it(new_uow):
    """One transaction at a time compares and stores persons: a person is never published as new twice."""
    someone = person(0, 1)
    update = someone | {"phone": "312-555-0100", "as_of": "2026-12-01T00:00:00+00:00"}

    async def scenario():
        run_id = await service_layer.start_run(new_uow, "extract", "test.csv", None, REPLICA)
        async with new_uow() as chunk:
            checked = service_layer.CheckedRows().check(run_id, [(2, [someone[column] for column in COLUMNS], None)])
            await service_layer._store_rows(chunk, run_id, checked, RunCounts())
            single = asyncio.create_task(service_layer.apply_single_update(new_uow, update, REPLICA))
            await asyncio.sleep(0.5)
            waited = not single.done()
            await chunk.commit()
        _, comparison = await single
        return waited, comparison, await published(new_uow)

    waited, comparison, events = asyncio.run(scenario())
    assert waited
    assert (comparison.decision, comparison.changed_fields) == ("changed", ("phone",))
    assert [(e["sequence"], e["data"]["is_new"]) for e in events] == [(1, True), (2, False)]


def test_an_error_while_reading_ahead_fails_the_run_once_the_chunk_before_it_committed(new_uow, monkeypatch):
    monkeypatch.setattr(service_layer, "CHUNK_ROWS", 10)
    parse_values, calls = service_layer.parse_values, []

    def breaks_on_row_15(values):
        calls.append(1)
        if len(calls) == 15:
            raise RuntimeError(f"value of {person(14, 1)['last_name']} unreadable")
        return parse_values(values)

    monkeypatch.setattr(service_layer, "parse_values", breaks_on_row_15)

    async def scenario():
        run = await run_import(new_uow, extract(rows=25))
        return run, await stored_persons(new_uow)

    run, stored = asyncio.run(scenario())
    assert (run["status"], run["rows_read"], run["new"], stored) == ("failed", 10, 10, 10)
    assert "RuntimeError" in run["error"] and person(14, 1)["last_name"] not in run["error"]


@pytest.mark.kafka
def test_a_kept_extract_is_stored_uncompressed_on_postgresql():
    """Compressing a large extract's parts took longer than comparing its rows; the parts are deleted anyway."""
    port = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
    asyncio.run(recreate_databases(port, ["isets_test_ies_sync_storage"]))
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/isets_test_ies_sync_storage"
    asyncio.run(upgrade_to_head(MIGRATIONS, url))

    async def storage() -> str:
        engine = make_engine(url)
        async with engine.connect() as connection:
            found = (await connection.exec_driver_sql(
                "SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'extract_part'::regclass AND attname = 'data'"
            )).scalar()
        await engine.dispose()
        return found

    assert asyncio.run(storage()) == "e"


def counting_reads(monkeypatch) -> list:
    """The rows validated from now on (each one read from its line)."""
    parse_values, read = service_layer.parse_values, []

    def counted(values):
        read.append(values[0])
        return parse_values(values)

    monkeypatch.setattr(service_layer, "parse_values", counted)
    return read


def test_a_line_identical_to_the_one_a_kept_version_was_read_from_is_unchanged_without_being_read(new_uow, monkeypatch):
    async def scenario():
        await run_import(new_uow, extract(rows=30))
        read = counting_reads(monkeypatch)
        return await run_import(new_uow, extract(rows=30)), read, await published(new_uow)

    run, read, events = asyncio.run(scenario())
    assert (run["status"], run["rows_read"], run["unchanged"], run["new"], run["changed"]) == ("completed", 30, 30, 0, 0)
    assert read == [] and len(events) == 30


def test_only_the_other_lines_are_read_and_a_bad_row_among_them_keeps_its_line_number(new_uow, monkeypatch):
    people = [person(index, 1) for index in range(6)]
    moved = people[2] | {"phone": "312-555-0123", "as_of": "2026-12-01T00:00:00+00:00"}
    broken = people[4] | {"ssn_last4": "12", "as_of": "2026-12-01T00:00:00+00:00"}

    async def scenario():
        await run_import(new_uow, extract_of(*people))
        read = counting_reads(monkeypatch)
        run = await run_import(new_uow, extract_of(people[0], people[1], moved, people[3], broken, people[5]))
        return run, read, (await published(new_uow))[6:]

    run, read, events = asyncio.run(scenario())
    assert read == [moved["individual_number"], broken["individual_number"]]
    assert (run["rows_read"], run["unchanged"], run["changed"], run["rejected"]) == (6, 4, 1, 1)
    assert [(row["row_number"], row["reason"].split(":")[0]) for row in run["quarantined"]] == [(6, "ssn_last4")]
    assert [(e["subject"], e["data"]["changed_fields"]) for e in events] == [(moved["individual_number"], ["phone"])]


def test_a_row_written_differently_with_the_same_values_is_unchanged_and_known_by_its_new_line_next_time(new_uow, monkeypatch):
    someone = person(0, 1)
    year, month, day = someone["date_of_birth"].split("-")
    rewritten = someone | {"date_of_birth": f"{month}/{day}/{year}"}

    async def scenario():
        await run_import(new_uow, extract_of(someone))
        read = counting_reads(monkeypatch)
        first = await run_import(new_uow, extract_of(rewritten))
        read_first = list(read)
        second = await run_import(new_uow, extract_of(rewritten))
        return first, read_first, second, read, await published(new_uow)

    first, read_first, second, read, events = asyncio.run(scenario())
    assert (first["unchanged"], read_first) == (1, [someone["individual_number"]])
    assert (second["unchanged"], read) == (1, [someone["individual_number"]])
    assert len(events) == 1


def test_the_same_line_under_a_header_naming_its_columns_otherwise_is_read_again(new_uow, monkeypatch):
    """A line's digest includes the header: the same text under other column names is other values."""
    people = [person(index, 1) for index in range(3)]
    swapped = io.StringIO()
    columns = [{"first_name": "last_name", "last_name": "first_name"}.get(column, column) for column in COLUMNS]
    swapped.write(",".join(columns) + "\n")
    for values in people:
        swapped.write(",".join(values[column] for column in COLUMNS) + "\n")

    async def scenario():
        await run_import(new_uow, extract_of(*people))
        read = counting_reads(monkeypatch)
        swapped.seek(0)
        return await run_import(new_uow, swapped), read, (await published(new_uow))[3:]

    run, read, events = asyncio.run(scenario())
    assert (run["changed"], len(read)) == (3, 3)
    assert all(sorted(e["data"]["changed_fields"]) == ["first_name", "last_name"] for e in events)


def test_lines_known_from_an_extract_read_under_other_rules_are_read_again(new_uow, monkeypatch):
    async def scenario():
        await run_import(new_uow, extract(rows=5))
        monkeypatch.setattr(service_layer, "VALIDATION_RULES", "a later version of the rules")
        read = counting_reads(monkeypatch)
        return await run_import(new_uow, extract(rows=5)), read

    run, read = asyncio.run(scenario())
    assert (run["unchanged"], len(read)) == (5, 5)
