"""Journal use cases. Every change goes through here: permission, ledger, change record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Date, Select, bindparam, delete, exists, func, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from dreamnexus.accounts.models import User
from dreamnexus.analysis.language import detect_language
from dreamnexus.crypto.blind import tag_token
from dreamnexus.db.base import new_public_id, utcnow
from dreamnexus.errors import NotFound
from dreamnexus.events import Change, record_change
from dreamnexus.journal import search
from dreamnexus.journal.models import AnalysisStatus, Consent, ConsentEvent, Dream, DreamTag, Visibility
from dreamnexus.journal.pseudonyms import new_pseudonym
from dreamnexus.journal.schemas import DreamCreate, DreamFilters, DreamUpdate

Item = TypeVar("Item")


def _state(dream: Dream) -> dict[str, object]:
    return {
        "visibility": dream.visibility,
        "consents": dream.consents(),
        "text_revision": dream.text_revision,
    }


def _ledger(session: Session, dream: Dream, actor: User, kind: str, value: str) -> None:
    session.add(
        ConsentEvent(
            dream_public_id=dream.public_id,
            owner_id=dream.owner_id,
            actor_id=actor.id,
            kind=kind,
            value=value,
        )
    )


def create_dream(session: Session, owner: User, data: DreamCreate) -> Dream:
    language = data.language or detect_language(data.text)
    now = utcnow()
    dream = Dream(
        public_id=new_public_id(),
        owner_id=owner.id,
        title=data.title,
        text=data.text,
        dreamt_on=data.dreamt_on or now.date(),
        lucid=data.lucid,
        mood=data.mood,
        language=language,
        language_is_set=data.language is not None,
        visibility=data.visibility.value,
        pseudonym=new_pseudonym(),
        analysis_status=AnalysisStatus.pending.value,
        analysis_version=None,
        analysis=None,  # set, so that reading it back needs no query for the deferred column
        analysis_error=None,
        text_revision=1,
        created_at=now,
        updated_at=now,
    )
    for consent in Consent:
        setattr(dream, f"consent_{consent.value}", getattr(data.consents, consent.value))
    tags = [DreamTag.of(t) for t in data.tags]
    set_committed_value(dream, "tags", tags)
    search.refresh_tokens(dream)  # before the first write, outside the writers' turn (search.write_index_row)
    _write_new(session, dream, tags)
    if dream.visibility != Visibility.private.value:
        _ledger(session, dream, owner, "visibility", dream.visibility)
    for consent, granted in dream.consents().items():
        if granted:
            _ledger(session, dream, owner, consent, "granted")
    search.write_index_row(session, dream)
    record_change(session, Change("dream.create", "dream", dream.public_id, owner.id, _state(dream)))
    return dream


_DREAMS = Dream.__table__
_TAGS = DreamTag.__table__
_INSERT_DREAM = insert(_DREAMS).returning(_DREAMS.c.id)
_INSERT_TAGS = insert(_TAGS).returning(_TAGS.c.id, sort_by_parameter_order=True)


def _write_new(session: Session, dream: Dream, tags: list[DreamTag]) -> None:
    """A new dream and its tags written by two Core statements, then attached to the session as if
    loaded from it. The ORM's flush of one new object with its collection cost about twice as much as
    the statements, most of it after the first write, while SQLite's writers wait (docs/performance.md).
    A column the dream does not set is left to its default, and loaded when first read."""
    values = {c.key: dream.__dict__[c.key] for c in _DREAMS.columns if c.key in dream.__dict__}
    connection = session.connection()
    dream.id = connection.execute(_INSERT_DREAM, values).scalar_one()
    if tags:
        rows = [{"dream_id": dream.id, "tag": t.tag, "tag_key": t.tag_key} for t in tags]
        for tag, tag_id in zip(tags, connection.execute(_INSERT_TAGS, rows).scalars(), strict=True):
            tag.id, tag.dream_id = tag_id, dream.id
            make_transient_to_detached(tag)
    make_transient_to_detached(dream)
    session.add(dream)  # its loaded tags come along (save-update cascade)


def own_dream(session: Session, owner: User, public_id: str) -> Dream:
    """The owner's dream; anyone else gets the same NotFound as for a dream that does not exist."""
    dream = session.scalar(select(Dream).where(Dream.public_id == public_id))
    if dream is None or dream.owner_id != owner.id:
        raise NotFound("No such dream in your journal.")
    return dream


