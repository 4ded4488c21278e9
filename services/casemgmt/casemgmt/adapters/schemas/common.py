"""Types the request bodies of casemgmt share."""

from datetime import date
from typing import Annotated

from pydantic import Field

# The dates a plan can carry: wide enough for any program record, narrow enough that date arithmetic
# (weeks, follow-ups 270 days on, "due 30 days after") never leaves the calendar.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DATE_BOUNDS = {"ge": FIRST_DAY, "le": LAST_DAY}
Day = Annotated[date, Field(**DATE_BOUNDS)]
