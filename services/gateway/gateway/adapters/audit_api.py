"""The access audit through the API: a customer's access history, and a check of the whole chain."""

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from isets_contracts.reference import Role
from isets_kit.auth import Principal, require_roles
from gateway import service_layer
from gateway.adapters.audit_writer import access_of

router = APIRouter(prefix="/api/audit", tags=["access audit"])
auditors = require_roles(Role.IDHS_ADMIN, Role.STATEWIDE)
ROUTE_HISTORY = "/api/audit/customers/{customer_id}"


class AccessOut(BaseModel):
    position: int
    user_id: str
    role: str
    method: str
    route: str
    customer_id: str | None
    status: int
    correlation_id: str
    at: str


class Verification(BaseModel):
    ok: bool
    checked: int = Field(description="entries checked before the first broken one (all of them when ok)")
    first_broken_position: int | None = None
    problem: str | None = None


@router.get("/customers/{customer_id}", response_model=list[AccessOut], summary="Who read or changed a customer's data")
async def customer_history(
    request: Request,
    customer_id: str = Path(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$"),
    limit: int = Query(100, ge=1, le=1000),
    before: int | None = Query(None, ge=1, le=2**31 - 1, description="page back: positions below this one"),
    principal: Principal = Depends(auditors),
):
    """Newest first. Reading the history is itself recorded."""
    state = request.app.state
    rows = await service_layer.customer_accesses(state.runtime.unit_of_work, customer_id, limit, before)
    state.audit.record(access_of(request, principal, ROUTE_HISTORY, customer_id, 200))
    return [AccessOut(**row | {"at": row["at"].isoformat()}) for row in rows]


@router.post("/verify", response_model=Verification, summary="Check that no audit entry was edited or removed")
async def verify(request: Request, _: Principal = Depends(auditors)):
    state = request.app.state
    await state.audit.flush()
    checked, broken = await service_layer.verify_audit_chain(state.runtime.unit_of_work)
    if broken is None:
        return Verification(ok=True, checked=checked)
    return Verification(ok=False, checked=checked, first_broken_position=broken.position, problem=broken.problem)

