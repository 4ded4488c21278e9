"""casemgmt's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from casemgmt.adapters.api import activities, agreement, assessments, case_notes, employers, goals, plans, providers

routers = [plans.router, goals.router, activities.router, agreement.router, case_notes.router, assessments.router]
routers += [providers.providers, providers.locations, providers.contracts, providers.recommendations]
routers += [employers.router]

# --- attendance and the month sheets ---------------------------------------------------------------
from casemgmt.adapters.api import attendance  # noqa: E402

routers += [attendance.plans, attendance.cohorts, attendance.abawd]
