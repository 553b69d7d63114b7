"""Outgoing e-mail: written to the outbox table inside the change's transaction, delivered after it.

Backends: `console` (the default: prints each message to the server's standard output, for a machine
without mail), `smtp` (DREAMNEXUS_SMTP_URL), `outbox` (kept in the table for an external sender). A
message is never lost: undelivered ones stay in the outbox with their error and are retried.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import OutboxMessage
from dreamnexus.config import Settings
from dreamnexus.db.base import utcnow
from dreamnexus.db.engine import Database


def queue_mail(session: Session, *, recipient: str, subject: str, body: str, kind: str) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind)
    session.add(message)
    return message


def _send_smtp(settings: Settings, message: OutboxMessage) -> None:
    url = urlsplit(settings.smtp_url)
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = settings.mail_from, message.recipient, message.subject
    email.set_content(message.body)
    port = url.port or (465 if url.scheme == "smtps" else 587)
    context = ssl.create_default_context()
    if url.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            url.hostname or "localhost", port, context=context, timeout=20
        )
    else:
        client = smtplib.SMTP(url.hostname or "localhost", port, timeout=20)
        client.starttls(context=context)
    with client:
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(email)


def deliver_pending(database: Database, settings: Settings, limit: int = 50) -> int:
    """Send what is waiting in the outbox; return how many were delivered."""
    if settings.mail_backend == "outbox":
        return 0
    delivered = 0
    with database.session() as session:
        pending = list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
        )
        for message in pending:
            try:
                if settings.mail_backend == "smtp":
                    _send_smtp(settings, message)
                else:
                    sys.stdout.write(
                        f"\n--- e-mail to {message.recipient}: {message.subject}\n"
                        f"{message.body}\n--- end of e-mail\n"
                    )
                    sys.stdout.flush()
                message.sent_at = utcnow()
                message.error = None
                delivered += 1
            except (OSError, smtplib.SMTPException) as error:
                message.error = f"{type(error).__name__}: {error}"[:300]
    return delivered
