"""Journal routes under /api/v1/dreams."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from sqlalchemy.orm import Session

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts.models import User
from dreamnexus.errors import NotAuthenticated
from dreamnexus.journal import access, listing, service
from dreamnexus.journal.models import ConsentEvent, Dream
from dreamnexus.journal.schemas import DreamCreate, DreamFilters, DreamUpdate, JournalQuery
from dreamnexus.web.deps import (
    api_write,
    authenticate,
    bearer_token,
    get_db,
    optional_user,
    require_user,
)

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


# The two busiest routes. web/hotpath.py answers them in production with the same two functions below
# (create_dream_json, journal_json), without FastAPI's per-request machinery; whatever it cannot answer
# plainly comes here. These routes are the reference and the OpenAPI description of both.


@router.post("/dreams", status_code=201, response_model=DreamOut, summary="Write a dream")
async def create_dream(request: Request, body: DreamCreate) -> Response:
    created = await run_in_threadpool(create_dream_json, request, body)
    return Response(created, status_code=201, media_type="application/json")


def create_dream_json(request: Request, body: DreamCreate) -> bytes:
    """The guards, the write and the commit in one thread hop rather than one per dependency, and the
    answer serialised once (returned as a model, FastAPI would validate it again)."""
    with request.app.state.db.session() as session:
        user = api_write(request, authenticate(request, session))
        dream = service.create_dream(session, user, body)
        session.commit()  # before the response exists: success is never answered for a lost write
        return DreamOut.of(dream, user).model_dump_json().encode()


@router.get("/dreams", response_model=DreamList, summary="My dreams, filtered and paginated")
async def list_dreams(request: Request, query: Annotated[JournalQuery, Query()]) -> Response:
    body = await run_in_threadpool(journal_json, request, query.filters())
    return Response(body, media_type="application/json")


def journal_json(request: Request, filters: DreamFilters) -> bytes:
    """Authentication, query and serialisation in one thread hop instead of one per dependency, rows as
    plain dicts (listing.py), and no second validation against response_model. An API token's holder is
    looked up on a bare connection: a read of one's own journal needs neither a session nor a User object
    (authenticate() would add nothing for a bearer read: suspension and 2FA set-up stop only changes and
    browser sessions)."""
    database = request.app.state.db
    if (token := bearer_token(request)) is not None:
        with database.reading_connection() as connection:
            owner_id = accounts.user_id_for_api_token(connection, token)
            if owner_id is None:
                raise NotAuthenticated("The API token is not valid or was revoked.")
            page = listing.journal_page(connection, owner_id, filters)
    else:
        with database.reading() as session:
            user = require_user(authenticate(request, session))
            page = listing.journal_page(session.connection(), user.id, filters)
    return listing.page_json(page)


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
