"""Case notes as the screens list them.

Access: staff who may see the customer (policy.in_scope) read every note of theirs. A customer reads only
the notes sent to them (the customer among the recipients), in their current version: the history is for
staff, since an earlier version may not have been sent to the customer. Any other note answers 404.
"""

from sqlalchemy import Connection, select, true

from isets_contracts.reference import Role
from isets_kit.auth import Principal
from isets_kit.errors import Forbidden, NotFound
from casemgmt import policy
from casemgmt.adapters.orm import case_note_versions, case_notes
from casemgmt.domain.notes import NoteCategory


def _readable(principal: Principal):
    return case_notes.c.to_customer.is_(True) if principal.role == Role.CUSTOMER else true()


def _with_edited(row) -> dict:
    return row._asdict() | {"edited": row.version > 1}


def case_notes_of(
    connection: Connection, principal: Principal, customer_id: str, category: NoteCategory | None
) -> list[dict]:
    """Newest contact first (then newest written first)."""
    policy.check_customer_seen(connection, principal, customer_id)
    query = select(case_notes).where(case_notes.c.customer_id == customer_id, _readable(principal))
    if category is not None:
        query = query.where(case_notes.c.category == category)
    rows = connection.execute(query.order_by(case_notes.c.contact_date.desc(), case_notes.c.created_at.desc()))
    return [_with_edited(row) for row in rows]


def case_note(connection: Connection, principal: Principal, customer_id: str, note_id: str) -> dict:
    policy.check_customer_seen(connection, principal, customer_id)
    row = connection.execute(
        select(case_notes).where(case_notes.c.id == note_id, case_notes.c.customer_id == customer_id, _readable(principal))
    ).one_or_none()
    if row is None:
        raise NotFound("note_id", f"no case note {note_id} for this customer")
    return _with_edited(row)


def case_note_history(connection: Connection, principal: Principal, customer_id: str, note_id: str) -> list[dict]:
    """Every version of the note, the first included, newest first."""
    if principal.role == Role.CUSTOMER:
        raise Forbidden("role", "a customer reads the notes sent to them, not their earlier versions")
    policy.check_customer_seen(connection, principal, customer_id)
    rows = connection.execute(
        select(case_note_versions)
        .join(case_notes, case_notes.c.id == case_note_versions.c.note_id)
        .where(case_notes.c.id == note_id, case_notes.c.customer_id == customer_id)
        .order_by(case_note_versions.c.number.desc())
    )
    versions = [row._asdict() for row in rows]
    if not versions:
        raise NotFound("note_id", f"no case note {note_id} for this customer")
    return versions
