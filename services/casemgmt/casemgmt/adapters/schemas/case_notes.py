"""Bodies of case notes."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from isets_kit.http import RequestBody
from isets_kit.text import free_text, plain_text
from casemgmt.domain.notes import NoteCategory, NoteContent, RetentionPeriod, SendAs
from casemgmt.adapters.schemas.common import Day


class TeamRecipient(RequestBody):
    """A member of the customer's resource team the note is sent to."""

    name: plain_text(max_length=200)
    email: plain_text(min_length=3, max_length=200)


class CaseNoteIn(RequestBody):
    contact_date: Day = Field(description="YYYY-MM-DD, not in the future")
    task: plain_text(max_length=200) | None = None
    subject: plain_text(max_length=200)
    message: free_text(max_length=4000)
    category: NoteCategory
    send_as: SendAs = Field(description="saved only: sent to nobody; as a message: to at least one recipient")
    team_recipients: list[TeamRecipient] = Field(default_factory=list, max_length=20)
    to_customer: bool = Field(False, description="the customer is a recipient (and then may read the note)")
    employment_id: plain_text(max_length=64) | None = Field(None, description="with retention_period: the employment's retention period the note documents")
    retention_period: RetentionPeriod | None = None

    def content(self) -> NoteContent:
        values = self.model_dump(exclude={"team_recipients", "version"})
        return NoteContent(**values, team_recipients=tuple(r.model_dump() for r in self.team_recipients))


class CaseNoteEdit(CaseNoteIn):
    version: int = Field(ge=1, description="the version you read; a newer one answers 409")


class Recipient(BaseModel):
    name: str
    email: str


class _Content(BaseModel):
    contact_date: date
    task: str | None
    subject: str
    message: str
    category: NoteCategory
    send_as: SendAs
    team_recipients: list[Recipient]
    to_customer: bool
    employment_id: str | None
    retention_period: RetentionPeriod | None


class CaseNoteOut(_Content):
    id: str
    author: str
    created_at: datetime
    version: int
    edited: bool
    updated_by: str | None
    updated_at: datetime | None


class CaseNoteVersionOut(_Content):
    number: int
    written_by: str
    written_at: datetime
