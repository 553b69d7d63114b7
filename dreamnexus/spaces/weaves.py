"""Weaving a space's contributions: drafts, a weaver's edits, exclusions, published versions.

Only contributions whose dream consents to weaving, is not private, is not withdrawn and is not excluded
are woven. When one of them stops being allowed (withdrawn, consent revoked, made private, deleted,
excluded), every published weave that uses it gets a new version without its fragments, in the same
transaction as the change that caused it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.db.base import utcnow
from dreamnexus.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dreamnexus.events import Change, record_change
from dreamnexus.journal.models import Dream, Visibility
from dreamnexus.moderation.trust import standing
from dreamnexus.spaces import manifest
from dreamnexus.spaces.models import Contribution, Space
from dreamnexus.spaces.service import hidden_by_moderation, is_space_weaver, membership, visible_space
from dreamnexus.spaces.weave_models import ContributionExclusion, SpaceWeave, WeaveSource, WeaveStatus
from dreamnexus.tokens import sign

MAX_SIZE = 200
REVOKING_ACTIONS = {"space.withdraw", "space.leave", "dream.update", "dream.delete", "space.exclude"}


@dataclass(frozen=True)
class WeaveRequest:
    size: int = 24
    seed: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.size <= MAX_SIZE:
            raise InvalidInput(f"size must be between 1 and {MAX_SIZE}")
        if not 0 <= self.seed < 2**31:
            raise InvalidInput("seed must be a non-negative 31-bit integer")


def _require_weaver(session: Session, actor: User, space: Space) -> None:
    if not is_space_weaver(session, space, actor):
        raise PermissionDenied("Only this space's weavers can do this.")


def _allowed_rows(
    session: Session, space: Space, removed_dream_ids: Iterable[int] = ()
) -> list[tuple[Contribution, Dream]]:
    excluded = select(ContributionExclusion.contribution_id).where(
        ContributionExclusion.space_id == space.id, ContributionExclusion.lifted_at.is_(None)
    )
    statement = (
        select(Contribution, Dream)
        .join(Dream, Dream.id == Contribution.dream_id)
        .where(
            Contribution.space_id == space.id,
            Contribution.withdrawn_at.is_(None),
            Contribution.id.not_in(excluded),
            Dream.consent_weaving.is_(True),
            Dream.visibility != Visibility.private.value,
            ~hidden_by_moderation(),
        )
        .order_by(Contribution.created_at, Contribution.id)
    )
    removed = set(removed_dream_ids)
    return [(c, d) for c, d in session.execute(statement) if d.id not in removed]


def _engine_input(
    secret: str, contribution: Contribution, dream: Dream, trust: float | None
) -> dict[str, Any]:
    whole = contribution.excerpt is None
    record: dict[str, Any] = {
        "id": contribution.public_id,
        # The per-author cap needs one id per person; it never leaves this function (see _publicise).
        "author": "p-" + sign(secret, f"weave-author:{dream.owner_id}")[:20],
        "text": contribution.excerpt or dream.text,
        "group": dream.language,
        "created_at": contribution.created_at.astimezone(UTC).isoformat(),
    }
    if trust is not None:
        record["trust"] = trust
    if whole and dream.analysis and dream.analysis_status == "done":
        record["analysis"] = dream.analysis
    return record


def _publicise(content: dict[str, Any], pseudonyms: dict[str, str]) -> dict[str, Any]:
    """Replace the engine's per-person author ids by each dream's own pseudonym before anything is stored."""
    for passage in content.get("passages", []):
        for source in passage.get("sources", []):
            source["author"] = pseudonyms.get(source["contribution_id"], "a dreamer")
    content.pop("downweighted", None)
    return content


def _sources(content: dict[str, Any]) -> set[str]:
    return {s["contribution_id"] for p in content.get("passages", []) for s in p.get("sources", [])}


def _store_sources(session: Session, weave_row: SpaceWeave, dream_of: dict[str, int]) -> None:
    for contribution_id in sorted(_sources(weave_row.content)):
        session.add(
            WeaveSource(
                weave_id=weave_row.id,
                contribution_public_id=contribution_id,
                dream_id=dream_of.get(contribution_id),
            )
        )


def create_draft(
    session: Session, actor: User, space_public_id: str, request: WeaveRequest, secret: str
) -> SpaceWeave:
    from dreamnexus.weaving import ENGINE_VERSION, WeaveParameters, weave

    space = visible_space(session, actor, space_public_id)
    _require_weaver(session, actor, space)
    rows = _allowed_rows(session, space)
    if not rows:
        raise Conflict("There is nothing to weave yet: no contribution here consents to weaving.")
    owners = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_({d.owner_id for _, d in rows})))
    }
    trust = {user_id: standing(session, user).score for user_id, user in owners.items()}
    records = [_engine_input(secret, c, d, trust.get(d.owner_id)) for c, d in rows]
    params = WeaveParameters(size=request.size)
    result = weave(records, params=params, seed=request.seed)
    pseudonyms = {c.public_id: d.pseudonym for c, d in rows}
    content = _publicise(result.to_dict(), pseudonyms)
    draft = SpaceWeave(
        space_id=space.id,
        status=WeaveStatus.draft.value,
        content=content,
        parameters=params.to_dict(),
        seed=request.seed,
        engine_version=ENGINE_VERSION,
        created_by=actor.id,
        note="draft",
    )
    session.add(draft)
    session.flush()
    _store_sources(session, draft, {c.public_id: d.id for c, d in rows})
    record_change(
        session, Change("weave.draft", "weave", draft.public_id, actor.id, {"space": space.public_id})
    )
    return draft


def _weave_for(session: Session, viewer: User | None, weave_public_id: str) -> tuple[SpaceWeave, Space]:
    row = session.scalar(select(SpaceWeave).where(SpaceWeave.public_id == weave_public_id))
    if row is None:
        raise NotFound("No such weave.")
    space = session.get(Space, row.space_id)
    assert space is not None
    if membership(session, space, viewer) is None:
        raise NotFound("No such weave.")
    unpublished = row.status not in {WeaveStatus.published.value, WeaveStatus.superseded.value}
    if unpublished and not is_space_weaver(session, space, viewer):
        raise NotFound("No such weave.")
    return row, space


def get_weave(session: Session, viewer: User | None, weave_public_id: str) -> tuple[SpaceWeave, Space]:
    return _weave_for(session, viewer, weave_public_id)


def edit_draft(
    session: Session,
    actor: User,
    weave_public_id: str,
    *,
    order: list[int] | None = None,
    drop: Iterable[int] = (),
) -> SpaceWeave:
    """Reorder passages (a permutation of their indices) and drop some; only drafts change."""
    row, space = _weave_for(session, actor, weave_public_id)
    _require_weaver(session, actor, space)
    if row.status != WeaveStatus.draft.value:
        raise Conflict("Only a draft can be edited; make a new draft from the published version.")
    passages = list(row.content.get("passages", []))
    if order is not None:
        if sorted(order) != list(range(len(passages))):
            raise InvalidInput("order must list every passage index exactly once")
        passages = [passages[i] for i in order]
    dropped = set(drop)
    if any(not 0 <= i < len(passages) for i in dropped):
        raise InvalidInput("drop names a passage that does not exist")
    content = copy.deepcopy(row.content)
    content["passages"] = [p for i, p in enumerate(passages) if i not in dropped]
    content.setdefault("edits", []).append({"order": order, "drop": sorted(dropped), "by": "weaver"})
    row.content = content
    record_change(session, Change("weave.edit", "weave", row.public_id, actor.id))
    return row


def _next_version(session: Session, space_id: int) -> int:
    return (
        session.scalar(select(func.max(SpaceWeave.version)).where(SpaceWeave.space_id == space_id)) or 0
    ) + 1


def _latest_published(session: Session, space_id: int) -> SpaceWeave | None:
    return session.scalar(
        select(SpaceWeave).where(
            SpaceWeave.space_id == space_id, SpaceWeave.status == WeaveStatus.published.value
        )
    )


def _supersede(session: Session, space_id: int) -> SpaceWeave | None:
    current = _latest_published(session, space_id)
    if current is not None:
        current.status = WeaveStatus.superseded.value
        session.flush()
    return current


def publish(session: Session, actor: User, weave_public_id: str) -> SpaceWeave:
    row, space = _weave_for(session, actor, weave_public_id)
    _require_weaver(session, actor, space)
    if row.status != WeaveStatus.draft.value:
        raise Conflict("This weave is already published.")
    allowed = {c.public_id for c, _ in _allowed_rows(session, space)}
    if not _sources(row.content) <= allowed:
        raise Conflict(
            "Some fragments are no longer allowed (withdrawn or consent revoked); make a new draft."
        )
    if not row.content.get("passages"):
        raise InvalidInput("A weave needs at least one passage.")
    previous = _supersede(session, space.id)
    row.parent_id = previous.id if previous else None
    row.status = WeaveStatus.published.value
    row.version = _next_version(session, space.id)
    row.published_at = utcnow()
    row.note = "published by a weaver"
    _sign(session, space, row)
    _note_woven(session, space, row)
    record_change(
        session,
        Change(
            "weave.publish",
            "weave",
            row.public_id,
            actor.id,
            {"space": space.public_id, "version": row.version},
        ),
    )
    return row


def _sign(session: Session, space: Space, row: SpaceWeave) -> None:
    """Sign what this published version was made from: its content and the exact texts it quotes."""
    key, instance = manifest.current_signer()
    ids = _sources(row.content)
    texts: dict[str, str] = {}
    for contribution, dream in session.execute(
        select(Contribution, Dream)
        .join(Dream, Dream.id == Contribution.dream_id)
        .where(Contribution.public_id.in_(ids))
    ).all():
        texts[contribution.public_id] = contribution.excerpt or dream.text
    assert row.version is not None and row.published_at is not None
    row.manifest = manifest.build_manifest(
        instance=instance,
        space_id=space.public_id,
        weave_id=row.public_id,
        version=row.version,
        published_at=row.published_at.isoformat(),
        engine_version=row.engine_version,
        parameters=row.parameters,
        seed=row.seed,
        content=row.content,
        source_texts=texts,
        public_key_hex=manifest.public_key_hex(key),
    )
    row.signature = manifest.sign(key, row.manifest)


def signed_document(session: Session, viewer: User, weave_public_id: str) -> dict[str, Any]:
    row, _ = _weave_for(session, viewer, weave_public_id)
    if row.manifest is None or row.signature is None:
        raise Conflict("Only published weaves are signed.")
    return {"manifest": row.manifest, "signature": row.signature, "weave": row.content}


def erase_contributor(session: Session, user: User) -> int:
    """Right to erasure: every stored version that quotes this person (superseded ones too) is re-rendered
    without their passages, and published ones signed again. Returns how many versions changed."""
    mine = set(session.scalars(select(Contribution.public_id).where(Contribution.contributor_id == user.id)))
    if not mine:
        return 0
    quoting = select(WeaveSource.weave_id).where(WeaveSource.contribution_public_id.in_(mine))
    changed = 0
    for row in session.scalars(select(SpaceWeave).where(SpaceWeave.id.in_(quoting))):
        content = copy.deepcopy(row.content)
        content["passages"] = [
            p
            for p in content.get("passages", [])
            if not any(s["contribution_id"] in mine for s in p.get("sources", []))
        ]
        content.setdefault("edits", []).append({"erased": "a contributor's words, at their request"})
        row.content = content
        if row.manifest is not None:
            space = session.get(Space, row.space_id)
            assert space is not None
            _sign(session, space, row)
        session.execute(
            delete(WeaveSource).where(
                WeaveSource.weave_id == row.id, WeaveSource.contribution_public_id.in_(mine)
            )
        )
        record_change(session, Change("weave.erase", "weave", row.public_id, user.id))
        changed += 1
    return changed


def _note_woven(session: Session, space: Space, row: SpaceWeave) -> None:
    from dreamnexus.mydata.access_log import note_access

    dreams = session.execute(
        select(Dream.id, Dream.owner_id)
        .join(WeaveSource, WeaveSource.dream_id == Dream.id)
        .where(WeaveSource.weave_id == row.id)
        .distinct()
    ).all()
    for dream_id, owner_id in dreams:
        note_access(
            session,
            dream_id=dream_id,
            owner_id=owner_id,
            kind="woven",
            context=f"space: {space.title} (version {row.version})",
        )


def discard_draft(session: Session, actor: User, weave_public_id: str) -> None:
    row, space = _weave_for(session, actor, weave_public_id)
    _require_weaver(session, actor, space)
    if row.status != WeaveStatus.draft.value:
        raise Conflict("Only a draft can be discarded.")
    row.status = WeaveStatus.discarded.value
    record_change(session, Change("weave.discard", "weave", row.public_id, actor.id))


def list_weaves(session: Session, viewer: User, space_public_id: str) -> list[SpaceWeave]:
    space = visible_space(session, viewer, space_public_id)
    if membership(session, space, viewer) is None:
        raise PermissionDenied("Join this space to see its weaves.")
    statuses = [WeaveStatus.published.value, WeaveStatus.superseded.value]
    if is_space_weaver(session, space, viewer):
        statuses.append(WeaveStatus.draft.value)
    return list(
        session.scalars(
            select(SpaceWeave)
            .where(SpaceWeave.space_id == space.id, SpaceWeave.status.in_(statuses))
            .order_by(SpaceWeave.version.desc().nulls_first(), SpaceWeave.created_at.desc())
        )
    )


def exclude(
    session: Session, actor: User, space_public_id: str, contribution_public_id: str, reason: str
) -> ContributionExclusion:
    space = visible_space(session, actor, space_public_id)
    _require_weaver(session, actor, space)
    reason = " ".join((reason or "").split())
    if not 3 <= len(reason) <= 500:
        raise InvalidInput(
            "Give the contributor a reason (3 to 500 characters).", errors=[{"field": "reason"}]
        )
    contribution = session.scalar(
        select(Contribution).where(
            Contribution.public_id == contribution_public_id, Contribution.space_id == space.id
        )
    )
    if contribution is None:
        raise NotFound("No such contribution in this space.")
    exclusion = ContributionExclusion(
        contribution_id=contribution.id, space_id=space.id, reason=reason, excluded_by=actor.id
    )
    session.add(exclusion)
    session.flush()
    record_change(
        session,
        Change(
            "space.exclude",
            "contribution",
            contribution.public_id,
            actor.id,
            {"space": space.public_id, "dream_ids": [contribution.dream_id]},
        ),
    )
    return exclusion


def lift_exclusion(session: Session, actor: User, exclusion_public_id: str) -> None:
    exclusion = session.scalar(
        select(ContributionExclusion).where(ContributionExclusion.public_id == exclusion_public_id)
    )
    if exclusion is None:
        raise NotFound("No such exclusion.")
    space = session.get(Space, exclusion.space_id)
    assert space is not None
    _require_weaver(session, actor, space)
    if exclusion.lifted_at is None:
        exclusion.lifted_at = utcnow()
        contribution = session.get(Contribution, exclusion.contribution_id)
        assert contribution is not None
        record_change(session, Change("space.include", "contribution", contribution.public_id, actor.id))


def exclusions_for_contributor(
    session: Session, user: User
) -> list[tuple[ContributionExclusion, Contribution, Space]]:
    """What a contributor may read: which of their contributions a weaver kept out, and why."""
    return list(
        session.execute(
            select(ContributionExclusion, Contribution, Space)
            .join(Contribution, Contribution.id == ContributionExclusion.contribution_id)
            .join(Space, Space.id == ContributionExclusion.space_id)
            .where(Contribution.contributor_id == user.id, ContributionExclusion.lifted_at.is_(None))
        )
    )


def space_exclusions(session: Session, actor: User, space_public_id: str) -> dict[str, ContributionExclusion]:
    space = visible_space(session, actor, space_public_id)
    _require_weaver(session, actor, space)
    rows = session.execute(
        select(Contribution.public_id, ContributionExclusion)
        .join(ContributionExclusion, ContributionExclusion.contribution_id == Contribution.id)
        .where(ContributionExclusion.space_id == space.id, ContributionExclusion.lifted_at.is_(None))
    )
    return dict(rows.all())


def appearances(session: Session, user: User, dream: Dream) -> list[tuple[SpaceWeave, Space, list[int]]]:
    """Where a dream's words appear in published weaves: (weave, space, passage indices)."""
    contribution_ids = set(
        session.scalars(
            select(Contribution.public_id).where(
                Contribution.dream_id == dream.id, Contribution.contributor_id == user.id
            )
        )
    )
    if not contribution_ids:
        return []
    quoting = select(WeaveSource.weave_id).where(WeaveSource.contribution_public_id.in_(contribution_ids))
    # Rows by id: PostgreSQL cannot compare the JSON columns that a DISTINCT over whole rows would need.
    rows = session.execute(
        select(SpaceWeave, Space)
        .join(Space, Space.id == SpaceWeave.space_id)
        .where(SpaceWeave.id.in_(quoting), SpaceWeave.status == WeaveStatus.published.value)
    ).all()

    found = []
    for weave_row, space in rows:
        indices = [
            i
            for i, p in enumerate(weave_row.content.get("passages", []))
            if any(s["contribution_id"] in contribution_ids for s in p.get("sources", []))
        ]
        found.append((weave_row, space, indices))
    return found