def update_dream(session: Session, owner: User, public_id: str, data: DreamUpdate) -> Dream:
    dream = own_dream(session, owner, public_id)
    fields = data.model_fields_set
    if "text" in fields and data.text is not None and data.text != dream.text:
        dream.text = data.text
        dream.text_revision += 1
        dream.analysis_status = AnalysisStatus.pending.value
        if not dream.language_is_set:
            dream.language = detect_language(data.text)
    if "title" in fields and data.title is not None:
        dream.title = data.title
    if "dreamt_on" in fields and data.dreamt_on is not None:
        dream.dreamt_on = data.dreamt_on
    if "lucid" in fields and data.lucid is not None:
        dream.lucid = data.lucid
    if "mood" in fields:
        dream.mood = data.mood
    if "language" in fields:
        dream.language_is_set = data.language is not None
        dream.language = data.language or detect_language(dream.text)
    if "tags" in fields and data.tags is not None:
        dream.tags = [DreamTag.of(t) for t in data.tags]
    if "visibility" in fields and data.visibility is not None and data.visibility.value != dream.visibility:
        dream.visibility = data.visibility.value
        _ledger(session, dream, owner, "visibility", dream.visibility)
    if data.consents is not None:
        for consent, value in data.consents.model_dump(exclude_none=True).items():
            if bool(getattr(dream, f"consent_{consent}")) != value:
                setattr(dream, f"consent_{consent}", value)
                _ledger(session, dream, owner, consent, "granted" if value else "revoked")
    dream.updated_at = utcnow()
    search.refresh_tokens(dream)  # before the first write, outside the writers' turn (search.write_index_row)
    session.flush()
    search.write_index_row(session, dream)
    record_change(session, Change("dream.update", "dream", dream.public_id, owner.id, _state(dream)))
    return dream


def delete_dream(session: Session, owner: User, public_id: str) -> None:
    from dreamnexus.spaces.models import Contribution

    dream = own_dream(session, owner, public_id)
    session.execute(delete(Contribution).where(Contribution.dream_id == dream.id))
    search.unindex_dream(session, dream.id)
    _ledger(session, dream, owner, "deletion", "deleted")
    record_change(session, Change("dream.delete", "dream", dream.public_id, owner.id, {"deleted": True}))
    session.delete(dream)


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page of a journal: `Dream` objects for the pages, plain rows for the API (listing.py)."""

    items: list[Item]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class JournalFilter:
    """The journal's filters as the shape of a statement (which conditions it has) and the values of its
    parameters. Statements depend on the shape only, so the API's read path builds each shape once."""

    dialect: str
    shape: tuple[bool, ...]  # tag, from, to, full text
    values: dict[str, Any]

    @classmethod
    def of(cls, dialect: str, owner_id: int, filters: DreamFilters) -> JournalFilter:
        values: dict[str, Any] = {"owner_id": owner_id}
        if filters.tag:
            values["tag_key"] = tag_token(filters.tag.strip().lower())
        if filters.date_from:
            values["date_from"] = filters.date_from
        if filters.date_to:
            values["date_to"] = filters.date_to
        if filters.q and (terms := search.fts_query(dialect, filters.q)) is not None:
            values["fts_query"] = terms
        shape = tuple(name in values for name in ("tag_key", "date_from", "date_to", "fts_query"))
        return cls(dialect, shape, values)

    def conditions(self) -> list[ColumnElement[bool]]:
        return self.conditions_of(self.dialect, self.shape)

    @staticmethod
    def conditions_of(dialect: str, shape: tuple[bool, ...]) -> list[ColumnElement[bool]]:
        """Conditions on the dreams table's columns (not the ORM's), so that a Core select stays Core."""
        dreams, tags = Dream.__table__.c, DreamTag.__table__.c
        by_tag, date_from, date_to, full_text = shape
        conditions: list[ColumnElement[bool]] = [dreams.owner_id == bindparam("owner_id")]
        if by_tag:
            tagged = exists().where(tags.dream_id == dreams.id, tags.tag_key == bindparam("tag_key"))
            conditions.append(tagged)
        if date_from:
            conditions.append(dreams.dreamt_on >= bindparam("date_from", type_=Date))
        if date_to:
            conditions.append(dreams.dreamt_on <= bindparam("date_to", type_=Date))
        if full_text:
            conditions.append(search.match_condition(dialect))
        return conditions


def journal_query(session: Session, owner: User, filters: DreamFilters) -> Select:
    """The owner's dreams that match the filters, as `Dream` objects."""
    journal = JournalFilter.of(session.get_bind().dialect.name, owner.id, filters)
    return select(Dream).where(*journal.conditions()).params(**journal.values)


def list_dreams(session: Session, owner: User, filters: DreamFilters) -> Page[Dream]:
    statement = journal_query(session, owner, filters)
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = session.scalars(
        statement.order_by(Dream.dreamt_on.desc(), Dream.id.desc())
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return Page(list(rows), total, filters.page, filters.per_page)


def consent_ledger(session: Session, owner: User, dream_public_id: str | None = None) -> list[ConsentEvent]:
    statement = select(ConsentEvent).where(ConsentEvent.owner_id == owner.id)
    if dream_public_id:
        statement = statement.where(ConsentEvent.dream_public_id == dream_public_id)
    return list(session.scalars(statement.order_by(ConsentEvent.at.desc(), ConsentEvent.id.desc())))


def dreams_since(session: Session, owner: User, since: date | None = None) -> list[Dream]:
    statement = select(Dream).where(Dream.owner_id == owner.id)
    if since:
        statement = statement.where(Dream.dreamt_on >= since)
    return list(session.scalars(statement.order_by(Dream.dreamt_on, Dream.id)))
