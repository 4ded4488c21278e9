"""casemgmt's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from casemgmt.adapters.api import plans, providers

routers = [plans.router]
routers += [providers.providers, providers.locations, providers.contracts, providers.recommendations]
