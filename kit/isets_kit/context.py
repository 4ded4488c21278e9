"""Request-scoped facts carried into logs and into the events a request causes."""

from contextvars import ContextVar

from isets_contracts import Actor

correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)
actor: ContextVar[Actor | None] = ContextVar("actor", default=None)
