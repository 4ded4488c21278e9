"""The Earnfare month sheet (DOMAIN.md §2; casemgmt owns it): Community Workfare hours, from verified CW
attendance, against the monthly benefit hours; Transitional Job hours, from verified TJ attendance,
against 35; total hours − SNAP work-off hours = stipend hours; × the state minimum wage = stipend issued.

Work-off hours are the CW hours up to the monthly benefit hours: CW hours beyond the benefit are worked
for the stipend like TJ hours. The sheet shows the subsidised days the customer has left this calendar
year (placements.SUBSIDISED_DAYS_PER_YEAR)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from casemgmt.domain.minimum_wage import minimum_wage_on
from casemgmt.domain.placements import SUBSIDISED_DAYS_PER_YEAR

CENTS = Decimal("0.01")
TRANSITIONAL_JOB_TARGET_HOURS = Decimal(35)


@dataclass(frozen=True)
class EarnfareMonthSheet:
    month: date  # its first day
    community_workfare_hours: Decimal
    community_workfare_target: int  # the monthly benefit hours
    transitional_job_hours: Decimal
    minimum_wage: Decimal
    subsidised_days_used: int  # in the month's calendar year
    transitional_job_target: Decimal = TRANSITIONAL_JOB_TARGET_HOURS

    @property
    def total_hours(self) -> Decimal:
        return self.community_workfare_hours + self.transitional_job_hours

    @property
    def work_off_hours(self) -> Decimal:
        return min(self.community_workfare_hours, Decimal(self.community_workfare_target))

    @property
    def stipend_hours(self) -> Decimal:
        return self.total_hours - self.work_off_hours

    @property
    def stipend_issued(self) -> Decimal:
        return (self.stipend_hours * self.minimum_wage).quantize(CENTS, ROUND_HALF_UP)

    @property
    def subsidised_days_remaining(self) -> int:
        return max(0, SUBSIDISED_DAYS_PER_YEAR - self.subsidised_days_used)

    @property
    def subsidised_limit_reached(self) -> bool:
        return self.subsidised_days_used >= SUBSIDISED_DAYS_PER_YEAR


def month_sheet(
    year: int,
    month: int,
    community_workfare_hours: Decimal,
    transitional_job_hours: Decimal,
    monthly_benefit_hours: int,
    subsidised_days_used: int,
) -> EarnfareMonthSheet:
    first_day = date(year, month, 1)
    return EarnfareMonthSheet(
        month=first_day,
        community_workfare_hours=community_workfare_hours,
        community_workfare_target=monthly_benefit_hours,
        transitional_job_hours=transitional_job_hours,
        minimum_wage=minimum_wage_on(first_day, "month"),
        subsidised_days_used=subsidised_days_used,
    )
