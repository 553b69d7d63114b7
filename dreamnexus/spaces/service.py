"""Space use cases: create, join, invite, contribute, withdraw, list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import Role, User
from dreamnexus.db.base import utcnow
from dreamnexus.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dreamnexus.events import Change, record_change
from dreamnexus.journal.models import Dream, Visibility
from dreamnexus.journal.service import own_dream
from dreamnexus.spaces.models import Contribution, Invite, Membership, Space
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate, SpaceUpdate
from dreamnexus.tokens import digest, new_secret

INVITE_DAYS = 14


def membership(session: Session, space: Space, user: User | None) -> Membership | None:
    if user is None:
        return None
    return session.scalar(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == user.id)
    )


def is_space_weaver(session: Session, space: Space, user: User | None) -> bool:
    member = membership(session, space, user)
    return member is not None and member.role == "weaver"


def create_space(session: Session, actor: User, data: SpaceCreate) -> Space:
    if not actor.has_role(Role.weaver):
        raise PermissionDenied("Only weavers create spaces.")
    space = Space(created_by=actor.id, **data.model_dump())
    session.add(space)
    session.flush()
    session.add(Membership(space_id=space.id, user_id=actor.id, role="weaver"))
    record_change(session, Change("space.create", "space", space.public_id, actor.id, data.model_dump()))
    return space


def visible_space(session: Session, viewer: User | None, public_id: str) -> Space:
    """Open spaces are listed to everyone; invite-only ones only to their members."""
    space = session.scalar(select(Space).where(Space.public_id == public_id))
    if space is None or (not space.is_open and membership(session, space, viewer) is None):
        raise NotFound("No such space.")
    return space


def list_spaces(session: Session, viewer: User | None) -> list[Space]:
    statement = select(Space).order_by(Space.created_at.desc())
    if viewer is None:
        statement = statement.where(Space.is_open.is_(True))
    else:
        mine = select(Membership.space_id).where(Membership.user_id == viewer.id)
        statement = statement.where(Space.is_open.is_(True) | Space.id.in_(mine))
    return list(session.scalars(statement))


def update_space(session: Session, actor: User, public_id: str, data: SpaceUpdate) -> Space:
    space = visible_space(session, actor, public_id)
    if not is_space_weaver(session, space, actor):
        raise PermissionDenied("Only this space's weavers can change it.")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    for field, value in changes.items():
        setattr(space, field, value)
    record_change(session, Change("space.update", "space", space.public_id, actor.id, changes))
    return space


def join_space(session: Session, actor: User, public_id: str) -> Membership:
    space = visible_space(session, actor, public_id)
    existing = membership(session, space, actor)
    if existing is not None:
        return existing
    if not space.is_open:
        raise PermissionDenied("This space is invite-only: ask its weaver for an invite link.")
    member = Membership(space_id=space.id, user_id=actor.id)
    session.add(member)
    record_change(session, Change("space.join", "space", space.public_id, actor.id))
    return member


def leave_space(session: Session, actor: User, public_id: str) -> None:
    space = visible_space(session, actor, public_id)
    member = membership(session, space, actor)
    if member is None:
        raise NotFound("You are not a member of this space.")
    if member.role == "weaver" and space.created_by == actor.id:
        raise Conflict("The space's creator cannot leave it.")
    for contribution in session.scalars(
        select(Contribution).where(
            Contribution.space_id == space.id,
            Contribution.contributor_id == actor.id,
            Contribution.withdrawn_at.is_(None),
        )
    ):
        contribution.withdrawn_at = utcnow()
    session.delete(member)
    record_change(session, Change("space.leave", "space", space.public_id, actor.id))


def create_invite(session: Session, actor: User, public_id: str) -> str:
    space = visible_space(session, actor, public_id)
    if not is_space_weaver(session, space, actor):
        raise PermissionDenied("Only this space's weavers create invites.")
    raw = new_secret()
    session.add(
        Invite(
            space_id=space.id,
            token_hash=digest(raw),
            created_by=actor.id,
            expires_at=utcnow() + timedelta(days=INVITE_DAYS),
        )
    )
    record_change(session, Change("space.invite", "space", space.public_id, actor.id))
    return raw


def invite_space(session: Session, raw_token: str) -> Space:
    """The space a still-valid invite leads to, without accepting it."""
    invite = session.scalar(select(Invite).where(Invite.token_hash == digest(raw_token or "")))
    if invite is None or invite.revoked_at is not None or invite.expires_at < utcnow():
        raise NotFound("This invite link is not valid (it may have expired).")
    space = session.get(Space, invite.space_id)
    if space is None:
        raise NotFound("This invite link is not valid (it may have expired).")
    return space


def accept_invite(session: Session, actor: User, raw_token: str) -> Space:
    space = invite_space(session, raw_token)
    if membership(session, space, actor) is None:
        session.add(Membership(space_id=space.id, user_id=actor.id))
        record_change(session, Change("space.join", "space", space.public_id, actor.id, {"via": "invite"}))
    return space


def contribute(session: Session, actor: User, space_public_id: str, data: ContributionCreate) -> Contribution:
    space = visible_space(session, actor, space_public_id)
    if membership(session, space, actor) is None:
        raise PermissionDenied("Join the space before contributing to it.")
    dream = own_dream(session, actor, data.dream_id)
    if dream.visibility == Visibility.private.value:
        raise InvalidInput(
            "This dream is private. Change its visibility to 'spaces' or 'public' to contribute it.",
            errors=[{"field": "dream_id"}],
        )
    excerpt = (data.excerpt or "").strip() or None
    if excerpt is not None and excerpt not in dream.text:
        raise InvalidInput(
            "An excerpt must be a passage copied from the dream's text.", errors=[{"field": "excerpt"}]
        )
    active = session.scalar(
        select(Contribution).where(
            Contribution.space_id == space.id,
            Contribution.dream_id == dream.id,
            Contribution.withdrawn_at.is_(None),
        )
    )
    if active is not None:
        raise Conflict(
            "This dream is already contributed to this space; withdraw it first to change the excerpt."
        )
    warning = (data.content_warning or "").strip() or None
    contribution = Contribution(
        space_id=space.id,
        dream_id=dream.id,
        contributor_id=actor.id,
        excerpt=excerpt,
        content_warning=warning,
    )
    session.add(contribution)
    session.flush()
    record_change(
        session,
        Change(
            "space.contribute",
            "contribution",
            contribution.public_id,
            actor.id,
            {"space": space.public_id, "dream": dream.public_id, "excerpt": excerpt is not None},
        ),
    )
    return contribution


def withdraw(session: Session, actor: User, contribution_public_id: str) -> Contribution:
    contribution = session.scalar(
        select(Contribution).where(Contribution.public_id == contribution_public_id)
    )
    if contribution is None or contribution.contributor_id != actor.id:
        raise NotFound("No such contribution of yours.")
    if contribution.withdrawn_at is None:
        contribution.withdrawn_at = utcnow()
        record_change(session, Change("space.withdraw", "contribution", contribution.public_id, actor.id))
    return contribution


@dataclass(frozen=True)
class ContributionView:
    """What a member sees of a contribution: words and pseudonym, never the account."""

    public_id: str
    dream_public_id: str
    title: str
    text: str
    is_excerpt: bool
    author: str
    content_warning: str | None
    created_at: object
    is_mine: bool


def hidden_by_moderation():  # type: ignore[no-untyped-def]
    from dreamnexus.moderation.models import ModerationCase

    return exists().where(
        ModerationCase.target_type == "contribution",
        ModerationCase.target_id == Contribution.id,
        ModerationCase.hidden.is_(True),
    )


def list_contributions(session: Session, viewer: User | None, space_public_id: str) -> list[ContributionView]:
    space = visible_space(session, viewer, space_public_id)
    if membership(session, space, viewer) is None:
        raise PermissionDenied("Join this space to see its contributions.")
    rows = session.execute(
        select(Contribution, Dream)
        .join(Dream, Dream.id == Contribution.dream_id)
        .where(
            Contribution.space_id == space.id,
            Contribution.withdrawn_at.is_(None),
            Dream.visibility != Visibility.private.value,
            # Hidden by moderation: only its contributor still sees it.
            or_(Contribution.contributor_id == (viewer.id if viewer else -1), ~hidden_by_moderation()),
        )
        .order_by(Contribution.created_at.desc(), Contribution.id.desc())
    )
    views = []
    for contribution, dream in rows:
        mine = viewer is not None and dream.owner_id == viewer.id
        views.append(
            ContributionView(
                public_id=contribution.public_id,
                dream_public_id=dream.public_id,
                title=dream.title,
                text=contribution.excerpt or dream.text,
                is_excerpt=contribution.excerpt is not None,
                author="you" if mine else dream.pseudonym,
                content_warning=contribution.content_warning,
                created_at=contribution.created_at,
                is_mine=mine,
            )
        )
    return views


def my_contributions(session: Session, actor: User, dream: Dream) -> list[tuple[Contribution, Space]]:
    return list(
        session.execute(
            select(Contribution, Space)
            .join(Space, Space.id == Contribution.space_id)
            .where(Contribution.dream_id == dream.id, Contribution.contributor_id == actor.id)
            .where(Contribution.withdrawn_at.is_(None))
        )
    )


def member_spaces(session: Session, actor: User) -> list[Space]:
    return list(
        session.scalars(
            select(Space)
            .join(Membership, Membership.space_id == Space.id)
            .where(Membership.user_id == actor.id)
        )
    )
