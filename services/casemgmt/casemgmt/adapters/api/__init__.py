"""casemgmt's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from casemgmt.adapters.api import employers, plans

routers = [plans.router, employers.router]
