"""Bodies of the plan: its header, and the overview of goals, activities, agreement and accomplishments."""

from datetime import datetime

from pydantic import BaseModel

from isets_contracts.reference import PlanAgreement
from casemgmt.adapters.schemas.activities import ActivityOut
from casemgmt.adapters.schemas.goals import GoalWithActivities


class PlanOut(BaseModel):
    id: str
    individual_number: str
    first_name: str
    last_name: str
    locations: list[str]


class Accomplishments(BaseModel):
    completed_goals: int
    completed_activities: int


class PlanOverview(PlanOut):
    agreement: PlanAgreement
    goals: list[GoalWithActivities]
    activities_without_goal: list[ActivityOut]
    accomplishments: Accomplishments


class UpdateLogEntry(BaseModel):
    at: datetime
    by: str
    what: str
