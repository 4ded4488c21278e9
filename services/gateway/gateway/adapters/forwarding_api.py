"""Routes the gateway forwards to the owning service once the caller's token checks out.

The service checks the token again and answers; the gateway streams its status, body and the headers a
client needs back. These catch-all routes are left out of the OpenAPI document: api_docs puts each
service's own operations there instead. Every forwarded request is recorded in the access audit.
"""

import logging
import time
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import StreamingResponse

from isets_kit.auth import Principal, current_principal
from isets_kit.errors import DomainError
from gateway import domain, service_layer
from gateway.adapters.audit_writer import access_of
from gateway.adapters.api_docs import IDEMPOTENCY_KEY, MOUNTS, Mount
from gateway.adapters.upstream import UpstreamError

REPLAYED = "Idempotent-Replayed"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
CUSTOMER_ID = "customer_id"

log = logging.getLogger("gateway.forwarding")
router = APIRouter()


def _check_query(request: Request) -> None:
    for name, value in request.query_params.multi_items():
        domain.check_plain_text("query" if domain.has_control_characters(name) else name, name + value)


def _route_of(request: Request, mount: Mount) -> tuple[str, str | None]:
    """The route template (for logs, metrics and the audit: no values) and the customer the request is about."""
    matched = request.app.state.api_docs.match(request.url.path)
    if matched is None:
        return (mount.prefix if request.url.path == mount.prefix else f"{mount.prefix}/{{path}}"), None
    template, values = matched
    return template, values.get(CUSTOMER_ID)


async def forward(request: Request, principal: Principal, mount: Mount, rest: str) -> Response:
    if any(segment in (".", "..") for segment in rest.split("/")):
        # Dot segments would climb out of the forwarded prefix to the service's other routes.
        raise HTTPException(404, "not found")
    _check_query(request)
    route, customer_id = _route_of(request, mount)
    request.state.route_template = route
    path = quote(mount.upstream_prefix + rest, safe="/")  # the route gave it decoded; send it on encoded again
    state = request.app.state
    started = time.perf_counter()
    status = 500
    try:
        key = request.headers.get(IDEMPOTENCY_KEY)
        if request.method == "POST" and key is not None:
            stored, replayed = await service_layer.forward_once(
                state.runtime.unit_of_work,
                principal.user_id,
                key,
                request.method,
                request.url.path,
                lambda: _whole_answer(state.upstreams, mount.service, path, request),
            )
            status = stored.status
            headers = {"content-type": stored.content_type} if stored.content_type else {}
            if replayed:
                headers[REPLAYED] = "true"
            return Response(stored.body, stored.status, headers=headers)
        answer = await state.upstreams.open(mount.service, path, request)
        status = answer.status_code
        if answer.is_small:  # passed back whole: a streamed answer costs the gateway a task per answer
            return Response(await answer.read(), answer.status_code, headers=answer.headers)
        return StreamingResponse(answer.chunks(), answer.status_code, headers=answer.headers)
    except UpstreamError as error:
        status = error.status_code
        raise HTTPException(error.status_code, str(error)) from None
    except DomainError as error:  # an idempotency key in use or reused
        status = error.status_code
        raise
    finally:
        # The route's template only: concrete paths and query values may name a person.
        log.info(
            "forwarded %s %s to %s: %s after %.1f ms",
            request.method,
            route,
            mount.service,
            status,
            (time.perf_counter() - started) * 1000,
        )
        state.audit.record(access_of(request, principal, route, customer_id, status))


async def _whole_answer(upstreams, service: str, path: str, request: Request) -> domain.UpstreamResponse:
    """A keyed POST's answer is read whole: it is kept for replays."""
    answer = await upstreams.open(service, path, request)
    return domain.UpstreamResponse(answer.status_code, await answer.read(), answer.content_type)


def _register(mount: Mount) -> None:
    async def at_prefix(request: Request, principal: Principal = Depends(current_principal)):
        return await forward(request, principal, mount, "")

    async def below_prefix(rest: str, request: Request, principal: Principal = Depends(current_principal)):
        return await forward(request, principal, mount, "/" + rest)

    router.add_api_route(mount.prefix, at_prefix, methods=ALL_METHODS, include_in_schema=False)
    router.add_api_route(mount.prefix + "/{rest:path}", below_prefix, methods=ALL_METHODS, include_in_schema=False)


for _mount in MOUNTS:
    _register(_mount)
