"""A customer's case notes."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from isets_kit.http import input_guard
from isets_kit.dependencies import Caller, CustomerId, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.case_notes import CaseNoteEdit, CaseNoteIn, CaseNoteOut, CaseNoteVersionOut
from casemgmt.domain.notes import NoteCategory
from casemgmt.service_layer import notes as service
from casemgmt.views import notes

router = APIRouter(prefix="/plans", tags=["case notes"], dependencies=[input_guard])
NoteId = Annotated[str, Path(min_length=1, max_length=40)]


@router.get("/{customer_id}/case-notes", response_model=list[CaseNoteOut])
async def list_case_notes(
    reads: Reads, customer_id: CustomerId, principal: Caller, category: NoteCategory | None = Query(None)
):
    """Newest contact first; `edited` marks notes changed after they were written."""
    return await reads(notes.case_notes_of, principal, customer_id, category)


@router.post("/{customer_id}/case-notes", response_model=CaseNoteOut, status_code=201)
async def add_case_note(
    uow: UnitOfWorkFactory, reads: Reads, customer_id: CustomerId, body: CaseNoteIn, principal: Caller
):
    note = await service.add_case_note(uow, principal, customer_id, body.content())
    return await reads(notes.case_note, principal, customer_id, note.id)


@router.put("/{customer_id}/case-notes/{note_id}", response_model=CaseNoteOut)
async def edit_case_note(
    uow: UnitOfWorkFactory, reads: Reads, customer_id: CustomerId, note_id: NoteId, body: CaseNoteEdit, principal: Caller
):
    """Keeps the previous version (see the history); an edit that changes nothing adds no version."""
    await service.edit_case_note(uow, principal, customer_id, note_id, body.content(), body.version)
    return await reads(notes.case_note, principal, customer_id, note_id)


@router.get("/{customer_id}/case-notes/{note_id}/history", response_model=list[CaseNoteVersionOut])
async def case_note_history(reads: Reads, customer_id: CustomerId, note_id: NoteId, principal: Caller):
    """Every version of the note, who wrote it and when, newest first (staff only)."""
    return await reads(notes.case_note_history, principal, customer_id, note_id)
