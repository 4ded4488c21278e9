"""The services the gateway forwards to, over one shared HTTP client (tests inject a transport)."""

import os

import httpx
from fastapi import Request

from isets_kit import context, registry
from isets_kit.http import REQUEST_ID_HEADER

INTAKE = "intake"
IES_SYNC = "ies_sync"
CASEMGMT = "casemgmt"
GATEWAY = "gateway"
FORWARDED_HEADERS = ("authorization", "content-type", "content-length", "accept", "if-match", "if-none-match")
# What a client needs from the service's answer: file names of exports, versions, pagination, retries.
PASSED_BACK_HEADERS = (
    "content-type",
    "content-disposition",
    "etag",
    "last-modified",
    "location",
    "link",
    "retry-after",
    "cache-control",
    "www-authenticate",
)
PASSED_BACK_PREFIX = "x-"  # e.g. X-Total-Count; X-Request-ID is the gateway's own
# Below uvicorn's 5 s keep-alive timeout, so the gateway never sends on a connection the service is closing.
KEEPALIVE_EXPIRY_SECONDS = 2.0
# At most this many requests in flight to the services; each connection goes back to the pool and is kept
# (httpx keeps only 20 of its default 100, so the 21st and later were closed after each answer and opened
# anew for the next request). httpcore checks every pooled connection twice a request: at 100 that check
# was a tenth of the gateway's time. A service is one process: 16 requests in flight keep it busy.
KEPT_ALIVE_CONNECTIONS = 16


def registry_upstream_urls() -> dict[str, str]:
    """Every other service of the registry at its default port on this machine; env GATEWAY_<NAME>_URL moves one."""
    return {
        service.name: os.environ.get(f"GATEWAY_{service.name.upper()}_URL", f"http://127.0.0.1:{service.port}")
        for service in registry.services()
        if service.name != GATEWAY
    }


class UpstreamError(Exception):
    """No usable answer came back, though the service may have acted on the request."""

    def __init__(self, service: str, problem: str, status_code: int = 502):
        super().__init__(f"{service} {problem}")
        self.status_code = status_code


class UpstreamUnreachable(UpstreamError):
    """The request never reached the service."""

    def __init__(self, service: str, problem: str):
        super().__init__(service, problem, 503)


def passed_back_headers(answer: httpx.Response) -> dict[str, str]:
    return {
        name: value
        for name, value in answer.headers.items()
        if name in PASSED_BACK_HEADERS or (name.startswith(PASSED_BACK_PREFIX) and name != REQUEST_ID_HEADER.lower())
    }


class Upstreams:
    def __init__(self, base_urls: dict[str, str], timeout_seconds: float, transport: httpx.AsyncBaseTransport | None):
        self.base_urls = {service: url.rstrip("/") for service, url in base_urls.items()}
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=timeout_seconds,
            limits=httpx.Limits(
                max_connections=KEPT_ALIVE_CONNECTIONS,
                max_keepalive_connections=KEPT_ALIVE_CONNECTIONS,
                keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS,
            ),
        )

    async def open(self, service: str, path: str, request: Request) -> httpx.Response:
        """Forward the caller's request (body streamed, not buffered); the answer's body is left to stream.
        The caller must `aclose()` the answer."""
        headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
        headers[REQUEST_ID_HEADER] = context.correlation_id.get()
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        outgoing = self._client.build_request(
            request.method,
            self.base_urls[service] + path,
            params=request.query_params.multi_items(),
            headers=headers,
            content=request.stream() if has_body else None,
        )
        try:
            answer = await self._client.send(outgoing, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise UpstreamUnreachable(service, f"is unreachable ({type(error).__name__})") from error
        except httpx.TimeoutException as error:
            raise UpstreamError(service, f"did not answer in time ({type(error).__name__})", 504) from error
        except httpx.TransportError as error:
            raise UpstreamError(service, f"failed to answer ({type(error).__name__})") from error
        if answer.status_code >= 500:
            return await self._without_its_connection(answer)
        return answer

    @staticmethod
    async def _without_its_connection(answer: httpx.Response) -> httpx.Response:
        """A service that failed may close its end right after the answer without saying so (uvicorn does when
        an exception escapes the app): the connection must not go back to the pool for the next request to
        find broken. The (small) error answer is read, the socket closed, then the answer released."""
        body = b""
        try:
            async for chunk in answer.stream:  # raw bytes; unlike aiter_raw() this does not release the connection
                body += chunk
        except httpx.TransportError:
            pass
        stream = answer.extensions.get("network_stream")
        if stream is not None:
            await stream.aclose()  # the pool finds the socket closed and opens a fresh one next time
        await answer.aclose()
        return httpx.Response(answer.status_code, headers=answer.headers, content=body, request=answer.request)

    async def get_json(self, service: str, path: str) -> dict:
        answer = await self._client.get(self.base_urls[service] + path)
        answer.raise_for_status()
        return answer.json()

    async def aclose(self) -> None:
        await self._client.aclose()
