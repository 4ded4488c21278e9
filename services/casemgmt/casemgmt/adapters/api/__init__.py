"""casemgmt's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from casemgmt.adapters.api import activities, agreement, assessments, case_notes, employers, goals, plans, providers
from casemgmt.adapters.api import due_items, placements
from casemgmt.adapters.api import reports

routers = [plans.router, goals.router, activities.router, agreement.router, case_notes.router, assessments.router]
routers += [providers.providers, providers.locations, providers.contracts, providers.recommendations]
routers += [employers.router]
routers += [placements.router, due_items.router]
routers += [reports.router]
