"""Two-factor authentication: enrolment, verification with replay protection, recovery codes, and the
short-lived ticket that carries a password-verified sign-in to its second step."""

from __future__ import annotations

import secrets
import time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dreamnexus.accounts import totp
from dreamnexus.accounts.models import RecoveryCode, User
from dreamnexus.accounts.passwords import verify_password
from dreamnexus.db.base import utcnow
from dreamnexus.errors import Conflict, InvalidInput, PermissionDenied
from dreamnexus.events import Change, record_change
from dreamnexus.tokens import constant_time_equal, digest, sign

RECOVERY_CODES = 10
TICKET_S = 300


def needs_setup(user: User) -> bool:
    return user.must_use_totp and not user.totp_enabled


def begin_setup(session: Session, user: User) -> tuple[str, str]:
    """The secret to put in an authenticator app, and its otpauth:// URI."""
    if user.totp_enabled:
        raise Conflict("Two-factor authentication is already on.")
    if user.totp_pending_secret is None:
        user.totp_pending_secret = totp.new_secret()
    return user.totp_pending_secret, totp.provisioning_uri(user.totp_pending_secret, user.email)


def enable(session: Session, user: User, code: str) -> list[str]:
    """Turn 2FA on with a first code from the app; return the recovery codes (shown once)."""
    if user.totp_enabled:
        raise Conflict("Two-factor authentication is already on.")
    if user.totp_pending_secret is None:
        raise Conflict("Start the set-up first.")
    step = totp.matching_step(user.totp_pending_secret, code)
    if step is None:
        raise InvalidInput("That code is not right; check your device's clock and try the newest code.")
    user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    user.totp_enabled_at, user.totp_last_step = utcnow(), step
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.add_all(RecoveryCode(user_id=user.id, code_hash=digest(c)) for c in codes)
    record_change(session, Change("user.2fa_enable", "user", user.public_id, user.id))
    return codes


def disable(session: Session, user: User, password: str, code: str) -> None:
    if user.must_use_totp:
        raise PermissionDenied("Your role requires two-factor authentication.")
    if not verify_password(user.password_hash, password or ""):
        raise InvalidInput("The password is not right.")
    verify_second_factor(session, user, code)
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_change(session, Change("user.2fa_disable", "user", user.public_id, user.id))


def verify_second_factor(session: Session, user: User, code: str) -> None:
    """Accept a fresh TOTP code (never the same step twice) or an unused recovery code."""
    code = (code or "").strip()
    if user.totp_secret:
        step = totp.matching_step(user.totp_secret, code)
        if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
            user.totp_last_step = step
            return
    recovery = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(code.lower()),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is not None:
        recovery.used_at = utcnow()
        record_change(session, Change("user.recovery_code_used", "user", user.public_id, user.id))
        return
    raise InvalidInput("That code is not right.")


def remaining_recovery_codes(session: Session, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ).all()
    )


def issue_ticket(secret_key: str, user: User) -> str:
    expires = int(time.time()) + TICKET_S
    body = f"{user.public_id}.{expires}"
    return f"{body}.{sign(secret_key, 'mfa:' + body)}"


def read_ticket(secret_key: str, ticket: str | None) -> str | None:
    """The user public id a valid, unexpired ticket names; None otherwise."""
    if not ticket or ticket.count(".") != 2:
        return None
    public_id, expires, signature = ticket.split(".")
    body = f"{public_id}.{expires}"
    if not constant_time_equal(signature, sign(secret_key, "mfa:" + body)):
        return None
    if not expires.isdigit() or int(expires) < time.time():
        return None
    return public_id
