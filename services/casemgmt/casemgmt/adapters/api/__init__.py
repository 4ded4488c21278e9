"""casemgmt's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from casemgmt.adapters.api import assessments, case_notes, plans, providers

routers = [plans.router, case_notes.router, assessments.router]
routers += [providers.providers, providers.locations, providers.contracts, providers.recommendations]
