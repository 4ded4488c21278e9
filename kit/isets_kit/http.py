"""HTTP plumbing every service shares: request ids, error bodies, health, readiness and metrics."""

import uuid
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from isets_kit import context
from isets_kit.errors import DomainError

REQUEST_ID_HEADER = "X-Request-ID"


def install_request_context(app: FastAPI) -> None:
    @app.middleware("http")
    async def request_context(request: Request, call_next):
        request_id = request.headers.get(REQUEST_ID_HEADER) or str(uuid.uuid4())
        token = context.correlation_id.set(request_id)
        try:
            response = await call_next(request)
        finally:
            context.correlation_id.reset(token)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, error: DomainError):
        return JSONResponse(
            status_code=error.status_code,
            content={"detail": [{"field": error.field, "rule": error.rule}]},
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError):
        details = [
            {
                "field": ".".join(str(part) for part in problem["loc"] if part not in ("body", "query", "path")),
                "rule": problem["msg"],
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