def refresh_published(
    session: Session, space: Space, removed_dream_ids: Iterable[int] = (), cause: str = ""
) -> SpaceWeave | None:
    """A new published version without the fragments that are no longer allowed; None if none had to go."""
    current = _latest_published(session, space.id)
    if current is None:
        return None
    allowed_rows = _allowed_rows(session, space, removed_dream_ids)
    allowed = {c.public_id for c, _ in allowed_rows}
    used = _sources(current.content)
    if used <= allowed:
        return None
    content = copy.deepcopy(current.content)
    content["passages"] = [
        p
        for p in content.get("passages", [])
        if all(s["contribution_id"] in allowed for s in p.get("sources", []))
    ]
    content.setdefault("edits", []).append({"removed_sources": sorted(used - allowed), "cause": cause})
    current.status = WeaveStatus.superseded.value
    session.flush()
    successor = SpaceWeave(
        space_id=space.id,
        status=WeaveStatus.published.value,
        content=content,
        parameters=current.parameters,
        seed=current.seed,
        engine_version=current.engine_version,
        parent_id=current.id,
        version=_next_version(session, space.id),
        published_at=utcnow(),
        created_by=None,
        note=f"automatic: fragments removed ({cause})",
    )
    session.add(successor)
    session.flush()
    _store_sources(session, successor, {c.public_id: d.id for c, d in allowed_rows})
    _sign(session, space, successor)
    record_change(
        session,
        Change(
            "weave.revise",
            "weave",
            successor.public_id,
            None,
            {"space": space.public_id, "version": successor.version, "removed": sorted(used - allowed)},
        ),
    )
    return successor


