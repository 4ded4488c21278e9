"""intake's HTTP API, one router per resource; the wiring includes `routers` in this order."""

from intake.adapters.api import customers, earnfare, referrals, resource_team, status_section

routers = [customers.router, status_section.router, resource_team.router, earnfare.router, referrals.router]
