"""Everything the platform holds about a person, its export, and the erasure of an account."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import ApiToken, OutboxMessage, PasswordReset, User, WebSession
from dreamnexus.accounts.passwords import verify_password
from dreamnexus.discovery.models import ExchangeOptIn, ExchangePair, ExchangeReply
from dreamnexus.errors import InvalidInput
from dreamnexus.events import Change, record_change
from dreamnexus.journal import service as journal
from dreamnexus.journal.transfer import export_record
from dreamnexus.mydata.access_log import access_log
from dreamnexus.spaces.models import Contribution, Membership, Space
from dreamnexus.spaces.weaves import erase_contributor, exclusions_for_contributor


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def collect(session: Session, user: User) -> dict[str, Any]:
    """A complete, JSON-ready account of what is held about `user` (secrets appear only as metadata)."""
    dreams = journal.dreams_since(session, user)
    contributions = session.execute(
        select(Contribution, Space)
        .join(Space, Space.id == Contribution.space_id)
        .where(Contribution.contributor_id == user.id)
    ).all()
    memberships = session.execute(
        select(Membership, Space)
        .join(Space, Space.id == Membership.space_id)
        .where(Membership.user_id == user.id)
    ).all()
    pairs = list(
        session.scalars(
            select(ExchangePair).where(
                or_(ExchangePair.a_user_id == user.id, ExchangePair.b_user_id == user.id)
            )
        )
    )
    return {
        "account": {
            "id": user.public_id,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role,
            "created_at": _iso(user.created_at),
        },
        "dreams": [
            export_record(d)
            | {"pseudonym": d.pseudonym, "analysis_status": d.analysis_status, "analysis": d.analysis}
            for d in dreams
        ],
        "consent_ledger": [
            {"dream_id": e.dream_public_id, "kind": e.kind, "value": e.value, "at": _iso(e.at)}
            for e in journal.consent_ledger(session, user)
        ],
        "spaces": [
            {"space": s.title, "space_id": s.public_id, "role": m.role, "joined_at": _iso(m.joined_at)}
            for m, s in memberships
        ],
        "contributions": [
            {
                "id": c.public_id,
                "space": s.title,
                "excerpt": c.excerpt,
                "content_warning": c.content_warning,
                "created_at": _iso(c.created_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c, s in contributions
        ],
        "exclusions": [
            {"contribution_id": c.public_id, "space": s.title, "reason": e.reason, "at": _iso(e.created_at)}
            for e, c, s in exclusions_for_contributor(session, user)
        ],
        "exchanges": [
            {
                "id": p.public_id,
                "quality": p.quality,
                "kind": p.kind,
                "my_replies": [
                    r.text
                    for r in session.scalars(
                        select(ExchangeReply).where(
                            ExchangeReply.pair_id == p.id, ExchangeReply.author_id == user.id
                        )
                    )
                ],
            }
            for p in pairs
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
        ],
        "sessions": [
            {"browser": s.user_agent, "created_at": _iso(s.created_at), "expires_at": _iso(s.expires_at)}
            for s in session.scalars(select(WebSession).where(WebSession.user_id == user.id))
        ],
        "emails_sent_to_me": [
            {
                "subject": m.subject,
                "kind": m.kind,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
            }
            for m in session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email))
        ],
        "access_log": [
            {
                "dream_id": next((d.public_id for d in dreams if d.id == a.dream_id), None),
                "kind": a.kind,
                "context": a.context,
                "day": _iso(a.day),
                "count": a.count,
            }
            for a in access_log(session, user.id)
        ],
    }


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "dream"


def _markdown(record: dict[str, Any]) -> str:
    tags = ", ".join(record["tags"]) or "none"
    consents = ", ".join(k for k, v in record["consents"].items() if v) or "none"
    return (
        f"# {record['title'] or 'Untitled dream'}\n\n"
        f"- dreamt on: {record['dreamt_on']}\n- language: {record['language']}\n- tags: {tags}\n"
        f"- lucid: {'yes' if record['lucid'] else 'no'}\n- mood: {record['mood']}\n"
        f"- visibility: {record['visibility']}\n- consents: {consents}\n\n{record['text']}\n"
    )


def export_zip(session: Session, user: User) -> bytes:
    """data.json (everything) plus one Markdown file per dream, readable without any software of ours."""
    data = collect(session, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
        for record in data["dreams"]:
            slug = _slug(record["title"] or record["text"][:40])
            archive.writestr(f"dreams/{record['dreamt_on']}-{slug}-{record['id']}.md", _markdown(record))
        archive.writestr(
            "README.txt",
            "Your Dream Nexus data.\n\ndata.json holds everything the platform keeps about you; "
            "dreams/ holds each dream as Markdown.\n",
        )
    record_change(session, Change("user.export", "user", user.public_id, user.id))
    return buffer.getvalue()


def _hand_over_spaces(session: Session, user: User) -> None:
    """Spaces this person created go to their longest-standing other member, made weaver; a space nobody
    else belongs to is deleted with the account (it holds no one else's contributions)."""
    for space in session.scalars(select(Space).where(Space.created_by == user.id)):
        heir = session.scalar(
            select(Membership)
            .where(Membership.space_id == space.id, Membership.user_id != user.id)
            .order_by((Membership.role == "weaver").desc(), Membership.joined_at, Membership.id)
            .limit(1)
        )
        if heir is None:
            session.delete(space)
            continue
        heir.role = "weaver"
        space.created_by = heir.user_id
        record_change(session, Change("space.hand_over", "space", space.public_id, user.id))
    session.flush()


def delete_account(session: Session, user: User, password: str) -> None:
    """Erase an account: its dreams (so weaves publish versions without them), contributions, exchanges,
    tokens and sessions. The audit chain keeps digests only."""
    if not verify_password(user.password_hash, password or ""):
        raise InvalidInput("The password is not right.", errors=[{"field": "password"}])
    _hand_over_spaces(session, user)
    erase_contributor(session, user)
    for dream in journal.dreams_since(session, user):
        journal.delete_dream(session, user, dream.public_id)
    for contribution in session.scalars(select(Contribution).where(Contribution.contributor_id == user.id)):
        session.delete(contribution)
    session.execute(delete(ExchangeOptIn).where(ExchangeOptIn.user_id == user.id))
    session.execute(delete(ExchangeReply).where(ExchangeReply.author_id == user.id))
    for model in (WebSession, ApiToken, PasswordReset):
        session.execute(delete(model).where(model.user_id == user.id))
    session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == user.email))
    record_change(session, Change("user.delete", "user", user.public_id, user.id))
    session.delete(user)
