"""Reads shaped for the screens, one module per part of the plan. Each read is a plain function of a
connection, run by the runtime's read views (`reads`) in its own short read-only transaction; changes go
through the service layer."""
