from prometheus_client import Counter, Gauge

EVENTS_PUBLISHED = Counter("isets_events_published_total", "Events published by the outbox relay", ["topic"])
EVENTS_CONSUMED = Counter(
    "isets_events_consumed_total", "Events consumed, by outcome", ["type", "outcome"]
)  # outcome: applied | duplicate | ignored | dead_lettered (parked, subject held) | parked (held or stale)
EVENTS_FAILED = Counter("isets_events_failed_total", "Handler attempts that raised", ["type"])
OUTBOX_BACKLOG = Gauge("isets_outbox_backlog", "Outbox rows not yet published")
