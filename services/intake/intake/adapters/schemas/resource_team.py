"""Bodies of the Integrated Resource Team contacts (answers are the Profile)."""

from datetime import datetime

from pydantic import Field

from isets_kit.http import RequestBody
from isets_kit.text import plain_text
from intake.adapters.schemas.common import Orm

ContactName = plain_text(max_length=200)
Email = plain_text(min_length=3, max_length=200)


class ResourceContactIn(RequestBody):
    name: ContactName
    email: Email = Field(description="one address; the same address (any case) is on the team at most once")


class ResourceContactOut(Orm):
    name: str
    email: str
    added_by: str
    added_at: datetime
