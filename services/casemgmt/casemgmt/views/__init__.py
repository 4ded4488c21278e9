"""Reads shaped for the screens, one module per part of the plan. Each read runs in its own short
read-only transaction (the runtime's read sessions); changes go through the service layer."""
