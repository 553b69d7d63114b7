"""The audit log writer: an `on_change` listener that appends to the chain in the change's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dreamnexus import events
from dreamnexus.config import Settings
from dreamnexus.db.base import utcnow
from dreamnexus.events import Change
from dreamnexus.integrity.canonical import GENESIS, canonical, digest_of, iso_utc, sha256_hex
from dreamnexus.integrity.chain import actor_pseudonym, derive_key, entry_mac, hash_entry
from dreamnexus.integrity.erasure import erase_snapshots_of
from dreamnexus.integrity.models import AuditBlob, AuditEntry, AuditHead, AuditObject
from dreamnexus.integrity.snapshots import KINDS, Kind
from dreamnexus.spaces.models import Contribution, Space
from dreamnexus.spaces.weave_models import SpaceWeave

_entries: Table = AuditEntry.__table__  # type: ignore[assignment]
_head: Table = AuditHead.__table__  # type: ignore[assignment]
_objects: Table = AuditObject.__table__  # type: ignore[assignment]
_blobs: Table = AuditBlob.__table__  # type: ignore[assignment]


# Statements built once: constructing and cache-keying a statement per change costs more than running it.
_NEXT_SEQ = (
    update(_head).where(_head.c.id == 1).values(seq=_head.c.seq + 1).returning(_head.c.seq, _head.c.hash)
)
_SET_HEAD = update(_head).where(_head.c.id == 1).values(hash=bindparam("head_hash"))
_INSERT_ENTRY = insert(_entries)


@cache
def _upserts(dialect: str) -> tuple[Any, Any]:
    """(blob insert-if-absent, object-index upsert) in the dialect's own ON CONFLICT syntax."""
    if dialect == "postgresql":
        make = postgresql.insert
    elif dialect == "sqlite":
        make = sqlite.insert
    else:
        raise RuntimeError(f"the audit log supports SQLite and PostgreSQL, not {dialect}")
    blob = make(_blobs).on_conflict_do_nothing(index_elements=["digest"])
    objects = make(_objects)
    objects = objects.on_conflict_do_update(
        index_elements=["object_type", "object_id"],
        set_={
            "seq": objects.excluded.seq,
            "digest": objects.excluded.digest,
            # A tombstone keeps the owner and parent it had, for erasure and cascades.
            "owner_id": func.coalesce(objects.excluded.owner_id, _objects.c.owner_id),
            "parent": func.coalesce(objects.excluded.parent, _objects.c.parent),
        },
    )
    return blob, objects


def _dialect(session: Session) -> str:
    return session.connection().dialect.name


class AuditLog:
    """Appends one chain entry per audited change; owns the instance keys derived from the secret key."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.actor_key = derive_key(settings.secret_key, "actor")
        self.mac_key = derive_key(settings.secret_key, "mac")

    # -- writing ---------------------------------------------------------------------------------------

    def __call__(self, session: Session, change: Change) -> None:
        at = iso_utc(change.at) or ""
        kind = KINDS.get(change.object_type)
        deleting = change.action.endswith(".delete")
        obj = None if kind is None or deleting else kind.find(session, change.object_id)
        if kind is None or (obj is None and not deleting):
            # Not an object we can re-read (a token, a weave, an id we cannot resolve): the digest covers
            # the change's own state, and no row is checked against it.
            digest = digest_of({"action": change.action, "state": change.state})
            self.append(
                session, at, change.actor_id, change.action, change.object_type, change.object_id, digest
            )
            return
        self._record(session, at, change.actor_id, change.action, kind, change.object_id, obj)
        cascade = _CASCADES.get(change.action)
        if cascade is not None:
            for kind_name, object_id in cascade(session, change):
                self.reconcile(session, at, change.actor_id, change.action, KINDS[kind_name], object_id)
        if change.action == "user.delete":
            self._erase_snapshots(session, change.object_id)

    @staticmethod
    def _erase_snapshots(session: Session, user_public_id: str) -> None:
        """Account deletion keeps digests only: the person's stored snapshots go with the account."""
        owner = session.scalar(
            select(_objects.c.owner_id).where(
                _objects.c.object_type == "user", _objects.c.object_id == user_public_id
            )
        )
        if owner is not None:
            erase_snapshots_of(session, owner)

    def append(
        self,
        session: Session,
        at: str,
        actor_id: int | None,
        action: str,
        object_type: str,
        object_id: str,
        digest: str | None,
    ) -> int:
        """Append one entry; the UPDATE of the head row serialises writers, so seq is gap-free and unique."""
        head = session.connection().execute(_NEXT_SEQ).first()
        if head is None:  # a fresh (or truncated) database: the first entry creates the head
            seq, prev = 1, GENESIS
            session.connection().execute(insert(_head).values(id=1, seq=1, hash=GENESIS))
        else:
            seq, prev = head
        actor = actor_pseudonym(self.actor_key, actor_id)
        hash_hex = hash_entry(seq, at, actor, action, object_type, object_id, digest, prev)
        session.connection().execute(
            _INSERT_ENTRY,
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "digest": digest,
                "prev_hash": prev,
                "entry_hash": hash_hex,
                "mac": entry_mac(self.mac_key, hash_hex),
            },
        )
        session.connection().execute(_SET_HEAD, {"head_hash": hash_hex})
        return seq

    def _record(
        self,
        session: Session,
        at: str,
        actor_id: int | None,
        action: str,
        kind: Kind,
        object_id: str,
        obj: Any,
    ) -> int:
        blob_insert, object_upsert = _upserts(_dialect(session))
        owner: int | None = None
        parent: str | None = None
        digest: str | None = None
        if obj is not None:
            body = canonical(kind.snapshot(session, obj))
            digest = sha256_hex(body)
            owner = kind.owner(obj)
            parent = kind.parent(session, obj)
            if kind.restorable:
                session.connection().execute(
                    blob_insert,
                    {
                        "digest": digest,
                        "object_type": kind.name,
                        "object_id": object_id,
                        "owner_id": owner,
                        "body": body.decode(),
                    },
                )
        seq = self.append(session, at, actor_id, action, kind.name, object_id, digest)
        session.connection().execute(
            object_upsert,
            {
                "object_type": kind.name,
                "object_id": object_id,
                "seq": seq,
                "digest": digest,
                "owner_id": owner,
                "parent": parent,
            },
        )
        return seq

    def reconcile(
        self, session: Session, at: str, actor_id: int | None, action: str, kind: Kind, object_id: str
    ) -> int | None:
        """Append an entry for an object changed as a side effect, if it differs from its audited state."""
        obj = kind.find(session, object_id)
        current = None if obj is None else digest_of(kind.snapshot(session, obj))
        audited = session.execute(
            select(_objects.c.digest).where(
                _objects.c.object_type == kind.name, _objects.c.object_id == object_id
            )
        ).first()
        if audited is not None and audited[0] == current:
            return None
        if audited is None and obj is None:
            return None
        return self._record(session, at, actor_id, action, kind, object_id, obj)

    def baseline(self, session: Session) -> int:
        """Record every row the log has never seen (data from before the log was installed); returns how many.

        Run once when installing the log on an instance that already has data; it is idempotent.
        """
        at = iso_utc(utcnow()) or ""
        recorded = 0
        for kind in KINDS.values():
            known = set(
                session.scalars(select(_objects.c.object_id).where(_objects.c.object_type == kind.name))
            )
            missing = [public_id for public_id, _ in kind.load_all(session) if public_id not in known]
            for public_id in missing:
                obj = kind.find(session, public_id)
                if obj is not None:
                    self._record(session, at, None, "audit.baseline", kind, public_id, obj)
                    recorded += 1
        return recorded

    # -- registration ----------------------------------------------------------------------------------

    def install(self) -> AuditLog:
        events.on_change(self)
        return self

    def uninstall(self) -> None:
        events.remove_listener(self)


