"""The plan's reads: the overview (header, career plan table by goal, agreement, accomplishments), goals,
activities with their status history, what can be added now, and the update log."""

from sqlalchemy import Connection, bindparam, select

from isets_contracts.reference import ACTIVITY_CATALOGUE, GoalStatus
from isets_kit.auth import Principal
from casemgmt import policy
from casemgmt.adapters.orm import activity_status_history, customers, goals, plan_updates
from casemgmt.domain import activities as rules
from casemgmt.domain.activities import Activity
from casemgmt.domain.plan import goal_dates
from casemgmt.service_layer.activities import customer_activities
from casemgmt.clock import today
from casemgmt.views.providers import activities_offered
from casemgmt.service_layer.plan import plan_agreement


# The statements the same on every read are built once (a statement keeps its compiled form's cache key).
_CUSTOMER_ID = bindparam("customer_id")
_CUSTOMER = select(customers).where(customers.c.id == _CUSTOMER_ID)
_STATUS_HISTORY = (
    select(activity_status_history)
    .where(activity_status_history.c.activity_id.in_(bindparam("activity_ids", expanding=True)))
    .order_by(activity_status_history.c.id)
)
_GOALS = select(goals).where(goals.c.customer_id == _CUSTOMER_ID).order_by(goals.c.updated_at, goals.c.id)
_UPDATE_LOG = (
    select(plan_updates.c.at, plan_updates.c.by, plan_updates.c.what)
    .where(plan_updates.c.customer_id == _CUSTOMER_ID)
    .order_by(plan_updates.c.id.desc())
)


def _header(connection: Connection, customer_id: str) -> dict:
    customer = connection.execute(_CUSTOMER, {"customer_id": customer_id}).one()
    return customer._asdict() | {"locations": policy.locations_of(connection, customer_id)}


def activity_view(activity: Activity, history: list[dict]) -> dict:
    return vars(activity) | {
        "name": activity.name, "kind": activity.kind, "worksite_based": activity.worksite_based,
        "wioa_funded": activity.wioa_funded, "status_history": history,
    }


def _activities(connection: Connection, customer_id: str) -> list[dict]:
    found = customer_activities(connection, customer_id)
    rows = connection.execute(_STATUS_HISTORY, {"activity_ids": [a.id for a in found]})
    history: dict[str, list[dict]] = {}
    for row in rows:
        history.setdefault(row.activity_id, []).append(
            {"status": row.status, "effective_date": row.effective_date, "changed_by": row.changed_by, "changed_at": row.changed_at}
        )
    return [activity_view(a, history.get(a.id, [])) for a in found]


def _goals(connection: Connection, customer_id: str, by_goal: dict[str | None, list[dict]]) -> list[dict]:
    rows = connection.execute(_GOALS, {"customer_id": customer_id})
    shown = []
    for row in rows:
        its = by_goal.get(row.id, [])
        start, due = goal_dates([a["planned_start"] for a in its], [a["planned_completion"] for a in its])
        shown.append(row._asdict() | {"earliest_start": start, "latest_planned_due": due, "activities": its})
    return shown


def overview(connection: Connection, principal: Principal, customer_id: str) -> dict:
    policy.check_customer_seen(connection, principal, customer_id)
    header = _header(connection, customer_id)
    everything = _activities(connection, customer_id)
    by_goal: dict[str | None, list[dict]] = {}
    for activity in everything:
        by_goal.setdefault(activity["goal_id"], []).append(activity)
    goal_rows = _goals(connection, customer_id, by_goal)
    agreement = plan_agreement(connection, customer_id)
    return header | {
        "agreement": agreement,
        "goals": goal_rows,
        "activities_without_goal": by_goal.get(None, []),
        "accomplishments": {
            "completed_goals": sum(g["status"] is GoalStatus.COMPLETE for g in goal_rows),
            "completed_activities": sum(a["status"] in rules.COMPLETED for a in everything),
        },
    }


def goal_list(connection: Connection, principal: Principal, customer_id: str) -> list[dict]:
    policy.check_customer_seen(connection, principal, customer_id)
    by_goal: dict[str | None, list[dict]] = {}
    for activity in _activities(connection, customer_id):
        by_goal.setdefault(activity["goal_id"], []).append(activity)
    return _goals(connection, customer_id, by_goal)


def activity_list(connection: Connection, principal: Principal, customer_id: str) -> list[dict]:
    policy.check_customer_seen(connection, principal, customer_id)
    return _activities(connection, customer_id)


def activity_options(connection: Connection, principal: Principal, customer_id: str) -> list[dict]:
    """Every catalogue activity, at each of the customer's locations, with why it cannot be added now."""
    policy.check_customer_seen(connection, principal, customer_id)
    others = customer_activities(connection, customer_id)
    options = []
    for location in policy.locations_of(connection, customer_id):
        offered = activities_offered(connection, location, today())
        for code, entry in ACTIVITY_CATALOGUE.items():
            reason = rules.why_not_addable(code, offered, others)
            options.append(
                {"code": code, "name": entry.name, "kind": entry.kind, "location": location,
                 "addable": reason is None, "why_not": reason}
            )
    return options


def update_log(connection: Connection, principal: Principal, customer_id: str) -> list[dict]:
    policy.check_customer_seen(connection, principal, customer_id)
    rows = connection.execute(_UPDATE_LOG, {"customer_id": customer_id})
    return [row._asdict() for row in rows]
