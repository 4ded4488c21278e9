"""intake's parked events can be listed, replayed and discarded with `python -m intake.dead_letters`
(real broker, real PostgreSQL, the running intake service)."""

import json
import subprocess
import sys
import uuid
from datetime import date

import pytest

from tests.helpers import wait_until
from isets_contracts import Envelope, topics
from isets_contracts.events import EmploymentVerified
from tests.kafka_tools import produce

pytestmark = pytest.mark.kafka


def dead_letters_cli(stack, *args: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "intake.dead_letters", *args],
        env=stack.env("intake"), capture_output=True, text=True, check=True, timeout=120,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_events_behind_a_dead_letter_are_listed_a_failing_replay_keeps_them_and_discard_releases_the_subject(stack, infrastructure):
    ghost = f"ghost-{uuid.uuid4()}"  # no such customer: the event fails every try and is parked
    events = [Envelope.wrap(EmploymentVerified(customer_id=ghost, employment_id=f"e-{n}", verified_on=date.today()), source="test", subject=ghost)
              for n in (1, 2)]
    produce(infrastructure, topics.EMPLOYMENT, [(ghost.encode(), event.model_dump_json().encode()) for event in events])

    listed = wait_until(lambda: len(parked := dead_letters_cli(stack, "list", "--subject", ghost)) == 2 and parked,
                        timeout=60, interval=1, message="both events parked")
    assert [(p["reason"], p["event_id"]) for p in listed] == [("failed", str(events[0].id)), ("held", str(events[1].id))]
    assert "unknown customer" in listed[0]["error"] and listed[0]["original"].startswith(f"{topics.EMPLOYMENT}/")

    [replayed] = dead_letters_cli(stack, "replay", "--subject", ghost)  # the cause is not fixed: fails again
    assert replayed["applied"] == 0 and replayed["released"] is False and "unknown customer" in replayed["error"]
    assert len(dead_letters_cli(stack, "list", "--subject", ghost)) == 2

    assert dead_letters_cli(stack, "discard", "--subject", ghost) == [{"consumer": "intake", "discarded": 2}]
    assert dead_letters_cli(stack, "list", "--subject", ghost) == []
    assert dead_letters_cli(stack, "replay", "--subject", ghost) == []  # nothing held any more
