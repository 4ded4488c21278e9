"""The services the gateway forwards to, over one shared aiohttp client session.

aiohttp rather than httpx: measured forwarding a 1.5 KB answer at 50 requests in flight (2 cores), httpx's
client cost 1.66 ms of CPU a request (its pool checks every connection's socket twice a request) and aiohttp's
0.08 ms; the client was half of the gateway's time.
"""

import asyncio
import os
from collections.abc import AsyncIterator

import aiohttp
from fastapi import Request
from yarl import URL

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
# At most this many requests in flight to each service, every connection kept for the next request.
CONNECTIONS_PER_SERVICE = 32


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


def _failure(service: str, error: Exception) -> UpstreamError:
    """The gateway's answer to a failed exchange with a service (the error's type only: its text may hold a URL)."""
    name = type(error).__name__
    if isinstance(error, aiohttp.ConnectionTimeoutError | aiohttp.ClientConnectorError):
        return UpstreamUnreachable(service, f"is unreachable ({name})")
    if isinstance(error, asyncio.TimeoutError):
        return UpstreamError(service, f"did not answer in time ({name})", 504)
    return UpstreamError(service, f"failed to answer ({name})")


class UpstreamAnswer:
    """A service's answer: its status, the headers a client needs, and its body, read whole or streamed.
    Reading it whole or streaming it to its end gives the connection back to the pool."""

    def __init__(self, service: str, response: aiohttp.ClientResponse):
        self.service = service
        self.status_code = response.status
        self.content_type = response.headers.get("Content-Type")
        self.headers = {  # a header sent more than once (e.g. Link) is passed back as one, its values joined
            name: ", ".join(response.headers.getall(name))
            for name in {name.lower() for name in response.headers}
            if name in PASSED_BACK_HEADERS or (name.startswith(PASSED_BACK_PREFIX) and name != REQUEST_ID_HEADER.lower())
        }
        self._response = response

    @property
    def is_small(self) -> bool:
        """Of known length up to `SMALL_ANSWER_BYTES`: passed back whole (longer ones, e.g. exports, stream)."""
        return self._response.content_length is not None and self._response.content_length <= SMALL_ANSWER_BYTES

    async def read(self) -> bytes:
        try:
            return await self._response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise _failure(self.service, error) from error
        finally:
            self._response.release()

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        finally:
            self._response.release()


SMALL_ANSWER_BYTES = 256 * 1024


class _ServiceResponse(aiohttp.ClientResponse):
    """A service that failed may close its end right after its answer without saying so (uvicorn does when an
    exception escapes the app): the connection of a 5xx answer is closed, never kept for the next request."""

    async def start(self, connection):
        protocol = connection.protocol
        started = await super().start(connection)
        if self.status >= 500 and protocol is not None:
            if self.connection is None:  # the whole answer had come: the connection is already back in the pool
                protocol.close()  # the pool drops it
            else:
                protocol.force_close()  # closed once the answer is read
        return started


class Upstreams:
    def __init__(self, base_urls: dict[str, str], timeout_seconds: float):
        self.base_urls = {service: url.rstrip("/") for service, url in base_urls.items()}
        # No total: an export streams for as long as it takes. Opening a socket and each read have the timeout; a
        # wait for a free pooled connection has none of its own (aiohttp's `connect` would count it, and a busy
        # service would be called unreachable): it ends as the requests in flight answer or time out.
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeout_seconds, sock_read=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # made in the event loop that uses it
            self._session = aiohttp.ClientSession(
                timeout=self._timeout,
                connector=aiohttp.TCPConnector(
                    limit=0, limit_per_host=CONNECTIONS_PER_SERVICE, keepalive_timeout=KEEPALIVE_EXPIRY_SECONDS
                ),
                cookie_jar=aiohttp.DummyCookieJar(),  # callers' cookies are not the gateway's to keep
                skip_auto_headers=("Content-Type",),  # a body goes on with the caller's type, or none
                response_class=_ServiceResponse,
            )
        return self._session

    async def open(self, service: str, path: str, request: Request) -> UpstreamAnswer:
        """Forward the caller's request (body streamed, not buffered) to `path` (already percent-encoded)."""
        headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
        headers[REQUEST_ID_HEADER] = context.correlation_id.get()
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        try:
            response = await self._client().request(
                request.method,
                URL(self.base_urls[service] + path, encoded=True),
                params=request.query_params.multi_items() or None,
                headers=headers,
                data=_body_of(request) if has_body else None,
                allow_redirects=False,
            )
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise _failure(service, error) from error
        return UpstreamAnswer(service, response)

    async def get_json(self, service: str, path: str) -> dict:
        async with self._client().get(self.base_urls[service] + path) as answer:
            answer.raise_for_status()
            return await answer.json()

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _body_of(request: Request) -> AsyncIterator[bytes]:
    async for chunk in request.stream():
        if chunk:  # starlette ends with an empty chunk
            yield chunk
