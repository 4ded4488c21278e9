"""HTTP plumbing every service shares: request ids, request bodies and the input guard, error bodies,
health, readiness and metrics."""

import uuid
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from isets_kit import context
from isets_kit.errors import DomainError, RuleViolation
from isets_kit.text import CONTROL_CHARACTER_RULE, has_control_character

REQUEST_ID_HEADER = "X-Request-ID"
# pydantic's texts where ours say more to a caller
_RULES = {"extra_forbidden": "is not a field of this request"}


class RequestBody(BaseModel):
    """Base of every request body: unknown fields are refused, and a refused value is never repeated in
    an error (answers, logs); the error names the field and the rule."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class RequestContext:
    """Pure ASGI middleware: the caller's X-Request-ID (or a new one) is the correlation id while the
    request is handled, and is answered back in the same header."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = Headers(scope=scope).get(REQUEST_ID_HEADER) or str(uuid.uuid4())

        async def send_with_request_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        token = context.correlation_id.set(request_id)
        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            context.correlation_id.reset(token)


def install_request_context(app: FastAPI) -> None:
    app.add_middleware(RequestContext)


async def refuse_control_characters(request: Request) -> None:  # async: a plain def runs in a worker thread
    """A path or query value with a control character (NUL among them) answers 422 naming the parameter,
    before the route's own parameters are read: no untyped value can carry one to a database."""
    for name, value in request.path_params.items():
        if has_control_character(str(value)):
            raise RuleViolation(name, CONTROL_CHARACTER_RULE)
    for name, value in request.query_params.multi_items():
        if has_control_character(name):
            raise RuleViolation("query", CONTROL_CHARACTER_RULE)
        if has_control_character(value):
            raise RuleViolation(name, CONTROL_CHARACTER_RULE)


input_guard = Depends(refuse_control_characters)  # APIRouter(..., dependencies=[input_guard])


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, error: DomainError):
        return JSONResponse(
            status_code=error.status_code,
            content={"detail": [{"field": error.field, "rule": error.rule}]},
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError):
        # The field (its location without body/query/path) and pydantic's rule; never the input value.
        details = [
            {
                "field": ".".join(str(part) for part in problem["loc"] if part not in ("body", "query", "path")),
                "rule": _RULES.get(problem["type"], problem["msg"]),
            }
            for problem in error.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": details})


def operations_router(engine, ping_broker: Callable[[], Awaitable[bool]] | None) -> APIRouter:
    """Health, readiness (database, and the broker for services that use one) and Prometheus metrics."""
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz():
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz():
        checks = {"database": False} | ({"broker": False} if ping_broker else {})
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            checks["database"] = True
        except Exception:
            pass
        if ping_broker:
            try:
                checks["broker"] = bool(await ping_broker())
            except Exception:
                pass
        return JSONResponse(status_code=200 if all(checks.values()) else 503, content=checks)

    @router.get("/metrics")
    async def metrics():
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
