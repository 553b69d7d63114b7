"""Journal use cases. Every change goes through here: permission, ledger, change record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, delete, exists, func, select
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.analysis.language import detect_language
from dreamnexus.crypto.blind import tag_token
from dreamnexus.db.base import utcnow
from dreamnexus.errors import NotFound
from dreamnexus.events import Change, record_change
from dreamnexus.journal import search
from dreamnexus.journal.models import AnalysisStatus, Consent, ConsentEvent, Dream, DreamTag, Visibility
from dreamnexus.journal.pseudonyms import new_pseudonym
from dreamnexus.journal.schemas import DreamCreate, DreamFilters, DreamUpdate


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
    dream = Dream(
        owner_id=owner.id,
        title=data.title,
        text=data.text,
        dreamt_on=data.dreamt_on or utcnow().date(),
        lucid=data.lucid,
        mood=data.mood,
        language=language,
        language_is_set=data.language is not None,
        visibility=data.visibility.value,
        pseudonym=new_pseudonym(),
        analysis_status=AnalysisStatus.pending.value,
        tags=[DreamTag.of(t) for t in data.tags],
    )
    for consent in Consent:
        setattr(dream, f"consent_{consent.value}", getattr(data.consents, consent.value))
    session.add(dream)
    session.flush()
    if dream.visibility != Visibility.private.value:
        _ledger(session, dream, owner, "visibility", dream.visibility)
    for consent, granted in dream.consents().items():
        if granted:
            _ledger(session, dream, owner, consent, "granted")
    search.index_dream(session, dream)
    record_change(session, Change("dream.create", "dream", dream.public_id, owner.id, _state(dream)))
    return dream


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
    session.flush()
    search.index_dream(session, dream)
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
class Page:
    items: list[Dream]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _journal_query(session: Session, owner: User, filters: DreamFilters) -> Select:
    statement = select(Dream).where(Dream.owner_id == owner.id)
    if filters.tag:
        tag = filters.tag.strip().lower()
        statement = statement.where(
            exists().where(DreamTag.dream_id == Dream.id, DreamTag.tag_key == tag_token(tag))
        )
    if filters.date_from:
        statement = statement.where(Dream.dreamt_on >= filters.date_from)
    if filters.date_to:
        statement = statement.where(Dream.dreamt_on <= filters.date_to)
    if filters.q:
        statement = search.restrict_to_matches(session, statement, filters.q)
    return statement


def list_dreams(session: Session, owner: User, filters: DreamFilters) -> Page:
    statement = _journal_query(session, owner, filters)
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
