"""Canonical snapshots of audited objects, how to find and load them, and how to restore them.

A snapshot holds the content a person wrote or decided (text, title, tags, visibility, consents,
withdrawals), not derived fields (analysis results, updated_at) that change without a recorded change.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.integrity.canonical import iso_utc
from dreamnexus.journal.models import Consent, Dream, DreamTag
from dreamnexus.spaces.models import Contribution, Space
from dreamnexus.spaces.weave_models import SpaceWeave

Snapshot = dict[str, Any]
# Sessions bigger than this are searched with a query rather than by walking the identity map.
_IDENTITY_SCAN_LIMIT = 200

_DREAM_FIELDS = (
    "id", "public_id", "owner_id", "title", "text", "lucid", "mood", "language", "language_is_set",
    "visibility", "pseudonym", "text_revision",
    *(f"consent_{c.value}" for c in Consent),
)  # fmt: skip
_CONTRIBUTION_FIELDS = (
    "id",
    "public_id",
    "space_id",
    "dream_id",
    "contributor_id",
    "excerpt",
    "content_warning",
)
# created_by is left out: the database sets it to NULL when its author's account is erased.
_WEAVE_FIELDS = (
    "id", "public_id", "space_id", "version", "status", "content", "parameters", "seed", "engine_version",
    "note", "parent_id",
)  # fmt: skip
_SPACE_FIELDS = (
    "id",
    "public_id",
    "title",
    "description",
    "is_open",
    "guidelines",
    "content_note",
    "created_by",
)


def _fields(row: Any, names: tuple[str, ...]) -> Snapshot:
    return {name: getattr(row, name) for name in names}


def dream_snapshot(row: Any, tags: list[str]) -> Snapshot:
    snap = _fields(row, _DREAM_FIELDS)
    snap["dreamt_on"] = row.dreamt_on.isoformat()
    snap["created_at"] = iso_utc(row.created_at)
    snap["tags"] = sorted(tags)
    return snap


def contribution_snapshot(row: Any) -> Snapshot:
    snap = _fields(row, _CONTRIBUTION_FIELDS)
    snap["created_at"] = iso_utc(row.created_at)
    snap["withdrawn_at"] = iso_utc(row.withdrawn_at)
    return snap


def space_snapshot(row: Any) -> Snapshot:
    snap = _fields(row, _SPACE_FIELDS)
    snap["created_at"] = iso_utc(row.created_at)
    return snap


def weave_snapshot(row: Any) -> Snapshot:
    snap = _fields(row, _WEAVE_FIELDS)
    snap["created_at"] = iso_utc(row.created_at)
    snap["published_at"] = iso_utc(row.published_at)
    return snap


def user_snapshot(row: Any) -> Snapshot:
    """No password hash (it is rehashed on sign-in) and no e-mail in clear: only its SHA-256."""
    return {
        "id": row.id,
        "public_id": row.public_id,
        "email_sha256": hashlib.sha256(row.email.encode()).hexdigest(),
        "display_name": row.display_name,
        "role": row.role,
        "is_active": row.is_active,
        "created_at": iso_utc(row.created_at),
    }


def _parse_dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Kind:
    """What the audit log knows about one object type."""

    name: str
    model: type
    restorable: bool  # snapshots kept in the blob store, rows restored by `repair`
    snapshot: Callable[[Session, Any], Snapshot]
    owner: Callable[[Any], int | None]
    parent: Callable[[Session, Any], str | None]
    load_all: Callable[[Session], Iterator[tuple[str, Snapshot]]]
    restore: Callable[[Session, Snapshot], None] | None = None

    def find(self, session: Session, public_id: str) -> Any:
        model = self.model
        identity = session.identity_map
        if len(identity) <= _IDENTITY_SCAN_LIMIT:
            for obj in identity.values():
                if type(obj) is model and obj.public_id == public_id:  # type: ignore[attr-defined]
                    # Deleted in this session but not yet flushed: the query below flushes and misses it.
                    return None if obj in session.deleted else obj
        return session.scalar(select(model).where(model.public_id == public_id))  # type: ignore[attr-defined]


def _load_dreams(session: Session) -> Iterator[tuple[str, Snapshot]]:
    tags: dict[int, list[str]] = defaultdict(list)
    for dream_id, tag in session.execute(select(DreamTag.dream_id, DreamTag.tag)):
        tags[dream_id].append(tag)
    columns = [getattr(Dream, name) for name in (*_DREAM_FIELDS, "dreamt_on", "created_at")]
    for row in session.execute(select(*columns).execution_options(yield_per=2000)):
        yield row.public_id, dream_snapshot(row, tags.get(row.id, []))


def _load_rows(
    model: type, snap: Callable[[Any], Snapshot]
) -> Callable[[Session], Iterator[tuple[str, Snapshot]]]:
    def load(session: Session) -> Iterator[tuple[str, Snapshot]]:
        for obj in session.scalars(select(model).execution_options(yield_per=2000)):
            yield obj.public_id, snap(obj)

    return load


def _restore_dream(session: Session, snap: Snapshot) -> None:
    from dreamnexus.journal import search
    from dreamnexus.journal.models import AnalysisStatus

    dream = session.get(Dream, snap["id"])
    if dream is None:
        dream = Dream(id=snap["id"], analysis_status=AnalysisStatus.pending.value)
        session.add(dream)
    elif dream.text != snap["text"]:
        dream.analysis_status = AnalysisStatus.pending.value  # its analysis was of the tampered text
    for name in _DREAM_FIELDS:
        setattr(dream, name, snap[name])
    dream.dreamt_on = date.fromisoformat(snap["dreamt_on"])
    dream.created_at = _parse_dt(snap["created_at"])  # type: ignore[assignment]
    if sorted(dream.tag_names) != snap["tags"]:
        dream.tags = [DreamTag.of(t) for t in snap["tags"]]
    session.flush()
    search.index_dream(session, dream)


def _restore_simple(
    model: type, names: tuple[str, ...], times: tuple[str, ...]
) -> Callable[[Session, Snapshot], None]:
    def restore(session: Session, snap: Snapshot) -> None:
        obj = session.get(model, snap["id"])
        if obj is None:
            obj = model(id=snap["id"])
            session.add(obj)
        for name in names:
            setattr(obj, name, snap[name])
        for name in times:
            setattr(obj, name, _parse_dt(snap[name]))
        session.flush()

    return restore


def _space_parent(session: Session, weave: SpaceWeave) -> str | None:
    space = session.get(Space, weave.space_id)
    return space.public_id if space is not None else None


def _dream_parent(session: Session, contribution: Contribution) -> str | None:
    dream = session.get(Dream, contribution.dream_id)
    return dream.public_id if dream is not None else None


KINDS: dict[str, Kind] = {
    "dream": Kind(
        name="dream",
        model=Dream,
        restorable=True,
        snapshot=lambda session, d: dream_snapshot(d, d.tag_names),
        owner=lambda d: d.owner_id,
        parent=lambda session, d: None,
        load_all=_load_dreams,
        restore=_restore_dream,
    ),
    "contribution": Kind(
        name="contribution",
        model=Contribution,
        restorable=True,
        snapshot=lambda session, c: contribution_snapshot(c),
        owner=lambda c: c.contributor_id,
        parent=_dream_parent,
        load_all=_load_rows(Contribution, contribution_snapshot),
        restore=_restore_simple(Contribution, _CONTRIBUTION_FIELDS, ("created_at", "withdrawn_at")),
    ),
    "space": Kind(
        name="space",
        model=Space,
        restorable=True,
        snapshot=lambda session, s: space_snapshot(s),
        owner=lambda s: s.created_by,
        parent=lambda session, s: None,
        load_all=_load_rows(Space, space_snapshot),
        restore=_restore_simple(Space, _SPACE_FIELDS, ("created_at",)),
    ),
    "weave": Kind(
        name="weave",
        model=SpaceWeave,
        restorable=True,
        snapshot=lambda session, w: weave_snapshot(w),
        owner=lambda w: w.created_by,
        parent=_space_parent,
        load_all=_load_rows(SpaceWeave, weave_snapshot),
        restore=_restore_simple(SpaceWeave, _WEAVE_FIELDS, ("created_at", "published_at")),
    ),
    "user": Kind(
        name="user",
        model=User,
        restorable=False,
        snapshot=lambda session, u: user_snapshot(u),
        owner=lambda u: u.id,
        parent=lambda session, u: None,
        load_all=_load_rows(User, user_snapshot),
    ),
}
# Rows are restored parents first, so that foreign keys hold.
RESTORE_ORDER = ("space", "dream", "contribution", "weave")
