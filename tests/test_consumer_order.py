"""One subject's events are never applied out of order by a consumer, and replay never applies an event
twice (real Kafka, real PostgreSQL, a throwaway consumer built from the kit)."""

import asyncio
import json
import os

import pytest
from prometheus_client import REGISTRY

from isets_kit.dead_letters import discard, list_parked, replay
from deploy.stack import recreate_databases
from tests.toy_consumer import Toy, eventually

pytestmark = pytest.mark.kafka

PG_PORT = int(os.environ.get("ISETS_TEST_PG_PORT", "55433"))
DATABASE = "isets_test_consumer_order"


@pytest.fixture(scope="module")
def database_url(infrastructure):
    asyncio.run(recreate_databases(PG_PORT, [DATABASE]))
    return f"postgresql+asyncpg://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"


@pytest.fixture
def run_toy(infrastructure, database_url):
    """run_toy(scenario): runs `async scenario(toy)` against a started toy consumer."""

    def run(scenario, **options):
        async def main():
            toy = Toy(infrastructure, database_url, **options)
            try:
                async with toy.running():
                    return await scenario(toy)
            finally:
                await toy.close()

        return asyncio.run(main())

    return run


def test_after_a_dead_letter_later_events_of_the_subject_are_parked_until_replay_applies_them_in_order(run_toy):
    async def scenario(toy: Toy):
        a, b = toy.subject("A"), toy.subject("B")
        toy.failing.add((a, 1))
        # One partition: A1 fails, A2 comes after it, B1 (another subject) after both.
        await toy.produce(toy.envelope(a, 1), toy.envelope(a, 2), toy.envelope(b, 1))
        await eventually(lambda: toy.applied(b), message="B applied")
        await eventually(lambda: _equals(toy.parked, [(a, "failed", 1), (a, "held", 2)]), message="A1 and A2 parked")
        assert await toy.applied(a) == [] and await toy.held() == {a}
        letters = await toy.dead_letters(2)
        assert [dict(letter.headers)["x-reason"] for letter in letters] == [b"failed", b"held"]

        toy.failing.clear()  # the cause is fixed
        [result] = await replay(toy.consumer)
        assert (result.applied, result.released) == (2, True)
        assert await toy.applied() == [(b, 1), (a, 1), (a, 2)]
        assert await toy.parked() == [] and await toy.held() == set()
        await toy.produce(toy.envelope(a, 3))  # the hold is gone: A flows again
        await eventually(lambda: _equals(lambda: toy.applied(a), [(a, 1), (a, 2), (a, 3)]), message="A3 applied")

    run_toy(scenario)


def test_replay_that_fails_again_stops_the_subject_and_keeps_it_held(run_toy):
    async def scenario(toy: Toy):
        a = toy.subject("A")
        toy.failing.add((a, 1))
        await toy.produce(toy.envelope(a, 1), toy.envelope(a, 2))
        await eventually(lambda: _equals(toy.parked, [(a, "failed", 1), (a, "held", 2)]), message="A parked")
        [result] = await replay(toy.consumer)
        assert (result.applied, result.released) == (0, False) and "refused by the test" in result.error
        assert await toy.applied() == [] and await toy.held() == {a}
        assert [p["reason"] for p in await list_parked(toy.consumer)] == ["failed", "held"]

    run_toy(scenario)


def test_replaying_twice_and_redelivering_history_applies_every_event_once(run_toy):
    async def scenario(toy: Toy):
        a, b = toy.subject("A"), toy.subject("B")
        toy.failing.add((a, 1))
        history = [toy.envelope(a, 1), toy.envelope(a, 2), toy.envelope(b, 1)]
        await toy.produce(*history)
        await eventually(lambda: _equals(toy.parked, [(a, "failed", 1), (a, "held", 2)]), message="A parked")
        toy.failing.clear()
        first, second = await asyncio.gather(replay(toy.consumer), replay(toy.consumer))  # racing each other
        third = await replay(toy.consumer)
        assert sum(r.applied for r in first + second + third) == 2
        # All of history published again (as a replay of the whole topic would): nothing applies twice.
        await toy.produce(*history, toy.envelope(b, 2))
        await eventually(lambda: _equals(lambda: toy.applied(b), [(b, 1), (b, 2)]), message="the marker B2")
        assert sorted(await toy.applied()) == [(a, 1), (a, 2), (b, 1), (b, 2)]
        assert await toy.parked() == []

    run_toy(scenario)


