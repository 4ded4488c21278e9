"""casemgmt's clock: the one place commands and reads take the time and today's date from."""

from datetime import UTC, date, datetime


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()
