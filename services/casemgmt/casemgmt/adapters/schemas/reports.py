"""Bodies of the Customer Services Report: the matrix, a cell's rows, and the bulk edit of those rows."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from isets_contracts.reference import ActivityCode, ActivityKind, ActivityStatus
from isets_kit.http import RequestBody
from isets_kit.text import plain_text
from casemgmt.adapters.schemas.activities import WeeklyHours
from casemgmt.adapters.schemas.common import Day

MAX_ROWS = 5000  # of one bulk save or import


class MatrixRow(BaseModel):
    activity_code: ActivityCode
    name: str
    kind: ActivityKind
    not_started: int
    started: int
    successful: int
    unsuccessful: int
    evaluated_not_required: int
    customers_with: int = Field(description="customers of the population with the activity, any status")
    customers_without: int = Field(description="customers of the population without it")


class Matrix(BaseModel):
    population: int = Field(description="customers in the filter's population")
    rows: list[MatrixRow]


class CellRow(BaseModel):
    """An activity of the cell, or (customers without it) the customer alone."""

    customer_id: str
    customer_name: str
    activity_id: str | None = None
    activity_code: ActivityCode | None = None
    status: ActivityStatus | None = None
    start_date: date | None = None
    planned_due: date | None = None
    completion_date: date | None = None
    weekly_hours: Decimal | None = None
    version: datetime | None = Field(None, description="send it back with an edit: a row changed since is refused")


class CellPage(BaseModel):
    items: list[CellRow]
    total: int
    page: int
    page_size: int


class BulkRow(RequestBody):
    """One activity's edit; only the fields sent change (null clears a date)."""

    activity_id: plain_text(max_length=40)
    version: datetime | None = Field(None, description="the row's version as read; refused if the activity changed since")
    status: ActivityStatus | None = None
    start_date: Day | None = None
    planned_due: Day | None = None
    weekly_hours: WeeklyHours | None = None
    completion_date: Day | None = None

    def changes(self) -> dict:
        """The activity's fields this row changes."""
        sent = self.model_dump(exclude_unset=True, exclude={"activity_id", "version"})
        return {_ACTIVITY_FIELD[name]: value for name, value in sent.items() if value is not None or name in _CLEARABLE}


_ACTIVITY_FIELD = {
    "status": "status", "start_date": "planned_start", "planned_due": "planned_completion",
    "weekly_hours": "weekly_hours", "completion_date": "actual_completion",
}
_CLEARABLE = {"start_date", "planned_due", "completion_date"}
# A refused rule names the activity's field; the report's rows name it as the report does.
REPORT_FIELD = {activity_field: name for name, activity_field in _ACTIVITY_FIELD.items()}


class BulkSave(RequestBody):
    rows: list[BulkRow] = Field(min_length=1, max_length=MAX_ROWS)


class RowOutcome(BaseModel):
    row: int = Field(description="1-based: the row's position in the request, or its line in the file (header = 1)")
    activity_id: str
    outcome: Literal["ok", "refused"]
    field: str | None = None
    reason: str | None = None
