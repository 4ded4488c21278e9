"""casemgmt's handlers, one module per part of the plan; each handler is the one place its transaction
begins and ends. `EVENT_HANDLERS`: every consumed event's handler."""

from isets_contracts.events import EmploymentRecorded
from casemgmt.service_layer import activities, assessments, customers, month_sheets

EVENT_HANDLERS = {**customers.EVENT_HANDLERS, **activities.EVENT_HANDLERS, **assessments.EVENT_HANDLERS}


# --- attendance's month sheets ---------------------------------------------------------------------
async def on_employment_recorded(uow, envelopes) -> None:
    """Recorded employment becomes a plan activity and counts toward the customer's ABAWD hours."""
    await activities.on_employment_recorded(uow, envelopes)
    await month_sheets.record_employment(uow, envelopes)


EVENT_HANDLERS |= month_sheets.EVENT_HANDLERS | {EmploymentRecorded: on_employment_recorded}
