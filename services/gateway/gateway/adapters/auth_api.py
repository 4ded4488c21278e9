from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from isets_kit.auth import Principal, current_principal, issue_token
from gateway import service_layer

router = APIRouter(prefix="/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"


class Me(BaseModel):
    user_id: str
    role: str
    name: str
    locations: list[str]
    customer_id: str | None


@router.post("/token", response_model=Token, summary="Sign in (OAuth2 password flow)")
async def sign_in(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]):
    """Returns a bearer token carrying the user's role and locations; every service checks it."""
    state = request.app.state
    principal = await service_layer.authenticate(
        state.runtime.unit_of_work, state.passwords, form.username, form.password
    )
    if principal is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "incorrect username or password", {"WWW-Authenticate": "Bearer"}
        )
    return Token(access_token=issue_token(principal, state.settings.jwt_secret))


@router.get("/me", response_model=Me, summary="Who the token says the caller is")
async def me(principal: Principal = Depends(current_principal)):
    return Me(
        user_id=principal.user_id,
        role=principal.role.value,
        name=principal.name,
        locations=sorted(principal.locations),
        customer_id=principal.customer_id,
    )
