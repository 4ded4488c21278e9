"""Dead letters can be listed and replayed once the cause is fixed (real broker, real PostgreSQL)."""

import json
import subprocess
import sys
import uuid
from datetime import date

import pytest

from tests.helpers import wait_until
from isets_contracts import Envelope, topics
from isets_contracts.events import EmploymentVerified
from isets_kit.dead_letters import read_dead_letters
from tests.kafka_tools import produce

pytestmark = pytest.mark.kafka


def dead_letters_cli(stack, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "intake.dead_letters", *args],
        env=stack.env("intake"), capture_output=True, text=True, check=True, timeout=120,
    )
    return done.stdout


def copies_of(infrastructure, value: bytes) -> list:
    import asyncio

    return [letter for letter in asyncio.run(read_dead_letters(infrastructure, "intake")) if letter.value == value]


def test_dead_letter_is_listed_and_a_replay_is_consumed_again(stack, infrastructure):
    ghost = f"ghost-{uuid.uuid4()}"  # no such customer: the event fails every try and is dead-lettered
    event = Envelope.wrap(EmploymentVerified(customer_id=ghost, employment_id="e-1", verified_on=date.today()), source="test", subject=ghost)
    value = event.model_dump_json().encode()
    produce(infrastructure, topics.EMPLOYMENT, [(ghost.encode(), value)])
    [letter] = wait_until(lambda: copies_of(infrastructure, value), timeout=60, message="the dead letter")
    assert "unknown customer" in letter.headers["x-error"]

    listed = [json.loads(line) for line in dead_letters_cli(stack, "list").splitlines()]
    assert {"record": letter.record, "original": f"{topics.EMPLOYMENT}/{letter.headers['x-original-partition']}@{letter.headers['x-original-offset']}",
            "error": letter.headers["x-error"]} in listed

    assert dead_letters_cli(stack, "replay", "--record", letter.record).strip() == "replayed 1 dead letter(s) of intake"
    # Consumed again (its inbox mark was taken off), fails again, and is dead-lettered a second time.
    wait_until(lambda: len(copies_of(infrastructure, value)) == 2, timeout=60, message="the replayed copy")
