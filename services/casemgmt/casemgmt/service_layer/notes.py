"""Case notes: staff of the customer's locations (and statewide staff) write and edit them; an edit keeps
the previous version. Customers never write notes (they read those sent to them: views/notes.py)."""

import uuid
from collections.abc import Callable

from sqlalchemy import select

from isets_kit.auth import Principal
from isets_kit.errors import NotFound
from isets_kit.unit_of_work import UnitOfWork
from casemgmt import policy
from casemgmt.clock import now
from casemgmt.domain.notes import CaseNote, NoteContent

UnitOfWorkFactory = Callable[[], UnitOfWork]


async def add_case_note(new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, content: NoteContent) -> CaseNote:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        await policy.check_customer_in_scope(uow.session, principal, customer_id)
        note = CaseNote.write(str(uuid.uuid4()), customer_id, content, principal.user_id, now())
        uow.session.add(note)
        await uow.commit()
    return note


async def edit_case_note(
    new_uow: UnitOfWorkFactory, principal: Principal, customer_id: str, note_id: str, content: NoteContent, version: int
) -> CaseNote:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        await policy.check_customer_in_scope(uow.session, principal, customer_id)
        note = await uow.session.scalar(
            select(CaseNote).where(CaseNote.id == note_id, CaseNote.customer_id == customer_id).with_for_update()
        )
        if note is None:
            raise NotFound("note_id", f"no case note {note_id} for this customer")
        note.edit(content, version, principal.user_id, now())
        await uow.commit()
    return note
