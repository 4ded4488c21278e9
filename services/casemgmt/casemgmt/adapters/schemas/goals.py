"""Bodies of the plan's goals."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from isets_contracts.reference import GoalCategory, GoalStatus, GoalTerm
from isets_kit.http import RequestBody
from isets_kit.text import plain_text
from casemgmt.adapters.schemas.activities import ActivityOut
from casemgmt.domain.plan import GOAL_STATEMENT_MAX

Statement = plain_text(max_length=GOAL_STATEMENT_MAX)


class GoalIn(RequestBody):
    statement: Statement
    category: GoalCategory
    term: GoalTerm
    status: GoalStatus = GoalStatus.NOT_STARTED


class GoalChange(RequestBody):
    """Only the fields sent change; marking a goal Off Track asks the customer to agree again."""

    statement: Statement | None = None
    category: GoalCategory | None = None
    term: GoalTerm | None = None
    status: GoalStatus | None = None


class GoalOut(BaseModel):
    id: str
    statement: str
    category: GoalCategory
    term: GoalTerm
    status: GoalStatus
    enrolment_location: str | None = Field(None, description="set on the goal added when the customer enrolled there")
    updated_by: str
    updated_at: datetime


class GoalWithActivities(GoalOut):
    earliest_start: date | None
    latest_planned_due: date | None
    activities: list[ActivityOut]
