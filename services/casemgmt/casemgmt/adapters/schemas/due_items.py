"""A caseworker's due item."""

from datetime import date

from pydantic import BaseModel, Field


class DueItem(BaseModel):
    kind: str = Field(description="placement follow-up, plan agreement, needs assessment, activity past planned completion, ...")
    customer_id: str
    customer_name: str
    what: str
    due_date: date
