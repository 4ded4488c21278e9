"""The services the gateway forwards to, over one shared HTTP client (tests inject a transport)."""

import os

import httpx
from fastapi import Request

from isets_kit import context, registry
from isets_kit.http import REQUEST_ID_HEADER
from gateway.domain import UpstreamResponse

INTAKE = "intake"
IES_SYNC = "ies_sync"
FORWARDED_HEADERS = ("authorization", "content-type", "content-length", "accept")
GATEWAY = "gateway"


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


class Upstreams:
    def __init__(self, base_urls: dict[str, str], timeout_seconds: float, transport: httpx.AsyncBaseTransport | None):
        self._base_urls = {service: url.rstrip("/") for service, url in base_urls.items()}
        self._client = httpx.AsyncClient(transport=transport, timeout=timeout_seconds)

    async def send(self, service: str, path: str, request: Request) -> UpstreamResponse:
        """Forward the caller's request (body streamed, not buffered) and read the service's whole answer."""
        headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
        headers[REQUEST_ID_HEADER] = context.correlation_id.get()
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        outgoing = self._client.build_request(
            request.method,
            self._base_urls[service] + path,
            params=request.query_params.multi_items(),
            headers=headers,
            content=request.stream() if has_body else None,
        )
        try:
            answer = await self._client.send(outgoing)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise UpstreamUnreachable(service, f"is unreachable ({type(error).__name__})") from error
        except httpx.TimeoutException as error:
            raise UpstreamError(service, f"did not answer in time ({type(error).__name__})", 504) from error
        except httpx.TransportError as error:
            raise UpstreamError(service, f"failed to answer ({type(error).__name__}: {error})") from error
        return UpstreamResponse(answer.status_code, answer.content, answer.headers.get("content-type"))

    async def aclose(self) -> None:
        await self._client.aclose()
