from isets_contracts import events, reference, topics
from isets_contracts.envelope import EVENT_TYPES, Actor, Envelope, Event, UnknownEventType, decode

__all__ = ["EVENT_TYPES", "Actor", "Envelope", "Event", "UnknownEventType", "decode", "events", "reference", "topics"]
