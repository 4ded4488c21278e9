"""Demo users, seeded on start when GATEWAY_SEED_DEMO_USERS is true (the default). Password for all: `demo-password`.

| username     | role             | locations |
|--------------|------------------|-----------|
| statewide    | statewide        | (all)     |
| provider.a   | provider_partner | LOC-A     |
| provider.b   | provider_partner | LOC-B     |
| manager.a    | provider_manager | LOC-A     |
| idhs.admin   | idhs_admin       | (none)    |
"""

from isets_contracts.reference import Role
from gateway.domain import User

DEMO_PASSWORD = "demo-password"

DEMO_USERS = (
    User("statewide", Role.STATEWIDE, "Statewide Staff"),
    User("provider.a", Role.PROVIDER_PARTNER, "Provider Partner A", frozenset({"LOC-A"})),
    User("provider.b", Role.PROVIDER_PARTNER, "Provider Partner B", frozenset({"LOC-B"})),
    User("manager.a", Role.PROVIDER_MANAGER, "Provider Manager A", frozenset({"LOC-A"})),
    User("idhs.admin", Role.IDHS_ADMIN, "IDHS Admin"),
)
