"""Who may see a dream. The single rule that every read path calls, so none can leak a private dream."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.discovery.models import ExchangePair
from dreamnexus.errors import NotFound
from dreamnexus.journal.models import Dream, Visibility
from dreamnexus.moderation.models import ModerationCase
from dreamnexus.spaces.models import Contribution, Membership


def _not_hidden() -> ColumnElement[bool]:
    """Content a moderator (or the flag threshold, or screening) hid is seen by its owner only."""
    return ~exists().where(
        ModerationCase.target_type == "dream",
        ModerationCase.target_id == Dream.id,
        ModerationCase.hidden.is_(True),
    )


def visible_condition(viewer: User | None) -> ColumnElement[bool]:
    """A SQL condition true for the dreams `viewer` may read: own, public, shared with them in a space,
    or sent to them in a dream exchange (while its owner still consents to exchange)."""
    public = and_(Dream.visibility == Visibility.public.value, _not_hidden())
    if viewer is None:
        return public
    shared_with_viewer = and_(
        Dream.visibility == Visibility.spaces.value,
        exists().where(
            Contribution.dream_id == Dream.id,
            Contribution.withdrawn_at.is_(None),
            # An excerpt shares only its passage: members read it on the space page, not the whole dream.
            Contribution.excerpt.is_(None),
            ~exists().where(
                ModerationCase.target_type == "contribution",
                ModerationCase.target_id == Contribution.id,
                ModerationCase.hidden.is_(True),
            ),
            Membership.space_id == Contribution.space_id,
            Membership.user_id == viewer.id,
        ),
    )
    received_in_exchange = and_(
        Dream.consent_exchange.is_(True),
        or_(
            Dream.id.in_(select(ExchangePair.b_dream_id).where(ExchangePair.a_user_id == viewer.id)),
            Dream.id.in_(select(ExchangePair.a_dream_id).where(ExchangePair.b_user_id == viewer.id)),
        ),
    )
    return or_(Dream.owner_id == viewer.id, public, shared_with_viewer, received_in_exchange)


def can_view(session: Session, viewer: User | None, dream: Dream) -> bool:
    if viewer is not None and dream.owner_id == viewer.id:
        return True
    return session.scalar(select(Dream.id).where(Dream.id == dream.id, visible_condition(viewer))) is not None


def visible_dream(session: Session, viewer: User | None, public_id: str) -> Dream:
    """The dream if `viewer` may read it; NotFound otherwise, so existence is not revealed either."""
    dream = session.scalar(select(Dream).where(Dream.public_id == public_id, visible_condition(viewer)))
    if dream is None:
        raise NotFound("No such dream.")
    return dream


def read_dream(session: Session, viewer: User | None, public_id: str) -> Dream:
    """visible_dream for showing the dream to someone: a reading by anyone but its owner is counted in the
    owner's access log (a count per day and context, never who read it)."""
    from dreamnexus.mydata.access_log import note_access

    dream = visible_dream(session, viewer, public_id)
    if viewer is None or viewer.id != dream.owner_id:
        note_access(
            session,
            dream_id=dream.id,
            owner_id=dream.owner_id,
            kind="viewed",
            context=_reading_context(session, viewer, dream),
        )
    return dream


def _reading_context(session: Session, viewer: User | None, dream: Dream) -> str:
    if dream.visibility == Visibility.public.value:
        return "public"
    if viewer is not None and dream.visibility == Visibility.spaces.value:
        from dreamnexus.spaces.models import Space

        title = session.scalar(
            select(Space.title)
            .join(Contribution, Contribution.space_id == Space.id)
            .join(Membership, Membership.space_id == Space.id)
            .where(
                Contribution.dream_id == dream.id,
                Contribution.withdrawn_at.is_(None),
                Membership.user_id == viewer.id,
            )
            .limit(1)
        )
        if title:
            return f"space: {title}"
    return "exchange"


def author_label(dream: Dream, viewer: User | None) -> str:
    """The name shown beside a dream: 'you' for its owner, its pseudonym for everyone else."""
    if viewer is not None and dream.owner_id == viewer.id:
        return "you"
    return dream.pseudonym
