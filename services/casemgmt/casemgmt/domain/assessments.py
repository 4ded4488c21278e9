"""Assessments (DOMAIN.md §4): results of assessments taken, the staff's summaries of them (every change
kept), and the customer's desired career path. Plain Python; adapters/orm.py maps these classes.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from isets_contracts.events import AssessmentRecorded
from isets_contracts.reference import AssessmentType
from isets_kit.errors import Conflict, RuleViolation

CENTS = Decimal("0.01")
MAX_SCALE_SCORE = Decimal(1000)
HUNDRED_PERCENT = Decimal(100)
EMPLOYMENT_101 = frozenset({AssessmentType.EMPLOYMENT_101_PRE, AssessmentType.EMPLOYMENT_101_POST})
# Completed on a date, nothing more: intake takes these dates for the customer's profile.
UNIVERSAL = frozenset({AssessmentType.INITIAL_UNIVERSAL, AssessmentType.NEEDS})


class TabeSubject(StrEnum):
    READING = "Reading"
    MATH = "Math"
    LANGUAGE = "Language"


@dataclass
class AssessmentResult:
    """`score`: TABE scale score, Employment 101 percent, NOCTI score or an other assessment's score;
    `result`: what a Career Cluster Inventory (or an other assessment) found, in words."""

    id: str
    customer_id: str
    assessment: AssessmentType
    name: str
    taken_on: date
    recorded_by: str
    recorded_at: datetime
    subject: TabeSubject | None = None
    score: Decimal | None = None
    educational_functioning_level: int | None = None
    result: str | None = None

    @classmethod
    def record(
        cls,
        result_id: str,
        customer_id: str,
        assessment: AssessmentType,
        taken_on: date,
        by: str,
        now: datetime,
        *,
        name: str | None = None,
        subject: TabeSubject | None = None,
        score: Decimal | None = None,
        educational_functioning_level: int | None = None,
        result: str | None = None,
    ) -> "AssessmentResult":
        """Rule: each kind of assessment has the results it needs, and only those."""
        if taken_on > now.date():
            raise RuleViolation("taken_on", "cannot be in the future")
        given = {
            "name": name, "subject": subject, "score": score,
            "educational_functioning_level": educational_functioning_level, "result": result,
        }
        required, allowed = _RESULT_FIELDS[assessment]
        for name_ in required:
            if given[name_] is None:
                raise RuleViolation(name_, f"is required for {assessment.value}")
        for name_, value in given.items():
            if value is not None and name_ not in required | allowed:
                raise RuleViolation(name_, f"does not go with {assessment.value}")
        if score is not None:
            _check_score(assessment, score)
        if educational_functioning_level is not None and not 1 <= educational_functioning_level <= 6:
            raise RuleViolation("educational_functioning_level", "must be a level from 1 to 6")
        if assessment is AssessmentType.TABE:
            name = f"{assessment.value} {subject.value}"
        return cls(
            id=result_id, customer_id=customer_id, assessment=assessment, name=name or assessment.value, taken_on=taken_on,
            recorded_by=by, recorded_at=now, subject=subject, score=score,
            educational_functioning_level=educational_functioning_level, result=result,
        )

    def recorded(self) -> AssessmentRecorded:
        return AssessmentRecorded(
            customer_id=self.customer_id, assessment_id=self.id, assessment=self.assessment, name=self.name,
            taken_on=self.taken_on, subject=self.subject, score=self.score,
            educational_functioning_level=self.educational_functioning_level,
        )


_NONE: frozenset[str] = frozenset()
# (required, optional) result fields of each kind of assessment
_RESULT_FIELDS: dict[AssessmentType, tuple[frozenset[str], frozenset[str]]] = {
    AssessmentType.INITIAL_UNIVERSAL: (_NONE, _NONE),
    AssessmentType.NEEDS: (_NONE, _NONE),
    AssessmentType.TABE: (frozenset({"subject", "score", "educational_functioning_level"}), _NONE),
    AssessmentType.EMPLOYMENT_101_PRE: (frozenset({"score"}), _NONE),
    AssessmentType.EMPLOYMENT_101_POST: (frozenset({"score"}), _NONE),
    AssessmentType.CAREER_CLUSTER_INVENTORY: (frozenset({"result"}), _NONE),
    AssessmentType.NOCTI: (frozenset({"score"}), _NONE),
    AssessmentType.OTHER: (frozenset({"name"}), frozenset({"score", "result"})),
}


def _check_score(assessment: AssessmentType, score: Decimal) -> None:
    if score != score.quantize(CENTS):
        raise RuleViolation("score", "has at most 2 decimal places")
    top = HUNDRED_PERCENT if assessment in EMPLOYMENT_101 else MAX_SCALE_SCORE
    if not 0 <= score <= top:
        raise RuleViolation("score", f"must be from 0 to {top}" + (" percent" if top == HUNDRED_PERCENT else ""))


@dataclass
class SummaryVersion:
    """The staff's summary of the assessments, as one version: every change adds one."""

    customer_id: str
    number: int
    readiness: str
    employment: str
    support_services: str
    written_by: str
    written_at: datetime


def revise_summary(
    current: SummaryVersion | None, customer_id: str, texts: dict[str, str], expected_version: int, by: str, now: datetime
) -> SummaryVersion | None:
    """Rule: a summary is revised, never overwritten: the next version, or None when nothing changed.
    `expected_version`: the version the writer read (0 when there was none)."""
    version = current.number if current else 0
    if expected_version != version:
        raise Conflict("version", f"the summary was changed by someone else (now version {version}, you sent {expected_version}); reload it")
    if current is not None and all(getattr(current, name) == text for name, text in texts.items()):
        return None
    return SummaryVersion(customer_id=customer_id, number=version + 1, written_by=by, written_at=now, **texts)


@dataclass
class CareerPath:
    """The desired career path; `wage_goal`: dollars per hour."""

    customer_id: str
    updated_by: str
    updated_at: datetime
    pathway: str | None = None
    occupation_1: str | None = None
    occupation_2: str | None = None
    wage_goal: Decimal | None = None

    def change(
        self, pathway: str | None, occupation_1: str | None, occupation_2: str | None, wage_goal: Decimal | None, by: str, now: datetime
    ) -> None:
        """Rule: the wage goal is dollars per hour, 0 or more, in cents."""
        if wage_goal is not None and (wage_goal < 0 or wage_goal != wage_goal.quantize(CENTS)):
            raise RuleViolation("wage_goal", "is dollars per hour: 0 or more, at most 2 decimal places")
        self.pathway, self.occupation_1, self.occupation_2, self.wage_goal = pathway, occupation_1, occupation_2, wage_goal
        self.updated_by, self.updated_at = by, now
