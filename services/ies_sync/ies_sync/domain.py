"""IES sync rules (DOMAIN.md §8): validate each extract row, decide new/changed/unchanged/stale.

Pure functions; no I/O. The extract is CSV with the columns in `COLUMNS`.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from operator import itemgetter
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from isets_contracts.events import IesPerson
from isets_contracts.reference import SnapEligibility

ILLINOIS = ZoneInfo("America/Chicago")
# Changed whenever a rule of `parse_values` changes: an extract line identical to one a kept version was read
# from is known valid only under the rules it was read with (the import then reads every line once again).
VALIDATION_RULES = "2026-11-26"

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
# A person's values in the order of the extract's columns (`snap_eligibility_status` is `snap_eligibility`).
PERSON_COLUMNS = tuple(IesPerson.model_fields)
_AS_OF, _SSN, _ELIGIBILITY = COLUMNS.index("as_of"), COLUMNS.index("ssn_last4"), COLUMNS.index("snap_eligibility_status")
_LIMITS = tuple((COLUMNS.index(column), limit) for column, limit in MAX_LENGTH.items())
_DATES = tuple(COLUMNS.index(column) for column in DATE_FIELDS)
_required_values = itemgetter(*(
    COLUMNS.index(column) for column, name in zip(COLUMNS, PERSON_COLUMNS, strict=True)
    if IesPerson.model_fields[name].is_required()
))
_ELIGIBILITIES = {status.value: status for status in SnapEligibility}

_DIGITS = re.compile(r"\d+")
# Bytes that are not UTF-8 arrive as lone surrogates (the extract is decoded with errors="surrogateescape").
_UNDECODABLE = re.compile("[\udc80-\udcff]")
# Control characters other than tab; NUL among them, which PostgreSQL refuses in text.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_UNDECODABLE_OR_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\udc80-\udcff]")
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


def parse_values(values: Sequence[str | None]) -> tuple:
    """Validate one extract row (its values in `COLUMNS` order) into a person's values in `PERSON_COLUMNS`
    order, or raise RowRejected with the first broken rule. A reason names the field and the rule, and
    quotes a value only once it is known to be plain text. Plain Python: it runs for every row of an extract."""
    if _UNDECODABLE_OR_CONTROL.search("".join(filter(None, values))):
        for column, value in zip(COLUMNS, values, strict=True):
            if value and _UNDECODABLE.search(value):
                raise RowRejected(f"{column}: is not valid UTF-8 text")
            if value and _CONTROL.search(value):
                raise RowRejected(f"{column}: {CONTROL_CHARACTER_RULE}")
    cleaned = [(value or "").strip() or None for value in values]
    individual_number, as_of = cleaned[0], cleaned[_AS_OF]
    if not individual_number:
        raise RowRejected("individual_number: is required")
    if not as_of:
        raise RowRejected("as_of: is required")
    if not _DIGITS.fullmatch(individual_number):
        raise RowRejected(f"individual_number: '{individual_number}' must be digits only")
    ssn = cleaned[_SSN]
    if ssn is not None and not (len(ssn) == 4 and _DIGITS.fullmatch(ssn)):
        raise RowRejected("ssn_last4: must be exactly the last 4 digits of the SSN (a full SSN is never accepted)")
    for index, limit in _LIMITS:
        value = cleaned[index]
        if value is not None and len(value) > limit:
            raise RowRejected(f"{COLUMNS[index]}: at most {limit} characters")
    for index in _DATES:
        if cleaned[index]:
            cleaned[index] = parse_date(COLUMNS[index], cleaned[index])
    cleaned[_AS_OF] = parse_as_of(as_of)
    eligibility = _ELIGIBILITIES.get(cleaned[_ELIGIBILITY])
    if eligibility is None or None in _required_values(cleaned):
        _refuse_as_the_contract_does(cleaned)
    cleaned[_ELIGIBILITY] = eligibility
    return tuple(cleaned)


def _refuse_as_the_contract_does(cleaned: list) -> None:
    """The contract's own wording for a missing required value or an unknown eligibility status."""
    try:
        IesPerson.model_validate(dict(zip(PERSON_COLUMNS, cleaned, strict=True)))
    except ValidationError as error:
        problem = error.errors()[0]
        column = ".".join(str(part) for part in problem["loc"]) or "row"
        if column == "snap_eligibility":
            column = "snap_eligibility_status"
        raise RowRejected(f"{column}: {problem['msg']}") from None


def parse_row(row: dict[str, str | None]) -> IesPerson:
    """One row given by column name (a single update) as an IES person, or RowRejected."""
    values = parse_values([row.get(column) for column in COLUMNS])
    return IesPerson.model_construct(**dict(zip(PERSON_COLUMNS, values, strict=True)))


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


def decide(kept: bool, as_of_order: int, changed_fields: tuple[str, ...]) -> Comparison:
    """Rule: keep the last accepted version per individual number; an older as-of never overwrites a newer one.

    `kept`: a version is kept; `as_of_order`: the incoming as-of against the kept one (-1 older, 0 same,
    1 newer); `changed_fields`: the fields whose values differ from the kept version's."""
    if not kept:
        return Comparison(Decision.NEW, PERSON_FIELDS)
    if as_of_order < 0:
        return Comparison(Decision.STALE)
    if changed_fields:
        return Comparison(Decision.CHANGED, changed_fields)
    return Comparison(Decision.UNCHANGED, newer_as_of=as_of_order > 0)


@dataclass
class RunCounts:
    rows_read: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    stale: int = 0
    rejected: int = 0

    def count(self, decision: Decision) -> None:
        setattr(self, decision.value, getattr(self, decision.value) + 1)
