"""Festival use cases that change stored state: create, phases, shield, guests, reactions, moderation,
publishing. Each checks who may do it and records the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.db.base import utcnow
from dreamnexus.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dreamnexus.events import Change, record_change
from dreamnexus.festival.models import (
    Festival,
    FestivalFragment,
    FestivalReaction,
    FragmentStatus,
    GuestPass,
    Phase,
)
from dreamnexus.spaces.models import Space
from dreamnexus.spaces.service import is_space_weaver, membership, visible_space
from dreamnexus.spaces.weave_models import SpaceWeave, WeaveStatus
from dreamnexus.tokens import digest, new_secret
from dreamnexus.weaving import Weave

FEELINGS = ("wonder", "calm", "joy", "unease", "sorrow", "fear")
MAX_TESTIMONY = 500
MODERATION = {
    "approve": FragmentStatus.accepted,
    "reject": FragmentStatus.rejected,
    "hide": FragmentStatus.hidden,
}
PHASE_RULES = {
    Phase.gathering.value: "Fragments open (one per 5 s each), the weave starts to form.",
    Phase.weaving.value: "Fragments open at the full rate; the weave grows and reshapes live.",
    Phase.zenith.value: "Fragments closed: everyone contemplates the weave and reacts.",
    Phase.afterglow.value: "Fragments closed; reactions and testimonies; the weaver publishes.",
}
TRUST = {"weaver": 0.9, "member": 0.6, "guest": 0.2}


def get_festival(session: Session, viewer: User | None, public_id: str) -> tuple[Festival, Space]:
    festival = session.scalar(select(Festival).where(Festival.public_id == public_id))
    if festival is None:
        raise NotFound("No such festival.")
    space = session.get(Space, festival.space_id)
    hidden = space is None or (not space.is_open and membership(session, space, viewer) is None)
    if hidden and not festival.guests_allowed:
        raise NotFound("No such festival.")
    assert space is not None
    return festival, space


def _require_weaver(session: Session, actor: User, space: Space) -> None:
    if not is_space_weaver(session, space, actor):
        raise PermissionDenied("Only this space's weavers run its festivals.")


def create_festival(
    session: Session, actor: User, space_public_id: str, title: str, guests_allowed: bool = False
) -> Festival:
    space = visible_space(session, actor, space_public_id)
    _require_weaver(session, actor, space)
    title = title.strip()
    if not 1 <= len(title) <= 120:
        raise InvalidInput("A festival title has 1 to 120 characters.")
    festival = Festival(space_id=space.id, title=title, guests_allowed=guests_allowed, created_by=actor.id)
    session.add(festival)
    session.flush()
    record_change(
        session,
        Change(
            "festival.create",
            "festival",
            festival.public_id,
            actor.id,
            {"space": space.public_id, "guests_allowed": guests_allowed},
        ),
    )
    return festival


def update_festival(
    session: Session,
    actor: User,
    public_id: str,
    *,
    phase: str | None = None,
    shield: bool | None = None,
    guests_allowed: bool | None = None,
) -> Festival:
    festival, space = get_festival(session, actor, public_id)
    _require_weaver(session, actor, space)
    changes: dict[str, Any] = {}
    if phase is not None:
        if phase not in PHASE_RULES:
            raise InvalidInput(f"Unknown phase {phase!r}.")
        festival.phase = changes["phase"] = phase
    if shield is not None:
        festival.shield = changes["shield"] = shield
    if guests_allowed is not None:
        festival.guests_allowed = changes["guests_allowed"] = guests_allowed
    record_change(session, Change("festival.update", "festival", public_id, actor.id, changes))
    return festival


def role_of(session: Session, festival: Festival, space: Space, user: User) -> str | None:
    """The role a signed-in user takes part with, or None when they may only watch."""
    member = membership(session, space, user)
    if member is not None:
        return "weaver" if member.role == "weaver" else "member"
    return "member" if space.is_open else None


def issue_guest_pass(session: Session, public_id: str) -> tuple[GuestPass, str]:
    festival = session.scalar(select(Festival).where(Festival.public_id == public_id))
    if festival is None:
        raise NotFound("No such festival.")
    if not festival.guests_allowed or festival.shield:
        raise PermissionDenied("This festival is not handing out guest passes right now.")
    raw = new_secret("dg_")
    guest = GuestPass(festival_id=festival.id, token_hash=digest(raw))
    session.add(guest)
    session.flush()
    return guest, raw


def guest_for_token(session: Session, festival: Festival, raw: str | None) -> GuestPass | None:
    if not raw or len(raw) > 100:
        return None
    guest = session.scalar(select(GuestPass).where(GuestPass.token_hash == digest(raw)))
    return guest if guest is not None and guest.festival_id == festival.id else None


def react(
    session: Session,
    festival: Festival,
    author_key: str,
    feeling: str,
    *,
    research_consent: bool = False,
    testimony: str | None = None,
) -> FestivalReaction:
    if feeling not in FEELINGS:
        raise InvalidInput(f"A feeling is one of: {', '.join(FEELINGS)}.")
    testimony = (testimony or "").strip() or None
    if testimony is not None:
        if not research_consent:
            raise InvalidInput("A testimony is kept only with your consent to research use.")
        if len(testimony) > MAX_TESTIMONY:
            raise InvalidInput(f"A testimony holds at most {MAX_TESTIMONY} characters.")
        if festival.phase != Phase.afterglow.value:
            raise Conflict("Testimonies open in the afterglow.")
    reaction = FestivalReaction(
        festival_id=festival.id,
        author_key=author_key,
        feeling=feeling,
        research_consent=research_consent,
        testimony=testimony,
    )
    session.add(reaction)
    record_change(
        session,
        Change(
            "festival.react",
            "festival",
            festival.public_id,
            None,
            {"feeling": feeling, "testimony": testimony is not None},
        ),
    )
    return reaction


def feeling_counts(session: Session, festival: Festival) -> dict[str, int]:
    rows = session.execute(
        select(FestivalReaction.feeling, func.count())
        .where(FestivalReaction.festival_id == festival.id)
        .group_by(FestivalReaction.feeling)
    ).all()
    return {f: int(n) for f, n in rows}


def moderation_queue(
    session: Session, actor: User, public_id: str, limit: int = 100
) -> list[FestivalFragment]:
    festival, space = get_festival(session, actor, public_id)
    _require_weaver(session, actor, space)
    return list(
        session.scalars(
            select(FestivalFragment)
            .where(
                FestivalFragment.festival_id == festival.id,
                FestivalFragment.status.in_([FragmentStatus.held.value, FragmentStatus.excluded.value]),
            )
            .order_by(FestivalFragment.seq.desc())
            .limit(limit)
        )
    )


def moderate(session: Session, actor: User, public_id: str, seq: int, action: str) -> FestivalFragment:
    festival, space = get_festival(session, actor, public_id)
    _require_weaver(session, actor, space)
    if action not in MODERATION:
        raise InvalidInput("The action is approve, reject or hide.")
    fragment = session.scalar(
        select(FestivalFragment).where(
            FestivalFragment.festival_id == festival.id, FestivalFragment.seq == seq
        )
    )
    if fragment is None:
        raise NotFound("No such fragment.")
    fragment.status = MODERATION[action].value
    fragment.reason = f"{action} by a weaver"
    record_change(session, Change(f"festival.{action}", "festival", public_id, actor.id, {"seq": seq}))
    return fragment


def publish(session: Session, actor: User, public_id: str, weave: Weave) -> SpaceWeave:
    """The festival's final weave becomes the space's newest published version."""
    festival, space = get_festival(session, actor, public_id)
    _require_weaver(session, actor, space)
    content = weave.to_dict()
    if not content["passages"]:
        raise InvalidInput("The weave is still empty.")
    names: dict[str, str] = {}
    for passage in content["passages"]:
        for source in passage["sources"]:
            source["author"] = names.setdefault(source["author"], f"participant {len(names) + 1}")
            source["contribution_id"] = f"festival:{festival.public_id}:{source['contribution_id']}"
    content["excluded"], content["downweighted"] = [], []
    previous = session.scalar(
        select(SpaceWeave).where(
            SpaceWeave.space_id == space.id, SpaceWeave.status == WeaveStatus.published.value
        )
    )
    if previous is not None:
        previous.status = WeaveStatus.superseded.value
        session.flush()
    version = (
        session.scalar(select(func.max(SpaceWeave.version)).where(SpaceWeave.space_id == space.id)) or 0
    ) + 1
    row = SpaceWeave(
        space_id=space.id,
        version=version,
        status=WeaveStatus.published.value,
        content=content,
        parameters=content["parameters"],
        seed=content["seed"],
        engine_version=content["engine_version"],
        note=f"festival: {festival.title}"[:300],
        parent_id=previous.id if previous else None,
        created_by=actor.id,
        published_at=utcnow(),
    )
    session.add(row)
    session.flush()
    festival.published_weave_id = row.id
    record_change(
        session,
        Change(
            "weave.publish",
            "weave",
            row.public_id,
            actor.id,
            {"space": space.public_id, "version": version, "festival": public_id},
        ),
    )
    return row
