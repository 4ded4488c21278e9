"""Prometheus HTTP metrics for every service: requests and latency by method, route template and status.

Labelled by the route's template (`/customers/{customer_id}`), never the concrete path, so ids and names
stay out of the metrics and the label set stays small. A request that matched no route counts as "unmatched".
"""

import time

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_REQUESTS = Counter(
    "isets_http_requests_total", "HTTP requests answered", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "isets_http_request_duration_seconds",
    "Time from a request's arrival until its answer is sent",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
UNMATCHED = "unmatched"


def route_template(scope: Scope) -> str:
    """The template the request matched; the gateway puts the forwarded service's template in scope["state"]."""
    forwarded = scope.get("state", {}).get("route_template")
    if forwarded:
        return forwarded
    route = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class HttpMetrics:
    """Pure ASGI middleware (streamed answers are timed until their last byte)."""

    def __init__(self, app: ASGIApp, service: str):
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception before the answer began is a server error

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            labels = (self.service, scope["method"], route_template(scope), str(status))
            HTTP_REQUESTS.labels(*labels).inc()
            HTTP_LATENCY.labels(*labels).observe(time.perf_counter() - started)
