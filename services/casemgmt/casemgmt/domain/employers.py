"""Employers, their worksites and the jobs offered there (DOMAIN.md §4 "Worksite placements"): registered
before a customer can be placed. A job's openings filled come from its placements (none yet)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from isets_kit.errors import RuleViolation


@dataclass
class Employer:
    name: str
    contact_name: str
    registered_at: datetime
    registered_by: str
    fein: str | None = None  # federal employer identification number, NN-NNNNNNN
    contact_phone: str | None = None
    contact_email: str | None = None
    id: int | None = None


@dataclass
class Worksite:
    employer_id: int
    name: str
    street: str
    city: str
    state: str
    zip_code: str
    county: str
    registered_at: datetime
    registered_by: str
    id: int | None = None


@dataclass
class Job:
    worksite_id: int
    title: str
    openings: int
    registered_at: datetime
    registered_by: str
    hourly_wage: Decimal | None = None  # what a placement's hourly wage starts from
    id: int | None = None

    def __post_init__(self) -> None:
        if self.openings < 1:
            raise RuleViolation("openings", "a job has at least one opening")
        if self.hourly_wage is not None and self.hourly_wage <= 0:
            raise RuleViolation("hourly_wage", "the hourly wage must be more than 0")
