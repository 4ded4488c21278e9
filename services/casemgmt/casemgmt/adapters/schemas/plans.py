"""Bodies of the plan."""

from pydantic import BaseModel


class PlanOut(BaseModel):
    id: str
    individual_number: str
    first_name: str
    last_name: str
    locations: list[str]
