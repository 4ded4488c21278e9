from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from isets_kit.auth import Principal, current_principal
from isets_kit.unit_of_work import utcnow
from gateway import domain, service_layer

router = APIRouter(prefix="/auth", tags=["auth"])
well_known = APIRouter(prefix="/.well-known", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int  # seconds


class Me(BaseModel):
    user_id: str
    role: str
    name: str
    locations: list[str]
    customer_id: str | None


@router.post(
    "/token",
    response_model=Token,
    summary="Sign in (OAuth2 password flow)",
    responses={401: {"description": "Incorrect user name or password"}, 429: {"description": "Too many failed sign-ins"}},
)
async def sign_in(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]):
    """Returns a bearer token carrying the user's role and locations, signed by the gateway; every service
    checks it against the gateway's public key (/.well-known/jwks.json). Failed sign-ins are throttled per
    user name and per client address (429 with Retry-After)."""
    domain.check_plain_text("username", form.username)
    domain.check_plain_text("password", form.password)
    state = request.app.state
    address = request.client.host if request.client else "unknown"
    if (wait := state.login_throttle.retry_after(form.username, address, utcnow())) is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"too many failed sign-ins; try again in {wait} seconds",
            {"Retry-After": str(wait)},
        )
    principal = await service_layer.authenticate(state.runtime.unit_of_work, state.passwords, form.username, form.password)
    if principal is None:
        state.login_throttle.failed(form.username, address, utcnow())
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "incorrect username or password", {"WWW-Authenticate": "Bearer"}
        )
    state.login_throttle.succeeded(form.username)
    signer = state.token_signer
    return Token(access_token=signer.issue(principal), expires_in=int(signer.ttl.total_seconds()))


@router.get("/me", response_model=Me, summary="Who the token says the caller is")
async def me(principal: Principal = Depends(current_principal)):
    return Me(
        user_id=principal.user_id,
        role=principal.role.value,
        name=principal.name,
        locations=sorted(principal.locations),
        customer_id=principal.customer_id,
    )


@well_known.get("/jwks.json", summary="The public keys that verify the gateway's tokens (JWKS)")
async def jwks(request: Request) -> dict:
    return request.app.state.token_signer.jwks()


@well_known.get("/openid-configuration", summary="Issuer metadata (OpenID Connect discovery subset)")
async def openid_configuration(request: Request) -> dict:
    base = str(request.base_url).rstrip("/")
    signer = request.app.state.token_signer
    return {
        "issuer": signer.issuer,
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "token_endpoint": f"{base}/auth/token",
        "grant_types_supported": ["password"],
        "token_endpoint_auth_methods_supported": ["none"],
        "id_token_signing_alg_values_supported": [signer.algorithm],
        "subject_types_supported": ["public"],
        "response_types_supported": ["token"],
    }
