"""The Customer Services Report (DOMAIN.md §4): for a filter, one row per catalogue activity with its
customers counted by status, with it and without it; a cell lists its rows. Counted by the database
(GROUP BY), scoped to the caller's locations."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, Connection, and_, case, distinct, exists, func, select, true

from isets_contracts.reference import ACTIVITY_CATALOGUE, ActivityCode, ActivityKind, ActivityStatus, Program
from isets_kit.auth import Principal
from casemgmt import policy
from casemgmt.adapters.orm import activities, assignments, customers, locations


class Enrolment(StrEnum):
    ENROLLED = "enrolled"
    EXITED = "exited"


class Cell(StrEnum):
    """A column of the matrix: one status, or customers with / without the activity."""

    NOT_STARTED = ActivityStatus.PLANNED.value
    STARTED = ActivityStatus.STARTED.value
    SUCCESSFUL = ActivityStatus.SUCCESSFUL.value
    UNSUCCESSFUL = ActivityStatus.UNSUCCESSFUL.value
    EVALUATED_NOT_REQUIRED = ActivityStatus.EVALUATED_NOT_REQUIRED.value
    WITH = "with"
    WITHOUT = "without"


# The count columns of a matrix row, in the report's order.
STATUS_COLUMNS = {
    ActivityStatus.PLANNED: "not_started",
    ActivityStatus.STARTED: "started",
    ActivityStatus.SUCCESSFUL: "successful",
    ActivityStatus.UNSUCCESSFUL: "unsuccessful",
    ActivityStatus.EVALUATED_NOT_REQUIRED: "evaluated_not_required",
}


@dataclass(frozen=True)
class ReportFilter:
    program: Program | None = None
    kind: ActivityKind | None = None  # the service type
    grantee: str | None = None  # a provider id
    location: str | None = None  # the service provider
    start_from: date | None = None
    start_to: date | None = None
    enrolment: Enrolment | None = None

    def codes(self) -> list[ActivityCode]:
        return [code for code, entry in ACTIVITY_CATALOGUE.items() if self.kind is None or entry.kind is self.kind]




def _enrolled(principal: Principal, wanted: ReportFilter) -> list[ColumnElement[bool]]:
    """Conditions on `assignments`: an enrolment of the filter's population the caller may see."""
    conditions = []
    if principal.location_scoped:
        conditions.append(assignments.c.location.in_(principal.locations))
    if wanted.program is not None:
        conditions.append(assignments.c.program == wanted.program)
    if wanted.location is not None:
        conditions.append(assignments.c.location == wanted.location)
    if wanted.grantee is not None:
        conditions.append(assignments.c.location.in_(select(locations.c.id).where(locations.c.provider_id == wanted.grantee)))
    if wanted.enrolment is Enrolment.ENROLLED:
        conditions.append(assignments.c.exited_on.is_(None))
    elif wanted.enrolment is Enrolment.EXITED:
        conditions.append(assignments.c.exited_on.is_not(None))
    return conditions


def _population(principal: Principal, wanted: ReportFilter):
    """The ids of the customers in the filter's population."""
    return select(assignments.c.customer_id).where(and_(true(), *_enrolled(principal, wanted))).distinct()


def _counted(principal: Principal, wanted: ReportFilter) -> list[ColumnElement[bool]]:
    """Conditions on `activities`: an activity of the filter, at an enrolment of its population."""
    conditions = [
        activities.c.code.in_(wanted.codes()),
        exists().where(
            assignments.c.customer_id == activities.c.customer_id,
            assignments.c.location == activities.c.location,
            *_enrolled(principal, wanted),
        ),
    ]
    if wanted.start_from is not None:
        conditions.append(activities.c.planned_start >= wanted.start_from)
    if wanted.start_to is not None:
        conditions.append(activities.c.planned_start <= wanted.start_to)
    return conditions


def matrix(connection: Connection, principal: Principal, wanted: ReportFilter) -> dict:
    policy.check_staff(principal, "the Customer Services Report")
    counts = select(
        activities.c.code,
        *[func.sum(case((activities.c.status == status, 1), else_=0)).label(name) for status, name in STATUS_COLUMNS.items()],
        func.count(distinct(activities.c.customer_id)).label("customers_with"),
    ).where(*_counted(principal, wanted)).group_by(activities.c.code)
    population = connection.scalar(select(func.count()).select_from(_population(principal, wanted).subquery()))
    found = {row.code: row._asdict() for row in connection.execute(counts)}
    rows = []
    for code in wanted.codes():
        counted = found.get(code, {})
        with_it = counted.get("customers_with", 0)
        entry = ACTIVITY_CATALOGUE[code]
        rows.append(
            {"activity_code": code, "name": entry.name, "kind": entry.kind}
            | {name: int(counted.get(name) or 0) for name in STATUS_COLUMNS.values()}
            | {"customers_with": with_it, "customers_without": population - with_it}
        )
    return {"population": population, "rows": rows}


_ROW_COLUMNS = (
    customers.c.id.label("customer_id"), customers.c.first_name, customers.c.last_name,
    activities.c.id.label("activity_id"), activities.c.code.label("activity_code"), activities.c.status,
    activities.c.planned_start.label("start_date"), activities.c.planned_completion.label("planned_due"),
    activities.c.actual_completion.label("completion_date"), activities.c.weekly_hours,
    activities.c.updated_at.label("version"),
)


def _cell_query(principal: Principal, wanted: ReportFilter, code: ActivityCode, cell: Cell):
    if cell is Cell.WITHOUT:
        has_it = select(activities.c.customer_id).where(*_counted(principal, wanted), activities.c.code == code)
        return (
            select(customers.c.id.label("customer_id"), customers.c.first_name, customers.c.last_name)
            .where(customers.c.id.in_(_population(principal, wanted)), customers.c.id.not_in(has_it))
            .order_by(customers.c.last_name, customers.c.first_name, customers.c.id)
        )
    query = (
        select(*_ROW_COLUMNS)
        .join(customers, customers.c.id == activities.c.customer_id)
        .where(*_counted(principal, wanted), activities.c.code == code)
        .order_by(customers.c.last_name, customers.c.first_name, customers.c.id, activities.c.id)
    )
    if cell is not Cell.WITH:
        query = query.where(activities.c.status == ActivityStatus(cell.value))
    return query


def cell_rows(
    connection: Connection, principal: Principal, wanted: ReportFilter, code: ActivityCode, cell: Cell,
    page: int, page_size: int | None,
) -> tuple[list[dict], int]:
    """A cell's rows, a page of them (`page_size` None: all)."""
    policy.check_staff(principal, "the Customer Services Report")
    query = _cell_query(principal, wanted, code, cell)
    total = connection.scalar(select(func.count()).select_from(query.subquery()))
    if page_size is not None:
        query = query.offset((page - 1) * page_size).limit(page_size)
    rows = [row._asdict() for row in connection.execute(query)]
    return [{"customer_name": f"{row.pop('first_name')} {row.pop('last_name')}"} | row for row in rows], total