# -- cascades: objects that a change alters besides its own object -----------------------------------------

CascadeFinder = Callable[[Session, Change], Iterable[tuple[str, str]]]


def _dream_delete(session: Session, change: Change) -> Iterable[tuple[str, str]]:
    """delete_dream removes the dream's contributions in bulk before recording the change."""
    rows = session.execute(
        select(_objects.c.object_id).where(
            _objects.c.object_type == "contribution",
            _objects.c.parent == change.object_id,
            _objects.c.digest.is_not(None),
        )
    )
    return [("contribution", object_id) for (object_id,) in rows]


def _space_leave(session: Session, change: Change) -> Iterable[tuple[str, str]]:
    """leave_space withdraws the member's contributions to the space."""
    rows = session.scalars(
        select(Contribution.public_id)
        .join(Space, Space.id == Contribution.space_id)
        .where(Space.public_id == change.object_id, Contribution.contributor_id == change.actor_id)
    )
    return [("contribution", object_id) for object_id in rows]


def _weave_versions(session: Session, change: Change) -> Iterable[tuple[str, str]]:
    """Publishing (or an automatic revision) supersedes the previous version without a Change of its own."""
    space_id = select(SpaceWeave.space_id).where(SpaceWeave.public_id == change.object_id).scalar_subquery()
    rows = session.scalars(select(SpaceWeave.public_id).where(SpaceWeave.space_id == space_id))
    return [("weave", object_id) for object_id in rows if object_id != change.object_id]


def _user_delete(session: Session, change: Change) -> Iterable[tuple[str, str]]:
    """Account deletion: every audited object the user owned that no longer matches (usually: gone)."""
    owner = session.scalar(
        select(_objects.c.owner_id).where(
            _objects.c.object_type == "user", _objects.c.object_id == change.object_id
        )
    )
    if owner is None:
        return []
    # Also the weaves of the spaces deleted with the account, whoever made them (revisions have no author).
    owned_spaces = select(_objects.c.object_id).where(
        _objects.c.object_type == "space", _objects.c.owner_id == owner
    )
    rows = session.execute(
        select(_objects.c.object_type, _objects.c.object_id).where(
            _objects.c.object_type != "user",
            _objects.c.digest.is_not(None),
            (_objects.c.owner_id == owner)
            | ((_objects.c.object_type == "weave") & _objects.c.parent.in_(owned_spaces)),
        )
    )
    return [(kind, object_id) for kind, object_id in rows]


_CASCADES: dict[str, CascadeFinder] = {
    "dream.delete": _dream_delete,
    "space.leave": _space_leave,
    "user.delete": _user_delete,
    "weave.publish": _weave_versions,
    "weave.revise": _weave_versions,
}

# -- one log per process ---------------------------------------------------------------------------------

_installed: AuditLog | None = None


def install(settings: Settings) -> AuditLog:
    """Register the audit listener; installing again replaces the old one (never two entries a change)."""
    global _installed
    uninstall()
    _installed = AuditLog(settings).install()
    return _installed


def uninstall() -> None:
    global _installed
    if _installed is not None:
        _installed.uninstall()
        _installed = None


def installed() -> AuditLog | None:
    return _installed
