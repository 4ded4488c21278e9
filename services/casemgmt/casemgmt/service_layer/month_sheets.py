"""The read models the Earnfare month sheet and the ABAWD tracker need: intake's Earnfare benefits (the
monthly benefit hours in effect from a date) and recorded employment (weekly hours, start and end)."""

from isets_contracts import Envelope
from isets_contracts.events import EarnfareBenefitChanged, EmploymentRecorded
from isets_kit.db import upsert
from isets_kit.unit_of_work import UnitOfWork
from casemgmt.adapters.orm import earnfare_benefits, employments


async def on_earnfare_benefit_changed(uow: UnitOfWork, envelopes: list[Envelope[EarnfareBenefitChanged]]) -> None:
    """The latest benefit of an effective date wins; a redelivered event changes nothing."""
    latest = {(e.data.customer_id, e.data.effective_date): e.data for e in envelopes}
    await upsert(
        uow.session,
        earnfare_benefits,
        [
            {
                "customer_id": b.customer_id, "effective_date": b.effective_date,
                "benefit_amount": b.benefit_amount, "monthly_benefit_hours": b.monthly_benefit_hours,
            }
            for b in latest.values()
        ],
        ["customer_id", "effective_date"],
    )


async def record_employment(uow: UnitOfWork, envelopes: list[Envelope[EmploymentRecorded]]) -> None:
    latest = {e.data.employment_id: e.data for e in envelopes}
    await upsert(
        uow.session,
        employments,
        [
            {
                "id": e.employment_id, "customer_id": e.customer_id, "weekly_hours": e.hours_per_week,
                "start_date": e.start_date, "end_date": e.end_date,
            }
            for e in latest.values()
        ],
        ["id"],
    )


EVENT_HANDLERS = {EarnfareBenefitChanged: on_earnfare_benefit_changed}
