"""Request dependencies: the unit of work, who is asking, and the guards on writes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts.models import User
from dreamnexus.accounts.twofactor import needs_setup
from dreamnexus.errors import NotAuthenticated, PermissionDenied, RateLimited
from dreamnexus.moderation.trust import WRITES_PER_MINUTE as LEVEL_WRITES
from dreamnexus.moderation.trust import suspension_end
from dreamnexus.web.security import CSRF_HEADER, SESSION_COOKIE, check_csrf

WRITES_PER_MINUTE = 120
SETUP_PATHS = ("/account/2fa", "/signout")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What a suspended person can still reach: the decision, the appeal, signing out.
SUSPENDED_PATHS = ("/notices", "/api/v1/notices", "/api/v1/sanctions", "/signout", "/static")
REGISTRATIONS_PER_IP_HOUR = 20


def get_db(request: Request) -> Iterator[Session]:
    """The request's unit of work. Every route asks for it with scope="function", so that it commits
    before the response leaves: a client never sees success for a change that then fails to commit."""
    with request.app.state.db.session() as session:
        yield session


@dataclass(frozen=True)
class Viewer:
    """What pages show of the signed-in person, copied at sign-in time so that an error page can still
    show it after the request's transaction rolled back."""

    id: int
    public_id: str
    email: str
    display_name: str
    role: str
    totp_enabled: bool

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user.id, user.public_id, user.email, user.display_name, user.role, user.totp_enabled)


@dataclass(frozen=True)
class Auth:
    user: User | None
    via: str | None = None  # "cookie" | "token"
    session_token: str | None = None

    @property
    def restricted(self) -> bool:
        """A browser session of someone whose role requires 2FA, before they set it up."""
        return self.via == "cookie" and self.user is not None and needs_setup(self.user)


def bearer_token(request: Request) -> str | None:
    """The API token of an `Authorization: Bearer` header, if the request has one."""
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def get_auth(request: Request, db: Session = Depends(get_db, scope="function")) -> Auth:
    return authenticate(request, db)


def authenticate(request: Request, db: Session) -> Auth:
    """Who is asking, with the checks every route shares (suspension on changes, 2FA set-up first).
    A plain function so that a route that does all its work in one thread hop can call it directly."""
    cached = getattr(request.state, "auth", None)
    if cached is not None:
        return cached
    auth = Auth(None)
    if (token := bearer_token(request)) is not None:
        user = accounts.user_for_api_token(db, token)
        if user is None:
            raise NotAuthenticated("The API token is not valid or was revoked.")
        auth = Auth(user, "token")
    elif raw := request.cookies.get(SESSION_COOKIE):
        user = accounts.user_for_web_session(db, raw)
        if user is not None:
            auth = Auth(user, "cookie", raw)
    request.state.auth = auth
    request.state.viewer = Viewer.of(auth.user) if auth.user is not None else None
    if (
        auth.user is not None
        and request.method not in SAFE_METHODS
        and not request.url.path.startswith(SUSPENDED_PATHS)
    ):
        # Suspension stops every change; reading harms no one and costs no query on the hot read path.
        suspended, until = suspension_end(db, auth.user.id)
        if suspended:
            when = f" until {until:%Y-%m-%d %H:%M} UTC" if until else ""
            raise PermissionDenied(f"Your account is suspended{when}. Read why, and appeal, on /notices.")
    if auth.restricted and not request.url.path.startswith(SETUP_PATHS):
        raise PermissionDenied(
            "Your role requires two-factor authentication. Set it up first on /account/2fa."
        )
    return auth


def optional_user(auth: Auth = Depends(get_auth)) -> User | None:
    return auth.user


def require_user(auth: Auth = Depends(get_auth)) -> User:
    if auth.user is None:
        raise NotAuthenticated("Sign in, or send an API token as 'Authorization: Bearer <token>'.")
    return auth.user


# The set-up pages themselves; get_auth lets a restricted session reach only these.
require_signed_in = require_user


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limit_writes(request: Request, key: str) -> None:
    """Writes a minute by trust level: new and sanctioned accounts get less room (moderation/trust.py)."""
    per_minute = WRITES_PER_MINUTE
    auth = getattr(request.state, "auth", None)
    if auth is not None and auth.user is not None:
        standings = request.app.state.standings
        if (known := standings.cached(auth.user.id)) is None:
            with request.app.state.db.session() as session:
                known = standings.get(session, auth.user)
        per_minute = LEVEL_WRITES[known.level]
    wait = request.app.state.limiter.hit(f"writes:{key}", per_minute, 60)
    if wait is not None:
        raise RateLimited("Too many changes in a short time; slow down.", retry_after=int(wait) + 1)


def limit_registrations(request: Request) -> None:
    wait = request.app.state.limiter.hit(f"register:ip:{client_ip(request)}", REGISTRATIONS_PER_IP_HOUR, 3600)
    if wait is not None:
        raise RateLimited(
            "Too many accounts created from this address; try later.", retry_after=int(wait) + 1
        )


def limit_password_resets(request: Request, email: str) -> None:
    checks = [(f"reset:ip:{client_ip(request)}", 20)]
    if email:
        checks.append((f"reset:email:{email.strip().lower()[:320]}", 3))
    for key, limit in checks:
        wait = request.app.state.limiter.hit(key, limit, 3600)
        if wait is not None:
            raise RateLimited("Too many password reset requests; try again later.", retry_after=int(wait) + 1)


def api_write(request: Request, auth: Auth = Depends(get_auth)) -> User:
    """Guard for JSON writes: signed in, CSRF header when the cookie authenticates, rate-limited."""
    user = require_user(auth)
    if auth.via == "cookie":
        check_csrf(request, request.headers.get(CSRF_HEADER))
    limit_writes(request, f"user:{user.id}")
    return user
