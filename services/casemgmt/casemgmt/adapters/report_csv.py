"""The Customer Services Report as CSV: the matrix, a cell's rows (the columns the import reads back) and
the import's result file. A malformed file is refused whole naming the column or `file`; a bad row is
refused on its own."""

import csv
import io
from collections.abc import Iterable

from pydantic import ValidationError

from isets_kit.errors import RuleViolation
from casemgmt.adapters.schemas.reports import MAX_ROWS, REPORT_FIELD, BulkRow, RowOutcome
from casemgmt.service_layer.reports import ActivityEdit, Outcome

MATRIX_COLUMNS = (
    "activity_code", "name", "kind", "not_started", "started", "successful", "unsuccessful",
    "evaluated_not_required", "customers_with", "customers_without",
)
# What a cell's file holds and the import reads back: the customer columns are there for the person editing.
CELL_COLUMNS = (
    "customer_id", "customer_name", "activity_id", "activity_code", "status", "start_date", "planned_due",
    "weekly_hours", "completion_date", "version",
)
_READ = ("activity_id", "version", "status", "start_date", "planned_due", "weekly_hours", "completion_date")
RESULT_COLUMNS = ("row", "activity_id", "outcome", "field", "reason")
MAX_BYTES = 5_000_000


def _text(value) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # A leading = + - @ would make a spreadsheet run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write(columns: tuple[str, ...], rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_text(row.get(name)) for name in columns] for row in rows)
    return out.getvalue()


def read_edits(content: bytes) -> tuple[list[ActivityEdit], list[Outcome]]:
    """The file's rows as edits, and the rows refused already (a value that is no date, no status...)."""
    if len(content) > MAX_BYTES:
        raise RuleViolation("file", f"larger than {MAX_BYTES} bytes")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RuleViolation("file", "is not UTF-8 text") from None
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise RuleViolation("file", "is not a CSV file") from None
    if not lines:
        raise RuleViolation("file", "is empty: a header line is needed")
    header = [name.strip() for name in lines[0]]
    for name in header:
        if name not in CELL_COLUMNS:
            raise RuleViolation(name[:40] or "file", f"is not a column of the report (columns: {', '.join(CELL_COLUMNS)})")
    if "activity_id" not in header:
        raise RuleViolation("activity_id", "the column is required")
    if len(lines) - 1 > MAX_ROWS:
        raise RuleViolation("file", f"more than {MAX_ROWS} rows")
    edits, refused = [], []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            refused.append(Outcome(number, _cell(header, cells, "activity_id"), False, "file", f"has {len(cells)} cells, the header {len(header)}"))
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=True) if name in _READ and cell.strip()}
        try:
            row = BulkRow.model_validate(values)
        except ValidationError as error:
            problem = error.errors()[0]
            field = str(problem["loc"][0]) if problem["loc"] else "file"
            refused.append(Outcome(number, values.get("activity_id", "")[:40], False, field, problem["msg"]))
            continue
        edits.append(ActivityEdit(number, row.activity_id, row.changes(), row.version))
    return edits, refused


def _cell(header: list[str], cells: list[str], name: str) -> str:
    index = header.index(name)
    return cells[index].strip()[:40] if index < len(cells) else ""


def outcome_row(outcome: Outcome) -> RowOutcome:
    return RowOutcome(
        row=outcome.row, activity_id=outcome.activity_id, outcome="ok" if outcome.saved else "refused",
        field=REPORT_FIELD.get(outcome.field, outcome.field), reason=outcome.reason,
    )