def test_replay_of_everything_after_a_partial_replay_applies_nothing_twice(run_toy):
    async def scenario(toy: Toy):
        a, b = toy.subject("A"), toy.subject("B")
        toy.failing |= {(a, 1), (b, 1)}
        await toy.produce(toy.envelope(a, 1), toy.envelope(b, 1), toy.envelope(a, 2), toy.envelope(b, 2))
        await eventually(lambda: _length(toy.parked, 4), message="four parked")
        toy.failing.clear()
        [partial] = await replay(toy.consumer, [a])
        assert partial.subject == a and partial.applied == 2 and await toy.held() == {b}
        everything = await replay(toy.consumer)
        assert [(r.subject, r.applied) for r in everything] == [(b, 2)]
        assert await toy.applied() == [(a, 1), (a, 2), (b, 1), (b, 2)]

    run_toy(scenario)


def test_discard_records_the_parked_events_as_handled_and_releases_the_hold(run_toy):
    async def scenario(toy: Toy):
        a = toy.subject("A")
        toy.failing.add((a, 1))
        first, second = toy.envelope(a, 1), toy.envelope(a, 2)
        await toy.produce(first, second)
        await eventually(lambda: _length(toy.parked, 2), message="A parked")
        toy.failing.clear()
        assert await discard(toy.consumer, [a]) == 2
        assert await toy.parked() == [] and await toy.held() == set() and await toy.inbox_count() == 2
        await toy.produce(first, second, toy.envelope(a, 3))  # redelivered: discarded stays discarded
        await eventually(lambda: toy.applied(a), message="A3 applied")
        assert await toy.applied() == [(a, 3)]
        assert await replay(toy.consumer) == []

    run_toy(scenario)


def test_stale_event_is_parked_not_applied_and_does_not_hold_the_subject(run_toy):
    async def scenario(toy: Toy):
        a = toy.subject("A")
        newer = toy.envelope(a, 2, sequence=2)
        await toy.produce(newer, toy.envelope(a, 1, sequence=1), newer, toy.envelope(a, 3, sequence=3))
        await eventually(lambda: _equals(lambda: toy.applied(a), [(a, 2), (a, 3)]), message="A2 and A3 applied")
        assert await toy.parked() == [(a, "stale", 1)]  # the redelivered A2 is a duplicate, not stale
        assert await toy.held() == set()
        [letter] = await toy.dead_letters(1)
        assert dict(letter.headers)["x-reason"] == b"stale"
        assert await replay(toy.consumer) == [] and await toy.applied(a) == [(a, 2), (a, 3)]

    run_toy(scenario)


def test_unknown_version_of_a_handled_type_is_dead_lettered_and_holds_while_an_unknown_type_is_ignored(run_toy):
    async def scenario(toy: Toy):
        a, b = toy.subject("A"), toy.subject("B")
        v2 = toy.envelope(a, 1).model_dump(mode="json") | {"version": 2}
        unknown_type = toy.envelope(b, 1).model_dump(mode="json") | {"type": "test.never.heard.of"}
        ignored_before = _metric("test.never.heard.of", "ignored")
        await toy.produce((a, json.dumps(v2).encode()), toy.envelope(a, 2), (b, json.dumps(unknown_type).encode()), toy.envelope(b, 2))
        await eventually(lambda: toy.applied(b), message="B2 applied")
        assert await toy.applied() == [(b, 2)]
        assert await toy.parked() == [(a, "unknown_version", 1), (a, "held", 2)] and await toy.held() == {a}
        assert _metric("test.never.heard.of", "ignored") == ignored_before + 1
        first = (await toy.dead_letters(2))[0]
        headers = dict(first.headers)
        assert headers["x-reason"] == b"unknown_version" and headers["x-error"] == f"unknown version 2 of {toy.Probe.event_type}".encode()

    run_toy(scenario)


def test_no_personal_data_in_the_dead_letter_of_a_failed_validation(run_toy, caplog):
    async def scenario(toy: Toy):
        a = toy.subject("A")
        bad = toy.envelope(a, 1, name="Juana Dela Cruz").model_dump(mode="json")
        bad["data"]["ssn_last4"] = "98765"  # breaks the 4-digit rule
        await toy.produce((a, json.dumps(bad).encode()))
        [letter] = await toy.dead_letters(1)
        [summary] = await list_parked(toy.consumer)
        return dict(letter.headers), summary

    headers, summary = run_toy(scenario)
    text = " ".join(value.decode() for value in headers.values()) + str(summary) + caplog.text
    assert "98765" not in text and "Juana" not in text
    assert headers["x-reason"] == b"undecodable"
    assert b"data.ssn_last4: String should match pattern" in headers["x-error"]
    assert summary["reason"] == "undecodable" and summary["error"] == headers["x-error"].decode()


async def _equals(read, expected) -> bool:
    return await read() == expected


async def _length(read, expected: int) -> bool:
    return len(await read()) == expected


def _metric(event_type: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("isets_events_consumed_total", {"type": event_type, "outcome": outcome}) or 0.0
