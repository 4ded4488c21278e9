"""Appends access-audit entries off the request path: requests queue them, one task writes them in batches.

A clean shutdown writes everything queued before the gateway stops (uvicorn lets running requests finish
first). A crash loses what was queued and not yet written (at most about one batch's worth of time).
"""

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable

from fastapi import Request

from isets_kit import context
from isets_kit.auth import Principal
from isets_kit.unit_of_work import utcnow
from gateway.domain import Access

log = logging.getLogger("gateway.audit")
RETRY_SECONDS = 1.0
RETRIES_AT_SHUTDOWN = 10


class AccessAuditWriter:
    def __init__(self, append: Callable[[list[Access]], Awaitable[None]], batch_size: int = 500):
        self._append = append
        self._batch_size = batch_size
        self._queue: asyncio.Queue[Access | None] = asyncio.Queue()
        self._task: asyncio.Task | None = None

    def record(self, access: Access) -> None:
        if self._task is None:  # started by the first request, but not in its context (its correlation id)
            self._task = asyncio.create_task(self._run(), name="gateway-access-audit", context=contextvars.Context())
        self._queue.put_nowait(access)

    async def flush(self) -> None:
        """Wait until everything recorded so far is written."""
        await self._queue.join()

    async def stop(self) -> None:
        """Write what is queued, then stop."""
        if self._task is None:
            return
        self._queue.put_nowait(None)
        await self._task
        self._task = None

    async def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = [await self._queue.get()]
            while len(batch) < self._batch_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            stopping = None in batch
            accesses = [access for access in batch if access is not None]
            if accesses:
                await self._write(accesses, stopping)
            for _ in batch:
                self._queue.task_done()
            if stopping:  # entries queued behind the stop mark still get written
                rest = []
                while not self._queue.empty():
                    rest.append(self._queue.get_nowait())
                    self._queue.task_done()
                if accesses := [access for access in rest if access is not None]:
                    await self._write(accesses, stopping)

    async def _write(self, accesses: list[Access], stopping: bool) -> None:
        attempt = 0
        while True:
            try:
                await self._append(accesses)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                attempt += 1
                if stopping and attempt >= RETRIES_AT_SHUTDOWN:
                    log.error("gave up appending %d access audit entries at shutdown", len(accesses))
                    return
                log.exception("could not append %d access audit entries; retrying", len(accesses))
                await asyncio.sleep(RETRY_SECONDS)


def storable(text: str, limit: int) -> str:
    """As it can be stored and shown: control characters escaped (a NUL would fail the append, and block every
    entry behind it), cut to the column's length. A hostile id stays recognisable in the history."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or ord(c) == 127 else c for c in text)[:limit]


def access_of(request: Request, principal: Principal, route: str, customer_id: str | None, status: int) -> Access:
    return Access(
        user_id=principal.user_id,
        role=principal.role.value,
        method=request.method,
        route=route,
        customer_id=None if customer_id is None else storable(customer_id, 64),
        status=status,
        correlation_id=storable(context.correlation_id.get() or "", 200),
        at=utcnow(),
    )
