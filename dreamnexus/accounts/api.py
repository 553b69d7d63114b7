"""Account routes under /api/v1: register, tokens, me, roles."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from dreamnexus.accounts import recovery, service, twofactor
from dreamnexus.accounts.models import User
from dreamnexus.errors import NotAuthenticated, PermissionDenied
from dreamnexus.mail import deliver_pending
from dreamnexus.web.deps import (
    Auth,
    api_write,
    client_ip,
    get_auth,
    get_db,
    limit_password_resets,
    limit_registrations,
    require_user,
)

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    display_name: str | None = Field(default=None, max_length=80)


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    name: str | None = Field(default=None, max_length=80)
    totp: str | None = Field(
        default=None, max_length=40, description="a code from the authenticator, or a recovery code"
    )


class UserOut(BaseModel):
    id: str
    email: str
    display_name: str
    role: str

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.public_id, email=user.email, display_name=user.display_name, role=user.role)


class TokenOut(BaseModel):
    token: str
    id: str
    name: str


class TokenInfo(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320)
    role: str = Field(max_length=20)


@router.post("/auth/register", status_code=201, response_model=UserOut, summary="Create an account")
def register(body: RegisterIn, request: Request, db: Session = Depends(get_db, scope="function")) -> UserOut:
    limit_registrations(request)
    user = service.register(db, email=body.email, password=body.password, display_name=body.display_name)
    return UserOut.of(user)


@router.post("/auth/token", status_code=201, response_model=TokenOut, summary="Sign in: get an API token")
def create_token(
    body: TokenIn, request: Request, db: Session = Depends(get_db, scope="function")
) -> TokenOut:
    user = service.authenticate(
        db,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
        throttle=request.app.state.throttle,
    )
    if user.totp_enabled:
        if not body.totp:
            raise NotAuthenticated("This account uses two-factor authentication: send the code as 'totp'.")
        twofactor.verify_second_factor(db, user, body.totp)
    elif twofactor.needs_setup(user):
        raise PermissionDenied(
            "Your role requires two-factor authentication; set it up on /account/2fa first."
        )
    token, raw = service.create_api_token(db, user, body.name or "API token")
    return TokenOut(token=raw, id=token.public_id, name=token.name)


@router.delete("/auth/token", status_code=204, summary="Sign out: revoke the token of this request")
def revoke_current_token(
    request: Request, auth: Auth = Depends(get_auth), db: Session = Depends(get_db, scope="function")
) -> Response:
    if auth.user is None or auth.via != "token":
        raise NotAuthenticated("Send the token to revoke as 'Authorization: Bearer <token>'.")
    service.revoke_api_token_by_secret(db, auth.user, request.headers["authorization"][7:].strip())
    return Response(status_code=204)


@router.get("/me", response_model=UserOut, summary="The signed-in account")
def me(user: User = Depends(require_user)) -> UserOut:
    return UserOut.of(user)


@router.get("/tokens", response_model=list[TokenInfo], summary="My API tokens")
def list_tokens(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> list[TokenInfo]:
    return [
        TokenInfo(
            id=t.public_id, name=t.name, prefix=t.prefix, created_at=t.created_at, last_used_at=t.last_used_at
        )
        for t in service.list_api_tokens(db, user)
    ]


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of my API tokens")
def revoke_token(
    token_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    service.revoke_api_token(db, user, token_id)
    return Response(status_code=204)


@router.get("/users", response_model=list[UserOut], summary="All accounts (stewards)")
def list_users(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> list[UserOut]:
    return [UserOut.of(u) for u in service.list_users(db, user)]


@router.post("/users/grant", response_model=UserOut, summary="Grant a role (stewards)")
def grant(
    body: GrantIn, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> UserOut:
    return UserOut.of(service.grant_role(db, user, email=body.email, role=body.role))


class ForgotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320)


class ResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200)
    password: str = Field(max_length=1024)


class SessionOut(BaseModel):
    id: str
    user_agent: str
    created_at: datetime
    expires_at: datetime
    current: bool


@router.post(
    "/auth/password/forgot",
    status_code=202,
    summary="E-mail a password reset link (same answer for any address)",
)
def forgot_password(
    body: ForgotIn,
    request: Request,
    background: BackgroundTasks,
    db: Session = Depends(get_db, scope="function"),
) -> dict[str, str]:
    limit_password_resets(request, body.email)
    recovery.request_reset(db, body.email, request.app.state.settings.base_url)
    background.add_task(deliver_pending, request.app.state.db, request.app.state.settings)
    return {"detail": "If an account has this address, a reset link is on its way."}


@router.post("/auth/password/reset", status_code=204, summary="Choose a new password with a reset token")
def reset_password(
    body: ResetIn, request: Request, db: Session = Depends(get_db, scope="function")
) -> Response:
    limit_password_resets(request, "")
    recovery.reset_password(db, body.token, body.password)
    return Response(status_code=204)


@router.get("/sessions", response_model=list[SessionOut], summary="My signed-in browsers")
def list_sessions(
    auth: Auth = Depends(get_auth), db: Session = Depends(get_db, scope="function")
) -> list[SessionOut]:
    user = require_user(auth)
    current = service.digest_of(auth.session_token) if auth.session_token else None
    return [
        SessionOut(
            id=s.public_id,
            user_agent=s.user_agent,
            created_at=s.created_at,
            expires_at=s.expires_at,
            current=s.token_hash == current,
        )
        for s in recovery.list_sessions(db, user)
    ]


@router.delete("/sessions/{session_id}", status_code=204, summary="Sign one of my browsers out")
def revoke_session(
    session_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    recovery.revoke_session(db, user, session_id)
    return Response(status_code=204)
