"""Who sees and changes which customer's plan: casemgmt's access policy, in one place.

Same rule as intake, from casemgmt's own read model of assignments: location-scoped staff see and
change only customers assigned to their locations (enrolled there, not exited); a customer sees only
their own plan; statewide staff and IDHS admins see all. A customer outside the caller's scope answers
404, never revealing that it exists. A customer enrolled at two providers has one plan: both read it
all, but each provider's staff change only the activities of their own locations. The Customer Services
Report may count and list, for a location, the customers it enrolled and has since exited (its
"enrolment status: exited" filter), though their plans are no longer open to it.
"""

from sqlalchemy import ColumnElement, Connection, Select, bindparam, exists, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from isets_contracts.reference import LOCATION_SCOPED_ROLES, Role
from isets_kit.auth import Principal
from isets_kit.errors import Forbidden, NotFound
from casemgmt.adapters.orm import assignments, customers
from casemgmt.domain.attendance import Actor

# Who may change a plan (within their scope).
EDITORS = frozenset({Role.STATEWIDE} | LOCATION_SCOPED_ROLES)


def in_scope(principal: Principal, customer_id: ColumnElement) -> ColumnElement[bool]:
    """A condition on `customer_id` (a column or value): the customer is in the caller's scope."""
    if principal.location_scoped:
        return exists().where(
            assignments.c.customer_id == customer_id,
            assignments.c.location.in_(principal.locations),
            assignments.c.exited_on.is_(None),
        )
    if principal.role == Role.CUSTOMER:
        return customer_id == principal.customer_id
    return true()


def _seen(principal: Principal, customer_id: str) -> Select:
    return select(customers.c.id).where(customers.c.id == customer_id, in_scope(principal, customers.c.id))


def _check_found(found: str | None, customer_id: str) -> None:
    if found is None:
        raise NotFound("customer_id", f"no customer {customer_id}")


async def check_customer_in_scope(session: AsyncSession, principal: Principal, customer_id: str) -> None:
    """404 for a customer casemgmt does not know or the caller may not see."""
    _check_found(await session.scalar(_seen(principal, customer_id)), customer_id)


def check_customer_seen(connection: Connection, principal: Principal, customer_id: str) -> None:
    """`check_customer_in_scope` in a read view."""
    _check_found(connection.scalar(_seen(principal, customer_id)), customer_id)


# The locations the customer is assigned to now, oldest enrolment first.
CUSTOMER_LOCATIONS = (
    select(assignments.c.location)
    .where(assignments.c.customer_id == bindparam("customer_id"), assignments.c.exited_on.is_(None))
    .order_by(assignments.c.enrollment_date, assignments.c.id)
)


async def customer_locations(session: AsyncSession, customer_id: str) -> list[str]:
    return list(await session.scalars(CUSTOMER_LOCATIONS, {"customer_id": customer_id}))


def locations_of(connection: Connection, customer_id: str) -> list[str]:
    """`customer_locations` in a read view."""
    return list(connection.scalars(CUSTOMER_LOCATIONS, {"customer_id": customer_id}))


def check_changes_at(principal: Principal, location: str, field: str = "activity_id") -> None:
    """Location-scoped staff change only what belongs to their own locations (an activity, its attendance)."""
    if principal.location_scoped and location not in principal.locations:
        raise Forbidden(field, f"this belongs to {location}: only its staff (or statewide staff) change it")


def check_staff(principal: Principal, what: str) -> None:
    if principal.role is Role.CUSTOMER:
        raise Forbidden("role", f"{what} is for staff")


def actor(principal: Principal) -> Actor:
    """The caller as the attendance and placement rules see them: staff may verify, a customer may not."""
    return Actor(principal.user_id, staff=principal.role is not Role.CUSTOMER)


def check_role(principal: Principal, roles: frozenset[Role]) -> None:
    if principal.role not in roles:
        allowed = " or ".join(sorted(role.value for role in roles))
        raise Forbidden("role", f"{principal.role.value} may not change this; allowed: {allowed}")