def _affected_spaces(session: Session, change: Change) -> tuple[list[Space], list[int]]:
    if change.object_type == "dream":
        dream_id = session.scalar(select(Dream.id).where(Dream.public_id == change.object_id))
        dream_ids = [dream_id] if dream_id is not None else []
    else:
        dream_ids = list(change.state.get("dream_ids") or [])
        if not dream_ids:
            contribution = session.scalar(
                select(Contribution).where(Contribution.public_id == change.object_id)
            )
            dream_ids = [contribution.dream_id] if contribution is not None else []
    if change.action == "space.leave":
        space = session.scalar(select(Space).where(Space.public_id == change.object_id))
        return ([space] if space else []), []
    if not dream_ids:
        return [], []
    space_ids = session.scalars(
        select(SpaceWeave.space_id)
        .join(WeaveSource, WeaveSource.weave_id == SpaceWeave.id)
        .where(WeaveSource.dream_id.in_(dream_ids), SpaceWeave.status == WeaveStatus.published.value)
        .distinct()
    )
    spaces = list(session.scalars(select(Space).where(Space.id.in_(list(space_ids)))))
    removed = dream_ids if change.action == "dream.delete" else []
    return spaces, removed


def revise_on_revocation(session: Session, change: Change) -> None:
    if change.action not in REVOKING_ACTIONS:
        return
    spaces, removed = _affected_spaces(session, change)
    for space in spaces:
        refresh_published(session, space, removed, cause=change.action)
