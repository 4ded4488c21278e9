"""JWT verification used by every service (the gateway issues the tokens)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from isets_contracts import Actor
from isets_contracts.reference import LOCATION_SCOPED_ROLES, Role
from isets_kit import context

ALGORITHM = "HS256"
_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: Role
    name: str = ""
    locations: frozenset[str] = field(default_factory=frozenset)
    customer_id: str | None = None

    @property
    def location_scoped(self) -> bool:
        return self.role in LOCATION_SCOPED_ROLES

    def as_actor(self) -> Actor:
        return Actor(user_id=self.user_id, role=self.role.value)


def issue_token(principal: Principal, secret: str, ttl: timedelta = timedelta(hours=8)) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": principal.user_id,
        "role": principal.role.value,
        "name": principal.name,
        "locations": sorted(principal.locations),
        "customer_id": principal.customer_id,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, secret: str) -> Principal:
    claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "role", "exp"]})
    return Principal(
        user_id=claims["sub"],
        role=Role(claims["role"]),
        name=claims.get("name", ""),
        locations=frozenset(claims.get("locations") or ()),
        customer_id=claims.get("customer_id"),
    )


async def current_principal(  # async: the actor it sets must reach the endpoint's context
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    try:
        principal = verify_token(credentials.credentials, request.app.state.settings.jwt_secret)
    except (jwt.PyJWTError, ValueError) as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, f"invalid token: {error}", {"WWW-Authenticate": "Bearer"}
        ) from None
    context.actor.set(principal.as_actor())
    return principal


def require_roles(*roles: Role):
    allowed = frozenset(roles)

    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"role {principal.role.value} may not do this; allowed: {sorted(allowed)}"
            )
        return principal

    return dependency
