"""casemgmt's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from casemgmt.adapters.api import (
    activities,
    agreement,
    assessments,
    attendance,
    case_notes,
    due_items,
    employers,
    goals,
    placements,
    plans,
    providers,
    reports,
)

routers = [plans.router, goals.router, activities.router, agreement.router, case_notes.router, assessments.router]
routers += [providers.providers, providers.locations, providers.contracts, providers.recommendations]
routers += [employers.router, placements.router, attendance.plans, attendance.cohorts, attendance.abawd]
routers += [due_items.router, reports.router]
