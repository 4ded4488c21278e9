"""Kafka topics, declared here and created by the services at start-up (the broker never auto-creates one).

One topic per producing service, plus a dead-letter topic per consumer group.
"""

from dataclasses import dataclass
from datetime import timedelta

IES_SYNC = "isets.ies_sync.v1"
INTAKE = "isets.intake.v1"
CASEMGMT = "isets.casemgmt.v1"
SUPPORT = "isets.support.v1"
EMPLOYMENT = "isets.employment.v1"
OUTCOMES = "isets.outcomes.v1"

SERVICE_TOPIC_PARTITIONS = 6
# As long as the consumers' inbox window (kit settings `inbox_retention_days`, checked by a test).
SERVICE_TOPIC_RETENTION = timedelta(days=30)
# One partition: dead letters are few, and read back in the order they failed.
DEAD_LETTER_PARTITIONS = 1
# Longer than the events themselves: an operator has time to fix the cause and replay.
DEAD_LETTER_RETENTION = timedelta(days=90)


@dataclass(frozen=True)
class Topic:
    name: str
    partitions: int
    retention: timedelta

    @property
    def config(self) -> dict[str, str]:
        """Topic-level broker settings, as the admin client sends them."""
        return {"retention.ms": str(int(self.retention.total_seconds() * 1000))}


SERVICE_TOPICS = {
    name: Topic(name, SERVICE_TOPIC_PARTITIONS, SERVICE_TOPIC_RETENTION)
    for name in (IES_SYNC, INTAKE, CASEMGMT, SUPPORT, EMPLOYMENT, OUTCOMES)
}


def dead_letter(consumer_group: str) -> str:
    """Dead-letter topic of one consuming service: failed messages with the original bytes and the error."""
    return f"isets.{consumer_group}.dlq.v1"


def declared(name: str) -> Topic:
    """The declaration of a service topic or of a consumer group's dead-letter topic."""
    if name in SERVICE_TOPICS:
        return SERVICE_TOPICS[name]
    if name.startswith("isets.") and name.endswith(".dlq.v1"):
        return Topic(name, DEAD_LETTER_PARTITIONS, DEAD_LETTER_RETENTION)
    raise KeyError(f"topic {name} is not declared in isets_contracts.topics")
