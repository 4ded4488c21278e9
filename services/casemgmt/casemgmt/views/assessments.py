"""Assessments as the screens show them: results, the summary with its history, the desired career path
and the credentials earned.

Access: everyone who may see the customer (policy.in_scope) reads these, the customer included: they are
the customer's own assessments and career path, as the plan's customer copy shows them.
"""

from sqlalchemy import Connection, bindparam, select

from isets_kit.auth import Principal
from casemgmt import policy
from casemgmt.adapters.orm import assessment_results, assessment_summary_versions, career_paths, credentials

# Built once: the same statements on every read.
_CUSTOMER_ID = bindparam("customer_id")
_RESULTS = (
    select(assessment_results)
    .where(assessment_results.c.customer_id == _CUSTOMER_ID)
    .order_by(assessment_results.c.taken_on.desc(), assessment_results.c.recorded_at.desc())
)
_SUMMARY_VERSIONS = (
    select(assessment_summary_versions)
    .where(assessment_summary_versions.c.customer_id == _CUSTOMER_ID)
    .order_by(assessment_summary_versions.c.number.desc())
)
_CAREER_PATH = select(career_paths).where(career_paths.c.customer_id == _CUSTOMER_ID)
_CREDENTIALS = (
    select(credentials.c.id, credentials.c.title, credentials.c.credential_type, credentials.c.date_earned)
    .where(credentials.c.customer_id == _CUSTOMER_ID)
    .order_by(credentials.c.date_earned.desc(), credentials.c.id)
)


def assessment_results_of(connection: Connection, principal: Principal, customer_id: str) -> list[dict]:
    """Newest taken first."""
    policy.check_customer_seen(connection, principal, customer_id)
    rows = connection.execute(_RESULTS, {"customer_id": customer_id})
    return [row._asdict() for row in rows]


def assessment_summary(connection: Connection, principal: Principal, customer_id: str) -> dict:
    """The current summary (version 0 and empty texts before the first) and every version, newest first."""
    policy.check_customer_seen(connection, principal, customer_id)
    rows = connection.execute(_SUMMARY_VERSIONS, {"customer_id": customer_id})
    history = [row._asdict() for row in rows]
    if not history:
        return {"version": 0, "readiness": "", "employment": "", "support_services": "", "history": []}
    current = history[0]
    return {
        "version": current["number"],
        "readiness": current["readiness"],
        "employment": current["employment"],
        "support_services": current["support_services"],
        "history": history,
    }


def career_path(connection: Connection, principal: Principal, customer_id: str) -> dict:
    """Blank (None everywhere) until staff first set it."""
    policy.check_customer_seen(connection, principal, customer_id)
    row = connection.execute(_CAREER_PATH, {"customer_id": customer_id}).one_or_none()
    if row is None:
        return {"pathway": None, "occupation_1": None, "occupation_2": None, "wage_goal": None, "updated_by": None, "updated_at": None}
    return row._asdict()


def credentials_of(connection: Connection, principal: Principal, customer_id: str) -> dict:
    """The accomplishments' earned credentials: their count and the list, newest first."""
    policy.check_customer_seen(connection, principal, customer_id)
    rows = connection.execute(_CREDENTIALS, {"customer_id": customer_id})
    earned = [row._asdict() for row in rows]
    return {"count": len(earned), "credentials": earned}
