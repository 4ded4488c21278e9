"""The plan's goals and the customer's agreement to it (DOMAIN.md §4)."""

from dataclasses import dataclass
from datetime import date

from isets_contracts.reference import GoalCategory, GoalStatus, GoalTerm, PlanAgreement, Role
from isets_kit.errors import Conflict, DomainError, Forbidden, RuleViolation

GOAL_STATEMENT_MAX = 144
ENROLMENT_GOAL = "Complete the program"

SIGNED_COPY_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
SIGNED_COPY_MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Goal:
    id: str
    customer_id: str
    statement: str
    category: GoalCategory
    term: GoalTerm
    status: GoalStatus = GoalStatus.NOT_STARTED
    enrolment_location: str | None = None  # set on the goal added when the customer enrolled there


def enrolment_goal(goal_id: str, customer_id: str, location: str) -> Goal:
    return Goal(goal_id, customer_id, ENROLMENT_GOAL, GoalCategory.CAREER_PLAN, GoalTerm.LONG_TERM, enrolment_location=location)


def check_statement(statement: str) -> None:
    if not 1 <= len(statement) <= GOAL_STATEMENT_MAX:
        raise RuleViolation("statement", f"1 to {GOAL_STATEMENT_MAX} characters")


def needs_agreement(before: Goal | None, after: Goal) -> bool:
    """The customer must agree again when a goal is added or marked Off Track."""
    if before is None:
        return True
    return after.status is GoalStatus.OFF_TRACK and before.status is not GoalStatus.OFF_TRACK


def goal_dates(starts: list[date | None], dues: list[date | None]) -> tuple[date | None, date | None]:
    """A goal's earliest start and latest planned due, from its activities' dates."""
    return min((d for d in starts if d), default=None), max((d for d in dues if d), default=None)


def agreement_by(role: Role, wanted: PlanAgreement, current: PlanAgreement) -> PlanAgreement:
    """The agreement state after `role` records `wanted`: the customer agrees; staff record that the customer
    could not be reached (a signed copy goes through its own upload)."""
    if role is Role.CUSTOMER:
        if wanted is not PlanAgreement.AGREED:
            raise Forbidden("agreement", "a customer can only agree to their plan")
    elif wanted is not PlanAgreement.NOT_REACHED:
        raise RuleViolation("agreement", f"staff record only '{PlanAgreement.NOT_REACHED.value}' or upload a signed copy")
    if current is not PlanAgreement.PENDING:
        raise Conflict("agreement", f"the plan is not awaiting agreement (it is {current.value})")
    return wanted


class UnsupportedFileType(DomainError):
    status_code = 415


class FileTooLarge(DomainError):
    status_code = 413


def check_signed_copy(content_type: str, size: int) -> None:
    if content_type not in SIGNED_COPY_TYPES:
        raise UnsupportedFileType("file", "a signed copy is a PDF, PNG or JPEG file")
    if size > SIGNED_COPY_MAX_BYTES:
        raise FileTooLarge("file", f"a signed copy is at most {SIGNED_COPY_MAX_BYTES // (1024 * 1024)} MB")
    if size == 0:
        raise RuleViolation("file", "is empty")
