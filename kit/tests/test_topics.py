"""Topic declarations (contracts) against the kit's settings."""

from datetime import timedelta

import pytest

from isets_contracts import topics
from isets_kit.settings import ServiceSettings

INBOX_WINDOW = timedelta(days=ServiceSettings.model_fields["inbox_retention_days"].default)


@pytest.mark.parametrize("name", sorted(topics.SERVICE_TOPICS))
def test_service_topic_retention_is_at_least_the_inbox_window(name):
    assert topics.declared(name).retention >= INBOX_WINDOW


def test_dead_letter_topics_are_kept_longer_than_the_events():
    dead_letters = topics.declared(topics.dead_letter("intake"))
    assert dead_letters.retention > topics.declared(topics.INTAKE).retention >= INBOX_WINDOW


def test_an_undeclared_topic_has_no_declaration():
    with pytest.raises(KeyError):
        topics.declared("isets.unknown.v1")
