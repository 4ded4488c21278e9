"""What every service's routers take: the unit of work (changes) or the read sessions (views), the caller,
and the customer id in the path."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.ext.asyncio import async_sessionmaker

from isets_kit.auth import Principal, current_principal
from isets_kit.unit_of_work import UnitOfWork


# async: FastAPI runs a plain-def dependency in a worker thread, a thread hop for every request.
async def _unit_of_work(request: Request) -> Callable[[], UnitOfWork]:
    return request.app.state.runtime.unit_of_work


async def _read_sessions(request: Request) -> async_sessionmaker:
    return request.app.state.runtime.read_sessions


UnitOfWorkFactory = Annotated[Callable[[], UnitOfWork], Depends(_unit_of_work)]
ReadSessions = Annotated[async_sessionmaker, Depends(_read_sessions)]
Caller = Annotated[Principal, Depends(current_principal)]
CustomerId = Annotated[str, Path(min_length=1, max_length=64)]
