"""Request and response bodies of intake's HTTP API, one module per resource (as the routers)."""
