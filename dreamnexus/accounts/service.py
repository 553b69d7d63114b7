"""Account use cases: registration, sign-in, sessions, API tokens and roles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import ApiToken, Role, User, WebSession
from dreamnexus.accounts.passwords import check_password_policy, hash_password, needs_rehash, verify_password
from dreamnexus.db.base import utcnow
from dreamnexus.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from dreamnexus.events import Change, record_change
from dreamnexus.ratelimit import Limiter
from dreamnexus.tokens import digest, new_secret

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
TOKEN_PREFIX = "dnx_"  # noqa: S105 (a public marker, not a secret)
LOGIN_WINDOW_S = 3600


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 320 or not EMAIL.match(email):
        raise InvalidInput("Enter a valid e-mail address.", errors=[{"field": "email"}])
    return email


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"Unknown role {role!r}; choose one of {allowed}.") from None


def register(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str | None = None,
    role: str = "dreamer",
    joined: datetime | None = None,
) -> User:
    """A new account; `joined` backdates it (demo and imported accounts carry their real history)."""
    email = normalise_email(email)
    name = (display_name or "").strip() or email.split("@", 1)[0]
    if len(name) > 80:
        raise InvalidInput(
            "The display name can have at most 80 characters.", errors=[{"field": "display_name"}]
        )
    role_value = parse_role(role).value
    check_password_policy(password, email=email, display_name=name)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with this e-mail address already exists.")
    user = User(email=email, display_name=name, password_hash=hash_password(password), role=role_value)
    if joined is not None:
        user.created_at = joined
    session.add(user)
    session.flush()
    record_change(session, Change("user.register", "user", user.public_id, user.id, {"role": role_value}))
    return user


@dataclass(frozen=True)
class LoginThrottle:
    limiter: Limiter
    per_account: int = 20
    per_ip: int = 100

    def check(self, email: str, ip: str) -> None:
        for key, limit in ((f"login:acct:{email}", self.per_account), (f"login:ip:{ip}", self.per_ip)):
            wait = self.limiter.peek(key, limit, LOGIN_WINDOW_S)
            if wait is not None:
                raise RateLimited(
                    "Too many failed sign-in attempts; try again later.", retry_after=int(wait) + 1
                )

    def failed(self, email: str, ip: str) -> None:
        self.limiter.hit(f"login:acct:{email}", self.per_account, LOGIN_WINDOW_S)
        self.limiter.hit(f"login:ip:{ip}", self.per_ip, LOGIN_WINDOW_S)


def authenticate(session: Session, *, email: str, password: str, ip: str, throttle: LoginThrottle) -> User:
    """Check credentials; the same error for an unknown e-mail and a wrong password."""
    try:
        email = normalise_email(email)
    except InvalidInput:
        email = (email or "").strip().lower()[:320]
    throttle.check(email, ip)
    user = session.scalar(select(User).where(User.email == email))
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.is_active:
        throttle.failed(email, ip)
        raise InvalidInput("The e-mail address or password is not right.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def digest_of(raw: str) -> str:
    return digest(raw)


def start_web_session(session: Session, user: User, *, days: int, user_agent: str = "") -> str:
    """A fresh random session id for every sign-in, so an id planted before sign-in is never promoted."""
    raw = new_secret()
    session.add(
        WebSession(
            token_hash=digest(raw),
            user_id=user.id,
            expires_at=utcnow() + timedelta(days=days),
            user_agent=user_agent[:200],
        )
    )
    record_change(session, Change("session.start", "user", user.public_id, user.id))
    return raw


def user_for_web_session(session: Session, raw: str) -> User | None:
    web_session = session.scalar(select(WebSession).where(WebSession.token_hash == digest(raw)))
    if web_session is None or web_session.expires_at < utcnow():
        return None
    user = session.get(User, web_session.user_id)
    return user if user is not None and user.is_active else None


def end_web_session(session: Session, raw: str) -> None:
    web_session = session.scalar(select(WebSession).where(WebSession.token_hash == digest(raw)))
    if web_session is not None:
        session.delete(web_session)


def create_api_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip() or "API token"
    if len(name) > 80:
        raise InvalidInput("The token name can have at most 80 characters.")
    raw = new_secret(TOKEN_PREFIX)
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(raw), prefix=raw[:10])
    session.add(token)
    session.flush()
    record_change(session, Change("token.create", "api_token", token.public_id, user.id, {"name": name}))
    return token, raw


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def revoke_api_token(session: Session, user: User, token_public_id: str) -> None:
    token = session.scalar(select(ApiToken).where(ApiToken.public_id == token_public_id))
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound("No such token.")
    token.revoked_at = utcnow()
    record_change(session, Change("token.revoke", "api_token", token.public_id, user.id))


def revoke_api_token_by_secret(session: Session, user: User, raw: str) -> None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or token.user_id != user.id:
        raise NotFound("No such token.")
    revoke_api_token(session, user, token.public_id)


# One query on every API request: the token's user, if the token stands and the account is active. Built
# once, because building and cache-keying the statement cost more than running it.
_TOKEN_STANDS = (
    ApiToken.token_hash == bindparam("token_hash"),
    ApiToken.revoked_at.is_(None),
    User.is_active.is_(True),
)
_USER_FOR_TOKEN = select(User).join(ApiToken, ApiToken.user_id == User.id).where(*_TOKEN_STANDS)
_USER_ID_FOR_TOKEN = select(User.id).join(ApiToken, ApiToken.user_id == User.id).where(*_TOKEN_STANDS)


def user_for_api_token(session: Session, raw: str) -> User | None:
    return session.scalar(_USER_FOR_TOKEN, {"token_hash": digest(raw)})


def user_id_for_api_token(connection: Connection, raw: str) -> int | None:
    """The same check as user_for_api_token, for a read that needs only whose data it is: no session and
    no User object, a third of the journal list's time in-process."""
    return connection.scalar(_USER_ID_FOR_TOKEN, {"token_hash": digest(raw)})


def get_user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"No account with the e-mail address {email}.")
    return user


def grant_role(session: Session, actor: User | None, *, email: str, role: str) -> User:
    """Set a user's role. `actor` None means the operator at the command line."""
    role_value = parse_role(role).value
    if actor is not None and not actor.has_role(Role.steward):
        raise PermissionDenied("Only stewards grant roles.")
    user = get_user_by_email(session, email)
    previous = user.role
    user.role = role_value
    if user.must_use_totp and not user.totp_enabled:
        # Tokens made before the promotion were made without a second factor.
        for token in list_api_tokens(session, user):
            token.revoked_at = utcnow()
    record_change(
        session,
        Change(
            "user.grant",
            "user",
            user.public_id,
            actor.id if actor else None,
            {"from": previous, "to": role_value},
        ),
    )
    return user


def list_users(session: Session, actor: User) -> list[User]:
    if not actor.has_role(Role.steward):
        raise PermissionDenied("Only stewards see the list of accounts.")
    return list(session.scalars(select(User).order_by(User.created_at)))
