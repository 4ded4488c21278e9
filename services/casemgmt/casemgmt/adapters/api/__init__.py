"""casemgmt's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from casemgmt.adapters.api import activities, agreement, goals, plans

routers = [plans.router, goals.router, activities.router, agreement.router]
