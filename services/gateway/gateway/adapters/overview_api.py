"""`GET /api/customers/{customer_id}/overview`: what the customer page's Overview tab shows, in one call.

Composed by the gateway from the owning services' own routes, each called with the caller's token (every
service still checks it and its scope). The profile carries the status and the resource team; a later
service adds its section here and in `OVERVIEW_SECTIONS`.
"""

import asyncio
import json
import logging
import time

from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response

from isets_kit.auth import Principal, current_principal
from gateway.adapters.audit_writer import access_of
from gateway.adapters.upstream import INTAKE, UpstreamError

log = logging.getLogger("gateway.overview")
router = APIRouter()
ROUTE = "/api/customers/{customer_id}/overview"
# Each section: (service, its path for the customer, the schema of its answer in the composed document).
OVERVIEW_SECTIONS = {
    "profile": (INTAKE, "/customers/{customer_id}", {"oneOf": [{"$ref": "#/components/schemas/Profile"}, {"$ref": "#/components/schemas/ReferredCustomer"}]}),
    "referrals": (INTAKE, "/customers/{customer_id}/referrals", {"type": "array", "items": {"$ref": "#/components/schemas/ReferralOut"}}),
}


async def _section(request: Request, service: str, path: str) -> Response:
    answer = await request.app.state.upstreams.open(service, path, request)
    return Response(await answer.read(), answer.status_code, media_type=answer.content_type)


@router.get(ROUTE, include_in_schema=False)
async def customer_overview(customer_id: str, request: Request, principal: Principal = Depends(current_principal)):
    request.state.route_template = ROUTE
    if customer_id in (".", ".."):  # would climb to another of the service's routes
        raise HTTPException(404, "not found")
    started = time.perf_counter()
    status = 500
    try:
        # The route gave the id decoded: sent on encoded again, so no character of it changes the path.
        path_values = {"customer_id": quote(customer_id, safe="")}
        answers = await asyncio.gather(
            *(_section(request, service, path.format(**path_values)) for service, path, _ in OVERVIEW_SECTIONS.values())
        )
        # The first refusal (the profile's, when the customer is not the caller's) is the answer.
        for answer in answers:
            if answer.status_code >= 400:
                status = answer.status_code
                return answer
        for (service, _, _), answer in zip(OVERVIEW_SECTIONS.values(), answers, strict=True):
            if answer.status_code != 200 or not answer.body or "json" not in (answer.media_type or ""):
                raise UpstreamError(service, f"gave no JSON for the overview ({answer.status_code})")
        status = 200
        # The sections' JSON as the services wrote it, put together without parsing it again.
        sections = (json.dumps(name).encode() + b":" + answer.body for name, answer in zip(OVERVIEW_SECTIONS, answers, strict=True))
        return Response(b"{" + b",".join(sections) + b"}", media_type="application/json")
    except UpstreamError as error:
        status = error.status_code
        raise HTTPException(error.status_code, str(error)) from None
    finally:
        log.info("composed GET %s: %s after %.1f ms", ROUTE, status, (time.perf_counter() - started) * 1000)
        request.app.state.audit.record(access_of(request, principal, ROUTE, customer_id, status))


def openapi_operation() -> dict:
    """The route in the composed OpenAPI document, with its typed answer."""
    return {
        "get": {
            "tags": ["customers (intake)"],
            "summary": "Customer overview",
            "description": "What the Overview tab shows (profile with status and resource team, referrals), composed by "
            "the gateway from the owning services with the caller's token.",
            "operationId": "gateway_customer_overview",
            "parameters": [{"name": "customer_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": {
                    "description": "The overview",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomerOverview"}}},
                },
                "401": {"description": "missing, expired or invalid token"},
                "403": {"description": "the caller's role may not read customers"},
                "404": {"description": "no such customer the caller may see"},
                "422": {"description": "the customer id breaks a rule (e.g. holds a control character)"},
                "502": {"description": "From the gateway: a service gave no usable answer"},
                "503": {"description": "From the gateway: a service is unreachable"},
                "504": {"description": "From the gateway: a service did not answer in time"},
            },
        }
    }


def openapi_schema() -> dict:
    return {
        "title": "CustomerOverview",
        "type": "object",
        "required": list(OVERVIEW_SECTIONS),
        "properties": {name: schema for name, (_, _, schema) in OVERVIEW_SECTIONS.items()},
    }
