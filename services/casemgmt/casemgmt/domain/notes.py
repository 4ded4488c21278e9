"""Case notes (DOMAIN.md §4): what staff record of a contact with the customer, and whom they sent it to.

A note is never changed silently: every version (what it said, who wrote it and when) is kept, the first
included, and an edit adds the next one. Plain Python; adapters/orm.py maps these classes.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum

from isets_kit.errors import Conflict, RuleViolation


class NoteCategory(StrEnum):
    """The guides' Participant Summary Tools, plus Follow-up (post-exit) and retention of employment."""

    GENERAL = "General"
    ASSESSMENTS = "Assessments"
    CHANGE_IN_ACTIVITY = "Change in Activity"
    SERVICES = "Services"
    WORKSITES = "Worksites"
    EMPLOYMENT_RETENTION = "Employment Retention"
    FOLLOW_UP = "Follow-up"


class SendAs(StrEnum):
    WORKNET_MESSAGE = "Illinois workNet message"
    WORKNET_MESSAGE_AND_EMAIL = "Illinois workNet message and email"
    SAVE_ONLY = "Save as case note only"


class RetentionPeriod(IntEnum):
    """The 30/60/90-day periods of an employment's retention a note may document."""

    DAYS_30 = 30
    DAYS_60 = 60
    DAYS_90 = 90


@dataclass(frozen=True)
class NoteContent:
    """What a note says and whom it went to; `team_recipients`: {"name", "email"} of resource team members."""

    contact_date: date
    subject: str
    message: str
    category: NoteCategory
    send_as: SendAs
    task: str | None = None
    team_recipients: tuple[dict[str, str], ...] = ()
    to_customer: bool = False
    employment_id: str | None = None
    retention_period: RetentionPeriod | None = None

    def check(self, today: date) -> None:
        if self.contact_date > today:
            raise RuleViolation("contact_date", "cannot be in the future")
        sent_to_someone = bool(self.team_recipients) or self.to_customer
        if self.send_as is SendAs.SAVE_ONLY and sent_to_someone:
            raise RuleViolation("send_as", "a note saved only is sent to nobody: remove the recipients or choose how to send it")
        if self.send_as is not SendAs.SAVE_ONLY and not sent_to_someone:
            raise RuleViolation("team_recipients", "a note sent as a message needs a recipient: a team member or the customer")
        emails = [r["email"].casefold() for r in self.team_recipients]
        if len(set(emails)) != len(emails):
            raise RuleViolation("team_recipients", "lists the same email address twice")
        if (self.employment_id is None) != (self.retention_period is None):
            raise RuleViolation("retention_period", "a note is linked to a retention period with both employment_id and retention_period")


CONTENT_FIELDS = tuple(NoteContent.__dataclass_fields__)


@dataclass
class NoteVersion:
    """One version of a note's content as it was written."""

    number: int
    written_by: str
    written_at: datetime
    contact_date: date
    subject: str
    message: str
    category: NoteCategory
    send_as: SendAs
    task: str | None = None
    team_recipients: list[dict[str, str]] = field(default_factory=list)
    to_customer: bool = False
    employment_id: str | None = None
    retention_period: RetentionPeriod | None = None


@dataclass
class CaseNote:
    """The note's current content, its author and every version it went through."""

    id: str
    customer_id: str
    author: str
    created_at: datetime
    contact_date: date
    subject: str
    message: str
    category: NoteCategory
    send_as: SendAs
    task: str | None = None
    team_recipients: list[dict[str, str]] = field(default_factory=list)
    to_customer: bool = False
    employment_id: str | None = None
    retention_period: RetentionPeriod | None = None
    version: int = 1
    updated_by: str | None = None
    updated_at: datetime | None = None
    versions: list[NoteVersion] = field(default_factory=list)

    @classmethod
    def write(cls, note_id: str, customer_id: str, content: NoteContent, by: str, now: datetime) -> "CaseNote":
        content.check(now.date())
        note = cls(id=note_id, customer_id=customer_id, author=by, created_at=now, **_values(content))
        note.versions.append(NoteVersion(number=1, written_by=by, written_at=now, **_values(content)))
        return note

    @property
    def edited(self) -> bool:
        return self.version > 1

    def content(self) -> NoteContent:
        values = {name: getattr(self, name) for name in CONTENT_FIELDS}
        return NoteContent(**values | {"team_recipients": tuple(self.team_recipients)})

    def edit(self, content: NoteContent, expected_version: int, by: str, now: datetime) -> bool:
        """Rule: an edit keeps the previous version; returns False when nothing changed (no new version)."""
        if expected_version != self.version:
            raise Conflict("version", f"the note was changed by someone else (now version {self.version}, you sent {expected_version}); reload it")
        content.check(now.date())
        if content == self.content():
            return False
        for name, value in _values(content).items():
            setattr(self, name, value)
        self.version += 1
        self.updated_by, self.updated_at = by, now
        self.versions.append(NoteVersion(number=self.version, written_by=by, written_at=now, **_values(content)))
        return True


def _values(content: NoteContent) -> dict:
    values = {name: getattr(content, name) for name in CONTENT_FIELDS}
    return values | {"team_recipients": [dict(r) for r in content.team_recipients]}
