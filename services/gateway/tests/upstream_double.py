"""A stand-in service for the gateway's tests: a real HTTP server (aiohttp's) on a local port that hands each
request to a handler as an `httpx.Request` addressed to the service's usual URL (e.g. http://intake.test:8101),
and sends back the `httpx.Response` the handler answers."""

from collections.abc import Awaitable, Callable

import httpx
from aiohttp import web
from multidict import CIMultiDict

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


class UpstreamDouble:
    def __init__(self, handler: Handler, named: str):
        self.handler, self.named = handler, named.rstrip("/")
        self._runner: web.ServerRunner | None = None
        self.port = 0  # kept across stop and start: the gateway keeps the URL

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> "UpstreamDouble":
        self._runner = web.ServerRunner(web.Server(self._answer, access_log=None))  # logs would name test values
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Stop listening: the gateway finds the service unreachable until `start()`."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _answer(self, request: web.BaseRequest) -> web.Response:
        received = httpx.Request(
            request.method, self.named + request.raw_path, headers=list(request.headers.items()), content=await request.content.read()
        )
        answer = await self.handler(received)
        headers = CIMultiDict(
            (name, value) for name, value in answer.headers.multi_items() if name not in ("content-length", "content-encoding")
        )
        return web.Response(status=answer.status_code, body=answer.content, headers=headers)
