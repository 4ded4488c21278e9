import asyncio
import hashlib
import io
import tempfile
from datetime import date, datetime

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel

from isets_contracts.reference import Role
from isets_kit.auth import Principal, require_roles
from isets_kit.errors import RuleViolation
from isets_kit.http import RequestBody
from ies_sync import service_layer
from ies_sync.domain import CONTROL_CHARACTER_RULE, is_plain_text

router = APIRouter(tags=["ies"])
admin_only = require_roles(Role.STATEWIDE, Role.IDHS_ADMIN)


class ImportRun(BaseModel):
    id: int
    source: str
    file_name: str | None
    checksum_sha256: str | None
    status: str
    rows_read: int
    new: int
    changed: int
    unchanged: int
    stale: int
    rejected: int
    started_at: datetime
    finished_at: datetime | None
    error: str | None
    owner: str | None
    heartbeat_at: datetime | None
    rerun_of: int | None


class QuarantinedRow(BaseModel):
    row_number: int
    individual_number: str | None
    reason: str


class ImportRunDetail(ImportRun):
    quarantined: list[QuarantinedRow]


class SingleUpdate(RequestBody):
    """One IES record, with the extract's column names."""

    individual_number: str
    snap_case_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: date | str | None = None
    ssn_last4: str | None = None
    email: str | None = None
    phone: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    county: str | None = None
    dhs_office: str | None = None
    snap_eligibility_status: str | None = None
    redetermination_date: date | str | None = None
    midpoint_date: date | str | None = None
    as_of: datetime | str


class SingleUpdateResult(BaseModel):
    run_id: int
    decision: str
    changed_fields: list[str]


def _spool():
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)


@router.post(
    "/imports",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ImportRun,
    openapi_extra={  # read as a stream, so FastAPI cannot see it: the extract's body, documented by hand
        "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}}}
    },
)
async def import_extract(
    request: Request,
    file_name: str = Query("extract.csv", max_length=255),
    _: Principal = Depends(admin_only),
):
    """Upload a weekly extract (text/csv body). Streams to disk, is kept with the run until it completes,
    and imports in the background."""
    if not is_plain_text(file_name):
        raise RuleViolation("file_name", CONTROL_CHARACTER_RULE)
    uow = request.app.state.runtime.unit_of_work
    spool = _spool()
    checksum = hashlib.sha256()
    async for piece in request.stream():
        checksum.update(piece)
        spool.write(piece)
    spool.seek(0)
    owner = request.app.state.settings.replica_id
    run_id = await service_layer.start_run(uow, "extract", file_name, checksum.hexdigest(), owner, extract=spool)
    spool.seek(0)
    _in_background(request, _import(uow, run_id, spool, owner))
    return await service_layer.get_run(uow, run_id, quarantine_limit=0)


@router.post("/imports/{run_id}/rerun", status_code=status.HTTP_202_ACCEPTED, response_model=ImportRun)
async def rerun_import(request: Request, run_id: int = Path(ge=1, le=2**31 - 1), _: Principal = Depends(admin_only)):
    """Import a failed run's kept extract again, as a new run (rows already applied come out unchanged)."""
    uow = request.app.state.runtime.unit_of_work
    owner = request.app.state.settings.replica_id
    new_run_id = await service_layer.rerun(uow, run_id, owner)
    _in_background(request, _import_kept_extract(uow, new_run_id, owner))
    return await service_layer.get_run(uow, new_run_id, quarantine_limit=0)


def _in_background(request: Request, work) -> None:
    task = asyncio.create_task(work)
    request.app.state.import_tasks.add(task)
    task.add_done_callback(request.app.state.import_tasks.discard)


async def _import_kept_extract(uow, run_id: int, owner: str) -> None:
    spool = _spool()
    await service_layer.read_extract(uow, run_id, spool)
    await _import(uow, run_id, spool, owner)


async def _import(uow, run_id: int, spool, owner: str) -> None:
    # Undecodable bytes become lone surrogates, which the row validation quarantines.
    with spool, io.TextIOWrapper(spool, encoding="utf-8-sig", errors="surrogateescape", newline="") as text:
        await service_layer.import_extract(uow, run_id, text, owner)


@router.get("/imports", response_model=list[ImportRun])
async def list_runs(request: Request, _: Principal = Depends(admin_only)):
    return await service_layer.list_runs(request.app.state.runtime.unit_of_work)


@router.get("/imports/{run_id}", response_model=ImportRunDetail)
async def get_run(
    request: Request,
    run_id: int = Path(ge=1, le=2**31 - 1),
    quarantine_limit: int = Query(100, ge=0, le=10_000), _: Principal = Depends(admin_only)
):
    return await service_layer.get_run(request.app.state.runtime.unit_of_work, run_id, quarantine_limit)


@router.post("/persons", response_model=SingleUpdateResult)
async def single_update(request: Request, update: SingleUpdate, _: Principal = Depends(admin_only)):
    """IES pushes one person's current record ("Sync with IES")."""
    row = {column: None if value is None else str(value) for column, value in update.model_dump().items()}
    run_id, comparison = await service_layer.apply_single_update(
        request.app.state.runtime.unit_of_work, row, request.app.state.settings.replica_id
    )
    return SingleUpdateResult(
        run_id=run_id, decision=comparison.decision.value, changed_fields=list(comparison.changed_fields)
    )
