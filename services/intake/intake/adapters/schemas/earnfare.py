"""Bodies of the Earnfare benefit (answers are the Profile)."""

from datetime import date
from decimal import Decimal

from pydantic import Field

from isets_kit.http import RequestBody
from intake.adapters.schemas.common import Orm


class EarnfareBenefitIn(RequestBody):
    benefit_amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    effective_date: date


class BenefitChangeOut(Orm):
    amount: Decimal
    effective_date: date
    set_by: str
    monthly_benefit_hours: int
