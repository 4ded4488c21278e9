"""The event envelope (CloudEvents-style attributes) and the registry of event payload types."""

from datetime import UTC, datetime
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Event(BaseModel):
    """Base of every event payload. Unknown fields are ignored so old consumers read newer events."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1
    topic: ClassVar[str]


EVENT_TYPES: dict[tuple[str, int], type[Event]] = {}


def event(event_type: str, topic: str, version: int = 1):
    """Class decorator registering a payload model under its type name and version."""

    def register(cls: type[Event]) -> type[Event]:
        cls.event_type, cls.event_version, cls.topic = event_type, version, topic
        if (event_type, version) in EVENT_TYPES:
            raise ValueError(f"event {event_type} v{version} registered twice")
        EVENT_TYPES[(event_type, version)] = cls
        return cls

    return register


class Actor(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    role: str


E = TypeVar("E", bound=BaseModel)


class Envelope(BaseModel, Generic[E]):
    # A validation error (logged, in a dead letter's x-error) names the field and rule, never the value.
    model_config = ConfigDict(frozen=True, hide_input_in_errors=True)

    id: UUID = Field(default_factory=uuid4)
    type: str
    version: int = 1
    source: str
    time: AwareDatetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str = Field(description="customer id, or IDHS individual number for IES events")
    sequence: int | None = Field(
        default=None,
        description="per-subject order set by the producer; consumers skip or park an event older than one already applied",
    )
    correlation_id: str | None = None
    causation_id: str | None = None
    actor: Actor | None = None
    data: E

    @classmethod
    def wrap(cls, payload: Event, *, source: str, subject: str, **attributes: Any) -> "Envelope[Event]":
        return envelope_of(type(payload))(
            type=payload.event_type,
            version=payload.event_version,
            source=source,
            subject=subject,
            data=payload,
            **attributes,
        )


@cache
def envelope_of(payload_type: type[Event]) -> type[Envelope]:
    """The envelope class for one payload type (made once: building a generic model is costly)."""
    return Envelope[payload_type]


class UnknownEventType(ValueError):
    pass


class _TypeOnly(BaseModel):
    model_config = ConfigDict(hide_input_in_errors=True)  # invalid JSON would repeat the whole record

    type: str
    version: int = 1


def peek_type(raw: bytes | str) -> tuple[str, int]:
    """The event type and version of a serialized envelope, without validating its payload."""
    head = _TypeOnly.model_validate_json(raw)
    return head.type, head.version


def decode(raw: bytes | str) -> Envelope[Event]:
    """Parse an envelope and its typed payload; raises on malformed bytes or an unknown type."""
    head = _TypeOnly.model_validate_json(raw)
    payload_type = EVENT_TYPES.get((head.type, head.version))
    if payload_type is None:
        raise UnknownEventType(f"unknown event type {head.type} v{head.version}")
    return envelope_of(payload_type).model_validate_json(raw)
