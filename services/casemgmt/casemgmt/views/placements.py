"""A customer's worksite placements as staff see them: the job, employer and worksite from the registry,
wages with the minimum for the start date, subsidised days, status history and follow-ups."""

from datetime import date

from sqlalchemy import Connection, select

from isets_kit.auth import Principal
from casemgmt import policy
from casemgmt.adapters.orm import employers, jobs, worksites
from casemgmt.domain import placements as rules
from casemgmt.service_layer.placements import StoredPlacement, stored_placements
from casemgmt.clock import today

_WHERE = (
    jobs.c.id.label("job_id"), jobs.c.title.label("job_title"), worksites.c.id.label("worksite_id"),
    worksites.c.name.label("worksite_name"), worksites.c.street, worksites.c.city, worksites.c.state, worksites.c.zip_code,
    employers.c.id.label("employer_id"), employers.c.name.label("employer_name"),
)


def _where(connection: Connection, job_ids: set[int]) -> dict[int, dict]:
    rows = connection.execute(
        select(*_WHERE).join(worksites, jobs.c.worksite_id == worksites.c.id).join(employers, worksites.c.employer_id == employers.c.id)
        .where(jobs.c.id.in_(job_ids))
    )
    found = {}
    for row in rows:
        where = row._asdict()
        address = f"{where.pop('street')}, {where.pop('city')}, {where.pop('state')} {where.pop('zip_code')}"
        found[row.job_id] = where | {"worksite_address": address}
    return found


def placement_view(stored: StoredPlacement, where: dict, on: date) -> dict:
    placement = stored.placement
    open_span = placement.inactive_spans[-1] if placement.inactive_spans and placement.inactive_spans[-1].return_date is None else None
    return where | {
        "id": stored.id, "customer_id": stored.customer_id, "activity_id": stored.activity_id,
        "position_type": placement.position_type, "status": placement.status,
        "start_date": placement.start_date, "planned_due_date": placement.planned_due_date, "end_date": placement.end_date,
        "hourly_wage": placement.hourly_wage, "subsidised_wage": placement.subsidised_wage,
        "employer_wage_match": placement.employer_wage_match, "minimum_wage": placement.minimum_wage,
        "subsidised_start": placement.subsidised_start, "subsidised_end": placement.subsidised_end,
        "subsidised_days": placement.subsidised_days(on),
        "inactive_since": open_span.inactive_date if open_span else None,
        "status_history": [vars(change) for change in placement.history],
        "follow_ups": [vars(f) | {"reached": on >= f.due} for f in placement.follow_ups],
    }


def views_of(connection: Connection, found: list[StoredPlacement]) -> list[dict]:
    where = _where(connection, {p.placement.job_id for p in found})
    on = today()
    return [placement_view(p, where[p.placement.job_id], on) for p in found]


def check_placements_readable(connection: Connection, principal: Principal, customer_id: str) -> None:
    """Staff who see the customer (404 otherwise)."""
    policy.check_staff(principal, "worksite placements")
    policy.check_customer_seen(connection, principal, customer_id)


def placement_list(connection: Connection, principal: Principal, customer_id: str, activity_id: str | None = None) -> list[dict]:
    """The customer's placements (on one activity if given), oldest start first."""
    policy.check_staff(principal, "worksite placements")
    policy.check_customer_seen(connection, principal, customer_id)
    found = stored_placements(connection, [customer_id])
    return views_of(connection, [p for p in found if activity_id in (None, p.activity_id)])


def subsidised_days(connection: Connection, principal: Principal, customer_id: str, year: int | None) -> dict:
    """Subsidised days across the customer's placements: in all, in `year` (default this one) so far,
    and what remains of the year's limit once the placements run to their end."""
    policy.check_staff(principal, "worksite placements")
    on = today()
    year = year or on.year
    policy.check_customer_seen(connection, principal, customer_id)
    found = [p.placement for p in stored_placements(connection, [customer_id])]
    return {
        "year": year,
        "limit": rules.SUBSIDISED_DAYS_PER_YEAR,
        "total": rules.total_subsidised_days(found, on),
        "this_year": sum(p.subsidised_days(on, year) for p in found),
        "remaining": rules.subsidised_days_remaining(found, year),
    }

