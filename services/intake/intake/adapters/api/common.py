"""What every router of intake takes: the unit of work and the caller, and the customer id in the path."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request

from isets_kit.auth import Principal, current_principal
from isets_kit.unit_of_work import UnitOfWork


def _unit_of_work(request: Request) -> Callable[[], UnitOfWork]:
    return request.app.state.runtime.unit_of_work


UnitOfWorkFactory = Annotated[Callable[[], UnitOfWork], Depends(_unit_of_work)]
Caller = Annotated[Principal, Depends(current_principal)]
CustomerId = Annotated[str, Path(min_length=1, max_length=64)]
