"""Kafka topic names: one topic per producing service, plus a dead-letter topic per consumer group."""

IES_SYNC = "isets.ies_sync.v1"
INTAKE = "isets.intake.v1"
CASEMGMT = "isets.casemgmt.v1"
SUPPORT = "isets.support.v1"
EMPLOYMENT = "isets.employment.v1"
OUTCOMES = "isets.outcomes.v1"


def dead_letter(consumer_group: str) -> str:
    """Dead-letter topic of one consuming service: failed messages with the original bytes and the error."""
    return f"isets.{consumer_group}.dlq.v1"
