"""What every service's routers take: the unit of work (changes), the read views' runner (or the read
sessions, for a read streamed in pages), the caller, and the customer id in the path."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.auth import Principal, current_principal
from isets_kit.db import ReadViews
from isets_kit.unit_of_work import UnitOfWork


# async: FastAPI runs a plain-def dependency in a worker thread, a thread hop for every request.
async def _unit_of_work(request: Request) -> Callable[[], UnitOfWork]:
    return request.app.state.runtime.unit_of_work


async def _reads(request: Request) -> ReadViews:
    return request.app.state.runtime.reads


async def _read_sessions(request: Request) -> async_sessionmaker:
    return request.app.state.runtime.read_sessions


UnitOfWorkFactory = Annotated[Callable[[], UnitOfWork], Depends(_unit_of_work)]
Reads = Annotated[ReadViews, Depends(_reads)]
ReadSessions = Annotated[async_sessionmaker, Depends(_read_sessions)]  # a read streamed in pages (an export)
Caller = Annotated[Principal, Depends(current_principal)]
CustomerId = Annotated[str, Path(min_length=1, max_length=64)]
