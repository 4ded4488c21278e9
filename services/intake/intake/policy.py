"""Who sees and changes which customer: intake's access policy, in one place.

Rule: location-scoped staff see and change only customers assigned to their locations (an open
enrollment). A location whose only link to a customer is a pending referral sees that referral, its
form and who the customer is, and may answer it: nothing else, and the customer is not in its lists. A
customer sees only themself; statewide staff and IDHS admins see all. A customer outside the caller's
scope answers 404, never revealing that it exists.
"""

from enum import Enum

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from isets_contracts.reference import LOCATION_SCOPED_ROLES, Role
from isets_kit.auth import Principal
from isets_kit.errors import Forbidden, NotFound
from intake.adapters.orm import customers, enrollments, referrals
from intake.domain.customer import Customer
from intake.domain.referral import Referral, Response

# Who may change a customer record (within their scope); IDHS admins only set Earnfare benefits.
EDITORS = frozenset({Role.STATEWIDE} | LOCATION_SCOPED_ROLES)
BENEFIT_SETTERS = frozenset({Role.IDHS_ADMIN})


class Access(Enum):
    WHOLE_RECORD = "whole record"
    PENDING_REFERRAL = "pending referral"


def visible_to(principal: Principal, query: Select, *, pending_referrals: bool = False) -> Select:
    """The query narrowed to the customers in the caller's scope; `pending_referrals` adds those with a
    referral awaiting the caller's locations' answer (to read or answer that referral only)."""
    if principal.location_scoped:
        scope = exists().where(
            enrollments.c.customer_id == customers.c.id,
            enrollments.c.location.in_(principal.locations),
            enrollments.c.exited_on.is_(None),
        )
        if pending_referrals:
            referred_here = exists().where(
                referrals.c.customer_id == customers.c.id,
                referrals.c.referred_to.in_(principal.locations),
                referrals.c.response == Response.PENDING.value,
            )
            scope = or_(scope, referred_here)
        return query.where(scope)
    if principal.role == Role.CUSTOMER:
        return query.where(customers.c.id == principal.customer_id)
    return query


async def customer_in_scope(
    session: AsyncSession, principal: Principal, customer_id: str, *, for_update: bool = False, pending_referrals: bool = False
) -> Customer:
    query = visible_to(principal, select(Customer).where(customers.c.id == customer_id), pending_referrals=pending_referrals)
    if for_update:
        query = query.with_for_update(of=customers)
    customer = await session.scalar(query)
    if customer is None:
        raise NotFound("customer_id", f"no customer {customer_id}")
    return customer


def access_to(principal: Principal, customer: Customer) -> Access:
    """Of a customer already found in scope (pending referrals included)."""
    return access_at(principal, customer.current_locations)


def access_at(principal: Principal, current_locations: list[str]) -> Access:
    """Of a customer already found in scope (pending referrals included), assigned to `current_locations`."""
    if principal.location_scoped and not set(current_locations) & set(principal.locations):
        return Access.PENDING_REFERRAL
    return Access.WHOLE_RECORD


def sees_referral(principal: Principal, access: Access, response: Response, referred_to: str) -> bool:
    """A location whose only link to the customer is a pending referral sees that referral alone."""
    return access is not Access.PENDING_REFERRAL or (response is Response.PENDING and referred_to in principal.locations)


def referrals_seen(principal: Principal, customer: Customer, access: Access) -> list[Referral]:
    return [r for r in customer.referrals if sees_referral(principal, access, r.response, r.referred_to)]


def referral_seen(principal: Principal, customer: Customer, number: int) -> Referral:
    """One referral the caller may see; another provider's, to a location with only a pending referral,
    answers 404 like a missing one."""
    referral = customer.referral(number)
    if referral not in referrals_seen(principal, customer, access_to(principal, customer)):
        raise NotFound("referral_number", f"no referral {number} for this customer")
    return referral


def check_role(principal: Principal, roles: frozenset[Role]) -> None:
    if principal.role not in roles:
        allowed = " or ".join(sorted(role.value for role in roles))
        raise Forbidden("role", f"{principal.role.value} may not change this; allowed: {allowed}")


def check_refers_from_own_location(principal: Principal, referred_from: str) -> None:
    if principal.location_scoped and referred_from not in principal.locations:
        raise Forbidden("referred_from", f"you refer from your own locations: {', '.join(sorted(principal.locations))}")


def check_resends(principal: Principal, referral: Referral) -> None:
    if principal.location_scoped and referral.referred_from not in principal.locations:
        raise Forbidden("referral", f"only staff of {referral.referred_from} (or statewide staff) resend it")


def check_answers(principal: Principal, referral: Referral) -> None:
    if principal.location_scoped and referral.referred_to not in principal.locations:
        raise Forbidden("referral", f"only staff of {referral.referred_to} (or statewide staff) answer this referral")
