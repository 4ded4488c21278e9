"""The gateway against real HTTP servers: a failing service does not poison the next request, and answers
stream through instead of being buffered. The gateway runs in this test's event loop, the fake intake in a
thread of its own, as a separate process would."""

import asyncio
import logging
import socket
import threading
import time

import httpx
import pytest
import pytest_asyncio
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from isets_contracts.reference import Role
from isets_kit.auth import Principal
from gateway.main import Settings, create_app

pytestmark = pytest.mark.asyncio(loop_scope="session")
EXPORT_NAME = 'attachment; filename="customers.csv"'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    def __init__(self, app, in_thread: bool = False, http=None):
        self.port = free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, **({"http": http} if http else {}))
        )
        self.in_thread = in_thread
        self.task = self.thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self):
        if self.in_thread:
            self.thread = threading.Thread(target=self.server.run, daemon=True)
            self.thread.start()
        else:
            self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *_):
        self.server.should_exit = True
        if self.task:
            await self.task
        else:
            await asyncio.to_thread(self.thread.join)


class SlowTracebacks(logging.Filter):
    """uvicorn logs an escaped exception's traceback, then closes the connection: a real service takes a
    moment to format and write it, long enough for the gateway to send its next request on that connection."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and threading.current_thread() is not threading.main_thread():
            time.sleep(0.05)
        return True


@pytest.fixture
def slow_tracebacks():
    logger = logging.getLogger("uvicorn.error")
    slow = SlowTracebacks()
    logger.addFilter(slow)
    yield
    logger.removeFilter(slow)


class CountedConnections(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, counting the connections opened to it."""

    opened = 0

    def connection_made(self, transport):
        CountedConnections.opened += 1
        super().connection_made(transport)


def fake_intake(release_export: threading.Event) -> FastAPI:
    app = FastAPI()

    @app.get("/customers/busy", include_in_schema=False)
    async def busy():
        await asyncio.sleep(0.3)  # long enough for the whole burst to be in flight at once
        return {}

    @app.api_route("/customers/boom", methods=["GET", "POST"], include_in_schema=False)
    async def boom():
        raise RuntimeError("a bug: uvicorn answers 500, then closes the connection without saying so")

    @app.api_route("/customers/ok", methods=["GET", "POST"], include_in_schema=False)
    async def ok(request: Request):
        return {"bytes": len(await request.body())}

    @app.get("/customers/export.csv")
    async def export():
        async def rows():
            yield b"customer_id,first_name\n"
            await asyncio.to_thread(release_export.wait, 5)  # the rest only once the caller has the first part
            yield b"C-1,Pat\n"

        return StreamingResponse(rows(), media_type="text/csv", headers={"Content-Disposition": EXPORT_NAME})

    return app


@pytest_asyncio.fixture(loop_scope="session")
async def through_gateway(tmp_path, slow_tracebacks):
    release_export = threading.Event()
    async with Served(fake_intake(release_export), in_thread=True, http=CountedConnections) as intake:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}",
            upstream_urls={"intake": intake.url, "ies_sync": intake.url},
            demo=True,
        )
        gateway_app = create_app(settings)
        async with Served(gateway_app) as gateway:
            token = gateway_app.state.token_signer.issue(Principal("statewide", Role.STATEWIDE))
            async with httpx.AsyncClient(base_url=gateway.url, headers={"Authorization": f"Bearer {token}"}) as client:
                yield client, release_export


async def test_a_service_error_never_poisons_the_next_request(through_gateway):
    client, _ = through_gateway
    for _ in range(10):
        assert (await client.post("/api/customers/boom", json={"x": 1})).status_code == 500
        assert (await client.get("/api/customers/ok")).status_code == 200
        assert (await client.get("/api/customers/boom")).status_code == 500
        answer = await client.post("/api/customers/ok", content=b"x" * 10_000)
        assert (answer.status_code, answer.json()) == (200, {"bytes": 10_000}), answer.text


async def test_export_streams_through_with_its_file_name(through_gateway):
    client, release_export = through_gateway
    async with client.stream("GET", "/api/customers/export.csv") as answer:
        assert answer.headers["content-disposition"] == EXPORT_NAME
        chunks = answer.aiter_bytes()
        first = await asyncio.wait_for(anext(chunks), timeout=5)  # a buffering gateway would still be waiting
        release_export.set()
        rest = b"".join([chunk async for chunk in chunks])
    assert first + rest == b"customer_id,first_name\nC-1,Pat\n"


async def test_every_connection_of_a_burst_of_requests_is_kept_alive_for_the_next(through_gateway):
    client, _ = through_gateway
    burst = 50
    CountedConnections.opened = 0
    for _ in range(3):
        answers = await asyncio.gather(*(client.get("/api/customers/busy") for _ in range(burst)))
        assert [a.status_code for a in answers] == [200] * burst
    assert CountedConnections.opened <= burst  # the later bursts reuse the first one's connections
