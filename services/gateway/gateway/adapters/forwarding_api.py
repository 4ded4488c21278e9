"""Routes the gateway forwards to the owning service once the caller's token checks out.

The service checks the token again and answers; the gateway returns its status, body and content type.
Bodies and responses are the service's own: see its /docs.
"""

from functools import partial
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from isets_kit.auth import Principal, current_principal
from gateway import service_layer
from gateway.adapters.upstream import IES_SYNC, INTAKE, UpstreamError

IDEMPOTENCY_KEY = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CUSTOMERS = "customers (intake)"
IES = "IES sync (ies_sync)"

router = APIRouter()

_IDEMPOTENCY_PARAMETER = {
    "name": IDEMPOTENCY_KEY,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "Repeating a POST with the same key returns the first answer (header Idempotent-Replayed: true) "
    "instead of forwarding it again.",
}
_BODY_SCHEMAS = {"application/json": {"type": "object"}, "text/csv": {"type": "string", "format": "binary"}}


def forwarded(path: str, service: str, tag: str, summaries: dict[str, str], body: str = "application/json"):
    """Register the endpoint for each method in `summaries`, one OpenAPI operation per method."""

    def register(endpoint):
        for method, summary in summaries.items():
            extra = {}
            if method in ("POST", "PUT", "PATCH"):
                extra["requestBody"] = {"content": {body: {"schema": _BODY_SCHEMAS[body]}}}
            if method == "POST":
                extra["parameters"] = [_IDEMPOTENCY_PARAMETER]
            router.add_api_route(
                path,
                endpoint,
                methods=[method],
                summary=summary,
                description=f"Forwarded with the caller's token to {service}.",
                tags=[tag],
                openapi_extra=extra,
            )
        return endpoint

    return register


def _verbs(noun: str) -> dict[str, str]:
    return {
        "GET": f"Read {noun}",
        "POST": f"Act on {noun}",
        "PUT": f"Replace {noun}",
        "PATCH": f"Change {noun}",
        "DELETE": f"Delete {noun}",
    }


async def forward(request: Request, principal: Principal, service: str, path: str) -> Response:
    if any(segment in (".", "..") for segment in path.split("/")):
        # Dot segments would climb out of the forwarded prefix to the service's other routes.
        raise HTTPException(404, "not found")
    path = quote(path, safe="/")  # the route gave it decoded; send it on encoded again
    state = request.app.state
    send = partial(state.upstreams.send, service, path, request)
    key = request.headers.get(IDEMPOTENCY_KEY)
    try:
        if request.method == "POST" and key is not None:
            answer, replayed = await service_layer.forward_once(
                state.runtime.unit_of_work, principal.user_id, key, request.method, request.url.path, send
            )
        else:
            answer, replayed = await send(), False
    except UpstreamError as error:
        raise HTTPException(error.status_code, str(error)) from None
    headers = {"content-type": answer.content_type} if answer.content_type else {}
    if replayed:
        headers[REPLAYED] = "true"
    return Response(answer.body, answer.status, headers=headers)


@forwarded("/api/customers", INTAKE, CUSTOMERS, {"GET": "List customers"})
async def customers(request: Request, principal: Principal = Depends(current_principal)):
    return await forward(request, principal, INTAKE, "/customers")


@forwarded("/api/customers/{path:path}", INTAKE, CUSTOMERS, _verbs("a customer or its records"))
async def customer_records(path: str, request: Request, principal: Principal = Depends(current_principal)):
    return await forward(request, principal, INTAKE, f"/customers/{path}")


@forwarded(
    "/api/ies/imports",
    IES_SYNC,
    IES,
    {"GET": "List IES import runs", "POST": "Upload a weekly IES extract (CSV body; ?file_name=)"},
    body="text/csv",
)
async def ies_imports(request: Request, principal: Principal = Depends(current_principal)):
    return await forward(request, principal, IES_SYNC, "/imports")


@forwarded("/api/ies/imports/{path:path}", IES_SYNC, IES, _verbs("an IES import run"))
async def ies_import_run(path: str, request: Request, principal: Principal = Depends(current_principal)):
    return await forward(request, principal, IES_SYNC, f"/imports/{path}")


@forwarded("/api/ies/persons", IES_SYNC, IES, {"POST": "Apply one person's IES record (Sync with IES)"})
async def ies_person(request: Request, principal: Principal = Depends(current_principal)):
    return await forward(request, principal, IES_SYNC, "/persons")
