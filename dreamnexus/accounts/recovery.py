"""Password reset and sign-in sessions: forgot, reset, list, revoke."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import PasswordReset, User, WebSession
from dreamnexus.accounts.passwords import check_password_policy, hash_password
from dreamnexus.accounts.service import normalise_email
from dreamnexus.db.base import utcnow
from dreamnexus.errors import InvalidInput, NotFound
from dreamnexus.events import Change, record_change
from dreamnexus.mail import queue_mail
from dreamnexus.tokens import digest, new_secret

RESET_MINUTES = 60


def request_reset(session: Session, email: str, base_url: str) -> None:
    """Queue a reset link if the account exists; the caller answers the same either way."""
    try:
        address = normalise_email(email)
    except InvalidInput:
        return
    user = session.scalar(select(User).where(User.email == address, User.is_active.is_(True)))
    if user is None:
        return
    raw = new_secret()
    session.add(
        PasswordReset(
            user_id=user.id, token_hash=digest(raw), expires_at=utcnow() + timedelta(minutes=RESET_MINUTES)
        )
    )
    queue_mail(
        session,
        recipient=user.email,
        subject="Reset your Dream Nexus password",
        body=(
            f"Someone asked to reset the password of your Dream Nexus account.\n\n"
            f"To choose a new password, open this link within {RESET_MINUTES} minutes:\n"
            f"{base_url}/password/reset/{raw}\n\n"
            "If it was not you, ignore this message: your password stays as it is."
        ),
        kind="password_reset",
    )
    record_change(session, Change("user.reset_requested", "user", user.public_id, None))


def _valid_reset(session: Session, raw: str) -> PasswordReset:
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest(raw or "")))
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
        raise NotFound("This reset link is not valid any more; ask for a new one.")
    return reset


def check_reset_token(session: Session, raw: str) -> None:
    _valid_reset(session, raw)


def reset_password(session: Session, raw: str, password: str) -> User:
    """Set a new password, spend the link, and sign the account out everywhere."""
    reset = _valid_reset(session, raw)
    user = session.get(User, reset.user_id)
    if user is None or not user.is_active:
        raise NotFound("This reset link is not valid any more; ask for a new one.")
    check_password_policy(password, email=user.email, display_name=user.display_name)
    user.password_hash = hash_password(password)
    reset.used_at = utcnow()
    session.execute(
        delete(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.id != reset.id)
    )
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    record_change(session, Change("user.password_reset", "user", user.public_id, user.id))
    return user


def list_sessions(session: Session, user: User) -> list[WebSession]:
    return list(
        session.scalars(
            select(WebSession)
            .where(WebSession.user_id == user.id, WebSession.expires_at > utcnow())
            .order_by(WebSession.created_at.desc())
        )
    )


def revoke_session(session: Session, user: User, session_public_id: str) -> None:
    row = session.scalar(select(WebSession).where(WebSession.public_id == session_public_id))
    if row is None or row.user_id != user.id:
        raise NotFound("No such session.")
    session.delete(row)
    record_change(session, Change("session.revoke", "user", user.public_id, user.id))


def revoke_other_sessions(session: Session, user: User, current_token: str | None) -> int:
    keep = digest(current_token) if current_token else ""
    result = session.execute(
        delete(WebSession).where(WebSession.user_id == user.id, WebSession.token_hash != keep)
    )
    record_change(session, Change("session.revoke_others", "user", user.public_id, user.id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
