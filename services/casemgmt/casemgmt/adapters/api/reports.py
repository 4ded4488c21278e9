"""The Customer Services Report: the matrix and a cell's rows (JSON and CSV), the bulk edit of those rows and
its CSV import. Staff only; scoped to the caller's locations."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile
from fastapi.responses import Response

from isets_contracts.reference import ActivityCode, ActivityKind, Program
from isets_kit.errors import RuleViolation
from isets_kit.http import input_guard
from isets_kit.text import plain_text
from casemgmt.adapters.schemas.common import DATE_BOUNDS
from casemgmt.adapters import report_csv
from isets_kit.dependencies import Caller, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.reports import BulkSave, CellPage, Matrix, RowOutcome
from casemgmt.service_layer import reports as service
from casemgmt.service_layer.reports import ActivityEdit
from casemgmt.views import reports as views
from casemgmt.views.reports import Cell, Enrolment, ReportFilter

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[input_guard])
Id = plain_text(max_length=40)
CSV = "text/csv; charset=utf-8"


async def report_filter(  # async: a plain def runs in a worker thread
    program: Program | None = None,
    service_type: ActivityKind | None = Query(None, description="the activity kind"),
    grantee: Id | None = Query(None, description="a provider id"),
    service_provider: Id | None = Query(None, description="a location id"),
    start_from: date | None = Query(None, description="activities starting on or after", **DATE_BOUNDS),
    start_to: date | None = Query(None, description="activities starting on or before", **DATE_BOUNDS),
    enrolment: Enrolment | None = None,
) -> ReportFilter:
    if start_from is not None and start_to is not None and start_to < start_from:
        raise RuleViolation("start_to", "is before start_from")
    return ReportFilter(program, service_type, grantee, service_provider, start_from, start_to, enrolment)


Filter = Annotated[ReportFilter, Depends(report_filter)]
Code = Annotated[ActivityCode, Query(description="the matrix row")]
Column = Annotated[Cell, Query(description="the matrix column: a status, or with / without the activity")]


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/customer-services", response_model=Matrix)
async def customer_services(reads: Reads, principal: Caller, wanted: Filter):
    """One row per catalogue activity: counts by status, customers with it and without it."""
    return await reads(views.matrix, principal, wanted)


@router.get("/customer-services.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def customer_services_csv(reads: Reads, principal: Caller, wanted: Filter):
    matrix = await reads(views.matrix, principal, wanted)
    return _csv(report_csv.write(report_csv.MATRIX_COLUMNS, matrix["rows"]), "customer-services.csv")


@router.get("/customer-services/cell", response_model=CellPage)
async def cell(
    reads: Reads, principal: Caller, wanted: Filter, activity_code: Code, status: Column,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1, page_size: Annotated[int, Query(ge=1, le=500)] = 50,
):
    items, total = await reads(views.cell_rows, principal, wanted, activity_code, status, page, page_size)
    return CellPage(items=items, total=total, page=page, page_size=page_size)


@router.get("/customer-services/cell.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def cell_csv(reads: Reads, principal: Caller, wanted: Filter, activity_code: Code, status: Column):
    """All of the cell's rows, in the columns the import reads back."""
    rows, _ = await reads(views.cell_rows, principal, wanted, activity_code, status, 1, None)
    return _csv(report_csv.write(report_csv.CELL_COLUMNS, rows), f"customer-services-{activity_code.value}.csv")


@router.post("/customer-services/bulk", response_model=list[RowOutcome])
async def bulk_save(uow: UnitOfWorkFactory, principal: Caller, body: BulkSave):
    """Save many rows, each on its own through the single edit's rules: every row's outcome, in order."""
    edits = [ActivityEdit(number, row.activity_id, row.changes(), row.version) for number, row in enumerate(body.rows, start=1)]
    return [report_csv.outcome_row(outcome) for outcome in await service.save_edits(uow, principal, edits)]


@router.post("/customer-services/import", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def import_csv(uow: UnitOfWorkFactory, principal: Caller, file: UploadFile):
    """A cell's CSV, edited, saved row by row: the result file lists every row's outcome."""
    edits, refused = report_csv.read_edits(await file.read(report_csv.MAX_BYTES + 1))
    outcomes = refused + await service.save_edits(uow, principal, edits)
    rows = [report_csv.outcome_row(outcome).model_dump() for outcome in sorted(outcomes, key=lambda o: o.row)]
    return _csv(report_csv.write(report_csv.RESULT_COLUMNS, rows), "customer-services-import-result.csv")
