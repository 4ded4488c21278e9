"""Employers, worksites and jobs as staff look them up; every staff role reads them, customers do not."""

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from casemgmt import policy
from casemgmt.adapters.orm import employers, jobs, placements, worksites
from casemgmt.domain.placements import PlacementStatus


def _check_exists(connection: Connection, table, key: int, field: str, thing: str) -> None:
    if connection.scalar(select(table.c.id).where(table.c.id == key)) is None:
        raise NotFound(field, f"no {thing} {key}")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def employer_list(connection: Connection, principal: Principal, name: str | None, page: int, page_size: int) -> tuple[list[dict], int]:
    policy.check_staff(principal, "the register of employers, worksites and jobs")
    query = select(employers)
    if name:
        query = query.where(employers.c.name.ilike(_like(name), escape="\\"))
    total = connection.scalar(select(func.count()).select_from(query.subquery()))
    rows = connection.execute(query.order_by(employers.c.name, employers.c.id).offset((page - 1) * page_size).limit(page_size))
    return [row._asdict() for row in rows], total


def employer(connection: Connection, principal: Principal, employer_id: int) -> dict:
    policy.check_staff(principal, "the register of employers, worksites and jobs")
    found = connection.execute(select(employers).where(employers.c.id == employer_id)).one_or_none()
    if found is None:
        raise NotFound("employer_id", f"no employer {employer_id}")
    return found._asdict() | {"worksites": _worksites(connection, employer_id)}


def _worksites(connection: Connection, employer_id: int) -> list[dict]:
    rows = connection.execute(select(worksites).where(worksites.c.employer_id == employer_id).order_by(worksites.c.name, worksites.c.id))
    return [row._asdict() for row in rows]


def employer_worksites(connection: Connection, principal: Principal, employer_id: int) -> list[dict]:
    policy.check_staff(principal, "the register of employers, worksites and jobs")
    _check_exists(connection, employers, employer_id, "employer_id", "employer")
    return _worksites(connection, employer_id)


@dataclass(frozen=True)
class JobSearch:
    employer_id: int | None = None
    worksite_id: int | None = None
    county: str | None = None
    title: str | None = None
    page: int = 1
    page_size: int = 50


# An opening is filled by a placement Started (Open) at the job: a planned one has not taken it yet, a
# completed one has given it back.
_OPENINGS_FILLED = (
    select(func.count()).select_from(placements)
    .where(placements.c.job_id == jobs.c.id, placements.c.status == PlacementStatus.STARTED)
    .scalar_subquery()
)
_JOB_COLUMNS = (
    *jobs.c,
    worksites.c.employer_id,
    worksites.c.name.label("worksite_name"),
    worksites.c.county,
    employers.c.name.label("employer_name"),
    _OPENINGS_FILLED.label("openings_filled"),
)


def _jobs_query():
    return select(*_JOB_COLUMNS).join(worksites, jobs.c.worksite_id == worksites.c.id).join(employers, worksites.c.employer_id == employers.c.id)


def job_list(connection: Connection, principal: Principal, search: JobSearch) -> tuple[list[dict], int]:
    policy.check_staff(principal, "the register of employers, worksites and jobs")
    query = _jobs_query()
    if search.employer_id is not None:
        query = query.where(worksites.c.employer_id == search.employer_id)
    if search.worksite_id is not None:
        query = query.where(jobs.c.worksite_id == search.worksite_id)
    if search.county:
        query = query.where(func.lower(worksites.c.county) == search.county.lower())
    if search.title:
        query = query.where(jobs.c.title.ilike(_like(search.title), escape="\\"))
    total = connection.scalar(select(func.count()).select_from(query.subquery()))
    rows = connection.execute(
        query.order_by(employers.c.name, worksites.c.name, jobs.c.title, jobs.c.id)
        .offset((search.page - 1) * search.page_size)
        .limit(search.page_size)
    )
    return [row._asdict() for row in rows], total


def worksite_jobs(connection: Connection, principal: Principal, worksite_id: int) -> list[dict]:
    policy.check_staff(principal, "the register of employers, worksites and jobs")
    _check_exists(connection, worksites, worksite_id, "worksite_id", "worksite")
    rows = connection.execute(_jobs_query().where(jobs.c.worksite_id == worksite_id).order_by(jobs.c.title, jobs.c.id))
    return [row._asdict() for row in rows]


def job(connection: Connection, principal: Principal, job_id: int) -> dict:
    policy.check_staff(principal, "the register of employers, worksites and jobs")
    found = connection.execute(_jobs_query().where(jobs.c.id == job_id)).one_or_none()
    if found is None:
        raise NotFound("job_id", f"no job {job_id}")
    return found._asdict()
