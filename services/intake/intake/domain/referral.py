"""Referrals (DOMAIN.md §3): a parent record numbered 1, 2, … per customer; a child record n.1, n.2, … for
every send, resend and response. The parent shows the latest state; superseded children are Historical Reference."""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from isets_contracts.reference import Program
from isets_kit.errors import Conflict, RuleViolation


class Response(StrEnum):
    PENDING = "Pending"
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class Action(StrEnum):
    SENT = "Sent"
    RESENT = "Resent"
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


def record_number(number: int, sequence: int) -> str:
    """A child record's number as staff say it: referral 1, its second record: 1.2."""
    return f"{number}.{sequence}"


@dataclass
class ReferralRecord:
    sequence: int
    action: Action
    referred_to: str
    referred_from: str
    program: Program
    date_submitted: date
    response: Response
    form: dict
    submitted_by: str
    responded_by: str | None = None
    response_date: date | None = None
    snap_et_eligible: bool | None = None
    reason: str | None = None
    historical: bool = False


@dataclass
class Referral:
    number: int
    referred_to: str
    referred_from: str
    program: Program
    date_submitted: date
    response: Response = Response.PENDING
    responded_by: str | None = None
    response_date: date | None = None
    snap_et_eligible: bool | None = None
    version: int = 1
    records: list[ReferralRecord] = field(default_factory=list)

    def record_number(self, record: ReferralRecord) -> str:
        return record_number(self.number, record.sequence)

    @property
    def latest(self) -> ReferralRecord:
        return self.records[-1]

    def _add_record(self, action: Action, by: str, **response) -> ReferralRecord:
        for earlier in self.records:
            earlier.historical = True
        record = ReferralRecord(
            sequence=len(self.records) + 1,
            action=action,
            referred_to=self.referred_to,
            referred_from=self.referred_from,
            program=self.program,
            date_submitted=self.date_submitted,
            response=self.response,
            form={},
            submitted_by=by,
            **response,
        )
        self.records.append(record)
        self.version += 1
        return record

    def check_version(self, expected: int) -> None:
        """Two staff answering the same referral: the second is told instead of silently overwriting."""
        if expected != self.version:
            raise Conflict("version", f"referral {self.number} was changed by someone else (now version {self.version}, you sent {expected}); reload it")

    def send(self, by: str) -> ReferralRecord:
        return self._add_record(Action.SENT, by)

    def resend(self, by: str, on: date, expected_version: int) -> ReferralRecord:
        self.check_version(expected_version)
        if self.response is Response.ACCEPTED:
            raise RuleViolation("referral", f"referral {self.number} was accepted; it cannot be resent")
        self.response, self.responded_by, self.response_date = Response.PENDING, None, None
        self.date_submitted = on
        return self._add_record(Action.RESENT, by)

    def _respond(self, response: Response, by: str, on: date, expected_version: int, **details) -> ReferralRecord:
        self.check_version(expected_version)
        if self.response is not Response.PENDING:
            raise RuleViolation("referral", f"referral {self.number} is {self.response.value}, not Pending")
        self.response, self.responded_by, self.response_date = response, by, on
        action = Action.ACCEPTED if response is Response.ACCEPTED else Action.REJECTED
        return self._add_record(action, by, responded_by=by, response_date=on, **details)

    def accept(self, by: str, on: date, snap_et_eligible: bool, expected_version: int) -> ReferralRecord:
        record = self._respond(Response.ACCEPTED, by, on, expected_version, snap_et_eligible=snap_et_eligible)
        self.snap_et_eligible = snap_et_eligible
        return record

    def reject(self, by: str, on: date, reason: str, expected_version: int) -> ReferralRecord:
        if not reason.strip():
            raise RuleViolation("reason", "a rejected referral needs a reason")
        return self._respond(Response.REJECTED, by, on, expected_version, reason=reason.strip())


def check_referable(location: str, open_: bool | None) -> None:
    """Rule: a referral goes only to a provider location that exists (casemgmt announced it) and is open.
    `open_`: the location's open flag, None for a location intake has never heard of."""
    if open_ is None:
        raise RuleViolation("referred_to", f"no provider location {location}")
    if not open_:
        raise RuleViolation("referred_to", f"provider location {location} is closed to new referrals")
