"""Bearer tokens: every service verifies them (signature, expiry, issuer, audience); the gateway signs them.

Tokens are signed with an asymmetric key (EdDSA, or RS256 with an RSA key); services hold only public
keys, so no service can mint a token. An OIDC provider can replace the gateway as issuer by configuration
(ISETS_JWT_JWKS_URL, ISETS_JWT_ISSUER, ISETS_JWT_AUDIENCE).
"""

import asyncio
import base64
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jwt.algorithms import get_default_algorithms

from isets_contracts import Actor
from isets_contracts.reference import LOCATION_SCOPED_ROLES, Role
from isets_kit import context
from isets_kit.settings import ServiceSettings

REQUIRED_CLAIMS = ["sub", "role", "exp", "iss", "aud"]
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


class TokenRefused(Exception):
    """The token is not acceptable; the message is what the caller may be told."""


class KeysUnavailable(Exception):
    """The issuer's keys could not be fetched: the token may be fine, this service cannot tell now."""


def _thumbprint(jwk: dict) -> str:
    """RFC 7638 key id: SHA-256 of the key's required members, in order, without spaces."""
    required = {"OKP": ("crv", "kty", "x"), "RSA": ("e", "kty", "n")}[jwk["kty"]]
    canonical = json.dumps({name: jwk[name] for name in required}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def public_jwk(public_key) -> dict:
    """A public key (Ed25519 → EdDSA, RSA → RS256) as a JWK, its RFC 7638 thumbprint as key id."""
    algorithm = "EdDSA" if isinstance(public_key, Ed25519PublicKey) else "RS256"
    jwk = get_default_algorithms()[algorithm].to_jwk(public_key, as_dict=True)
    return jwk | {"kid": _thumbprint(jwk), "use": "sig", "alg": algorithm}


class TokenSigner:
    """Signs tokens with a private key (PEM: Ed25519 → EdDSA, RSA → RS256) and publishes its public half,
    with the retired public keys whose tokens may still be valid after a key rotation."""

    def __init__(
        self,
        private_key_pem: str,
        issuer: str,
        audience: str,
        ttl: timedelta = timedelta(hours=8),
        retired_public_keys_pem: Sequence[str] = (),
    ):
        self._key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
        self.public_jwk = public_jwk(self._key.public_key())
        self.algorithm = self.public_jwk["alg"]
        self.issuer, self.audience, self.ttl = issuer, audience, ttl
        self.retired_jwks = [
            public_jwk(serialization.load_pem_public_key(pem.encode())) for pem in retired_public_keys_pem
        ]

    @property
    def public_key_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def jwks(self) -> dict:
        return {"keys": [self.public_jwk, *self.retired_jwks]}

    def issue(self, principal: Principal, ttl: timedelta | None = None) -> str:
        now = datetime.now(UTC)
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": principal.user_id,
            "role": principal.role.value,
            "name": principal.name,
            "locations": sorted(principal.locations),
            "customer_id": principal.customer_id,
            "iat": now,
            "exp": now + (ttl if ttl is not None else self.ttl),
        }
        return jwt.encode(claims, self._key, algorithm=self.algorithm, headers={"kid": self.public_jwk["kid"]})


class TokenVerifier:
    """Checks tokens against the issuer's JWKS (cached; fetched again for an unknown key id) or against
    configured public keys (picked by the token's key id).

    A token that checked out is kept for a few seconds (never past its expiry), so a caseworker's
    burst of requests costs one signature check, not one each. Kept by the whole token: the same
    signature under a changed header or payload does not match."""

    KEPT_SECONDS = 30
    KEPT_TOKENS = 2000

    def __init__(
        self,
        issuer: str,
        audience: str,
        algorithms: list[str],
        jwks_url: str | None = None,
        public_keys_pem: Sequence[str] = (),
    ):
        self.issuer, self.audience, self.algorithms = issuer, audience, algorithms
        self._jwks = jwt.PyJWKClient(jwks_url, lifespan=300, timeout=5) if jwks_url else None
        keys = [serialization.load_pem_public_key(pem.encode()) for pem in public_keys_pem]
        self._keys = {public_jwk(key)["kid"]: key for key in keys}
        self._verified: dict[str, tuple[float, Principal]] = {}  # token → (kept until, epoch seconds; principal)

    async def _key_of(self, token: str):
        if self._jwks is not None:  # the JWKS client blocks on the network when it fetches
            return (await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)).key
        kid = jwt.get_unverified_header(token).get("kid")
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        if kid not in self._keys:
            raise TokenRefused("invalid token")
        return self._keys[kid]

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> "TokenVerifier":
        return cls(
            settings.jwt_issuer,
            settings.jwt_audience,
            settings.jwt_algorithms,
            settings.jwt_jwks_url,
            [settings.jwt_public_key.get_secret_value()],
        )

    async def verify(self, token: str) -> Principal:
        kept = self._verified.get(token)
        if kept is not None and kept[0] > time.time():
            return kept[1]
        principal, expires_at = await self._check(token)
        if len(self._verified) >= self.KEPT_TOKENS:
            del self._verified[next(iter(self._verified))]  # the oldest
        self._verified[token] = (min(time.time() + self.KEPT_SECONDS, expires_at), principal)
        return principal

    async def _check(self, token: str) -> tuple[Principal, float]:
        try:
            key = await self._key_of(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=self.algorithms,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
            )
            principal = Principal(
                user_id=claims["sub"],
                role=Role(claims["role"]),
                name=claims.get("name") or "",
                locations=frozenset(claims.get("locations") or ()),
                customer_id=claims.get("customer_id"),
            )
            return principal, float(claims["exp"])
        except jwt.PyJWKClientConnectionError as error:
            raise KeysUnavailable() from error
        except jwt.ExpiredSignatureError:
            raise TokenRefused("token expired") from None
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            raise TokenRefused("invalid token") from None


def token_verifier(request: Request) -> TokenVerifier:
    state = request.app.state
    if getattr(state, "token_verifier", None) is None:  # the gateway sets its own; services build one from settings
        state.token_verifier = TokenVerifier.from_settings(state.settings)
    return state.token_verifier


async def current_principal(  # async: the actor it sets must reach the endpoint's context
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
) -> Principal:
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", challenge)
    try:
        principal = await token_verifier(request).verify(credentials.credentials)
    except TokenRefused as refused:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(refused), challenge) from None
    except KeysUnavailable:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "cannot check tokens now; retry later") from None
    context.actor.set(principal.as_actor())
    return principal


ROLE_NAMES = {Role.IDHS_ADMIN: "IDHS admin", Role.STATEWIDE: "statewide staff"}  # the rest: their value in words


def role_names(roles) -> str:
    """Roles as plain words for people, e.g. "IDHS admin, statewide staff"."""
    return ", ".join(sorted(ROLE_NAMES.get(role, role.value.replace("_", " ")) for role in roles))


def require_roles(*roles: Role):
    allowed = frozenset(roles)

    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"a {role_names([principal.role])} may not do this; allowed: {role_names(allowed)}",
            )
        return principal

    return dependency
