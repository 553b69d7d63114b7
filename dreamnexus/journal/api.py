"""Journal routes under /api/v1/dreams."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.journal import access, service
from dreamnexus.journal.models import ConsentEvent, Dream
from dreamnexus.journal.schemas import DreamCreate, DreamFilters, DreamUpdate
from dreamnexus.web.deps import api_write, get_db, optional_user, require_user

router = APIRouter(prefix="/api/v1", tags=["journal"])


class DreamOut(BaseModel):
    """A dream as its owner sees it; others get the same shape with owner-only fields left empty. Lists
    leave out the analysis (it carries an embedding); GET /api/v1/dreams/{id} has it."""

    id: str
    title: str
    text: str
    dreamt_on: date
    tags: list[str]
    lucid: bool
    mood: int | None
    language: str
    author: str
    is_mine: bool
    visibility: str | None = None
    consents: dict[str, bool] | None = None
    analysis_status: str | None = None
    analysis: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def of(cls, dream: Dream, viewer: User | None, *, with_analysis: bool = True) -> DreamOut:
        mine = viewer is not None and dream.owner_id == viewer.id
        return cls(
            id=dream.public_id,
            title=dream.title,
            text=dream.text,
            dreamt_on=dream.dreamt_on,
            tags=dream.tag_names,
            lucid=dream.lucid,
            mood=dream.mood,
            language=dream.language,
            author=access.author_label(dream, viewer),
            is_mine=mine,
            visibility=dream.visibility if mine else None,
            consents=dream.consents() if mine else None,
            analysis_status=dream.analysis_status if mine else None,
            analysis=dream.analysis if mine and with_analysis else None,
            created_at=dream.created_at if mine else None,
            updated_at=dream.updated_at if mine else None,
        )


class DreamList(BaseModel):
    items: list[DreamOut]
    total: int
    page: int
    per_page: int
    pages: int


class ConsentEventOut(BaseModel):
    dream_id: str
    kind: str
    value: str
    at: datetime

    @classmethod
    def of(cls, event: ConsentEvent) -> ConsentEventOut:
        return cls(dream_id=event.dream_public_id, kind=event.kind, value=event.value, at=event.at)


@router.post("/dreams", status_code=201, response_model=DreamOut, summary="Write a dream")
def create_dream(
    body: DreamCreate, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> DreamOut:
    dream = service.create_dream(db, user, body)
    db.commit()  # here, so that SQLite's write lock is not held while the response is made
    return DreamOut.of(dream, user)


@router.get("/dreams", response_model=DreamList, summary="My dreams, filtered and paginated")
def list_dreams(
    tag: str | None = Query(default=None, max_length=40),
    date_from: date | None = Query(default=None, alias="from"),
    date_to: date | None = Query(default=None, alias="to"),
    q: str | None = Query(default=None, max_length=200, description="full-text search"),
    page: int = Query(default=1, ge=1, le=100_000),
    per_page: int = Query(default=20, ge=1, le=100),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    filters = DreamFilters(tag=tag, date_from=date_from, date_to=date_to, q=q, page=page, per_page=per_page)
    result = service.list_dreams(db, user, filters)
    listing = DreamList(
        items=[DreamOut.of(d, user, with_analysis=False) for d in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
    )
    # Serialised here: returned as a model, FastAPI would validate it again in one more thread hop.
    return Response(listing.model_dump_json(), media_type="application/json")


@router.get("/dreams/{dream_id}", response_model=DreamOut, summary="One dream I may see")
def get_dream(
    dream_id: str, user: User | None = Depends(optional_user), db: Session = Depends(get_db, scope="function")
) -> DreamOut:
    return DreamOut.of(access.read_dream(db, user, dream_id), user)


@router.patch("/dreams/{dream_id}", response_model=DreamOut, summary="Edit my dream")
def update_dream(
    dream_id: str,
    body: DreamUpdate,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> DreamOut:
    return DreamOut.of(service.update_dream(db, user, dream_id, body), user)


@router.delete("/dreams/{dream_id}", status_code=204, summary="Delete my dream")
def delete_dream(
    dream_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> Response:
    service.delete_dream(db, user, dream_id)
    return Response(status_code=204)


@router.get("/consents", response_model=list[ConsentEventOut], summary="My consent ledger")
def consent_ledger(
    dream_id: str | None = Query(default=None, max_length=32),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> list[ConsentEventOut]:
    return [ConsentEventOut.of(e) for e in service.consent_ledger(db, user, dream_id)]
