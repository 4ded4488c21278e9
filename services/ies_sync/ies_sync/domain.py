"""IES sync rules (DOMAIN.md §8): validate each extract row, decide new/changed/unchanged/stale.

Pure functions; no I/O. The extract is CSV with the columns in `COLUMNS`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from isets_contracts.events import IesPerson

ILLINOIS = ZoneInfo("America/Chicago")

COLUMNS = (
    "individual_number",
    "snap_case_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "ssn_last4",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip",
    "county",
    "dhs_office",
    "snap_eligibility_status",
    "redetermination_date",
    "midpoint_date",
    "as_of",
)
DATE_FIELDS = ("date_of_birth", "redetermination_date", "midpoint_date")
# Longest value kept per column (the tables use the same limits).
MAX_LENGTH = {
    "individual_number": 20, "snap_case_number": 40, "first_name": 100, "last_name": 100, "ssn_last4": 4,
    "email": 200, "phone": 40, "address_line1": 200, "address_line2": 200, "city": 100, "state": 2, "zip": 10,
    "county": 100, "dhs_office": 200,
}
# Every IES-mastered field; `as_of` is when IES knew it, not a field of the person.
PERSON_FIELDS = tuple(name for name in IesPerson.model_fields if name != "as_of")

_DIGITS = re.compile(r"\d+")
# Bytes that are not UTF-8 arrive as lone surrogates (the extract is decoded with errors="surrogateescape").
_UNDECODABLE = re.compile("[\udc80-\udcff]")
# Control characters other than tab; NUL among them, which PostgreSQL refuses in text.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
CONTROL_CHARACTER_RULE = "contains a control character (only tab is allowed)"


class RowRejected(ValueError):
    """A row that cannot be accepted; `reason` names the field and the rule."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def parse_date(column: str, value: str) -> date:
    try:
        if len(value) == 10 and value[4] == "-":
            return date.fromisoformat(value)
        return datetime.strptime(value, "%m/%d/%Y").date()
    except ValueError:
        pass
    raise RowRejected(f"{column}: is not a date (YYYY-MM-DD or MM/DD/YYYY)")  # never the value: a date of birth


def parse_as_of(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RowRejected(f"as_of: '{value}' is not an ISO timestamp") from None
    # IES stamps without an offset are Illinois local time.
    return moment if moment.tzinfo else moment.replace(tzinfo=ILLINOIS)


def is_plain_text(value: str) -> bool:
    """Text that can be stored and shown as it is: valid UTF-8, no control character but tab."""
    return not (_UNDECODABLE.search(value) or _CONTROL.search(value))


def parse_row(row: dict[str, str | None]) -> IesPerson:
    """Validate one extract row into an IES person or raise RowRejected with the first broken rule.
    A reason names the field and the rule, and quotes a value only once it is known to be plain text."""
    for column in COLUMNS:
        value = row.get(column)
        if value and _UNDECODABLE.search(value):
            raise RowRejected(f"{column}: is not valid UTF-8 text")
        if value and _CONTROL.search(value):
            raise RowRejected(f"{column}: {CONTROL_CHARACTER_RULE}")
    values = {key: (value or "").strip() or None for key, value in row.items() if key in COLUMNS}
    missing = [column for column in ("individual_number", "as_of") if not values.get(column)]
    if missing:
        raise RowRejected(f"{missing[0]}: is required")
    individual_number = values["individual_number"]
    if not _DIGITS.fullmatch(individual_number):
        raise RowRejected(f"individual_number: '{individual_number}' must be digits only")
    ssn = values.get("ssn_last4")
    if ssn is not None and not (_DIGITS.fullmatch(ssn) and len(ssn) == 4):
        raise RowRejected("ssn_last4: must be exactly the last 4 digits of the SSN (a full SSN is never accepted)")
    for column, value in values.items():
        if value is not None and column in MAX_LENGTH and len(value) > MAX_LENGTH[column]:
            raise RowRejected(f"{column}: at most {MAX_LENGTH[column]} characters")
    for column in DATE_FIELDS:
        if values.get(column):
            values[column] = parse_date(column, values[column])
    values["as_of"] = parse_as_of(values["as_of"])
    values["snap_eligibility"] = values.pop("snap_eligibility_status", None)
    try:
        return IesPerson.model_validate(values)
    except ValidationError as error:
        problem = error.errors()[0]
        column = ".".join(str(part) for part in problem["loc"]) or "row"
        if column == "snap_eligibility":
            column = "snap_eligibility_status"
        raise RowRejected(f"{column}: {problem['msg']}") from None


class Decision(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    STALE = "stale"


@dataclass(frozen=True)
class Comparison:
    decision: Decision
    changed_fields: tuple[str, ...] = ()

    newer_as_of: bool = True

    @property
    def stores(self) -> bool:
        """Whether the incoming version replaces the kept one (equal fields with a newer as-of too)."""
        return self.decision in (Decision.NEW, Decision.CHANGED) or (self.decision is Decision.UNCHANGED and self.newer_as_of)

    @property
    def publishes(self) -> bool:
        return self.decision in (Decision.NEW, Decision.CHANGED)


def compare(kept: IesPerson | None, incoming: IesPerson) -> Comparison:
    """Rule: keep the last accepted version per individual number; an older as-of never overwrites a newer one."""
    if kept is None:
        return Comparison(Decision.NEW, PERSON_FIELDS)
    if incoming.as_of < kept.as_of:
        return Comparison(Decision.STALE)
    changed = tuple(name for name in PERSON_FIELDS if getattr(kept, name) != getattr(incoming, name))
    if changed:
        return Comparison(Decision.CHANGED, changed)
    return Comparison(Decision.UNCHANGED, newer_as_of=incoming.as_of > kept.as_of)


@dataclass
class RunCounts:
    rows_read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    stale: int = 0
    rejected: int = 0
    quarantined: list[tuple[int, str | None, str]] = field(default_factory=list)

    def count(self, decision: Decision) -> None:
        setattr(self, decision.value, getattr(self, decision.value) + 1)

    def reject(self, row_number: int, individual_number: str | None, reason: str) -> None:
        self.rejected += 1
        self.quarantined.append((row_number, individual_number, reason))
