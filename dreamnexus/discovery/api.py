"""Discovery routes under /api/v1: resonant dreams, semantic search, dream exchange."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import Role, User
from dreamnexus.discovery import service
from dreamnexus.errors import PermissionDenied
from dreamnexus.journal.api import DreamOut
from dreamnexus.web.deps import api_write, get_db, optional_user, require_user

router = APIRouter(prefix="/api/v1", tags=["discovery"])


class WhyOut(BaseModel):
    shared_themes: list[str]
    shared_emotions: list[str]
    shared_symbols: list[str]
    emotional_core: float
    crosses_language: bool
    crosses_group: bool


class ResonantOut(BaseModel):
    dream: DreamOut
    score: float
    similarity: float
    why: WhyOut


class OptInIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dream_id: str = Field(min_length=1, max_length=32)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=service.REPLY_MAX)


class ReplyOut(BaseModel):
    mine: bool
    text: str
    created_at: datetime


class ExchangeOut(BaseModel):
    id: str
    quality: float
    received: DreamOut | None
    sent_dream_id: str | None
    replies: list[ReplyOut]


class ExchangeStatus(BaseModel):
    opted_in_dream_id: str | None
    exchanges: list[ExchangeOut]


class RoundOut(BaseModel):
    id: str
    participants: int
    links: int
    unmatched: int
    worst_quality: float | None
    mean_quality: float | None


def _exchange_out(view: service.ExchangeView, user: User) -> ExchangeOut:
    return ExchangeOut(
        id=view.pair.public_id,
        quality=round(view.pair.quality, 4),
        received=DreamOut.of(view.received, user) if view.received else None,
        sent_dream_id=view.sent.public_id if view.sent else None,
        replies=[
            ReplyOut(mine=r.author_id == user.id, text=r.text, created_at=r.created_at) for r in view.replies
        ],
    )


@router.get(
    "/dreams/{dream_id}/resonant", response_model=list[ResonantOut], summary="Dreams by others that resonate"
)
def resonant(
    dream_id: str,
    request: Request,
    k: int = Query(default=10, ge=1, le=service.MAX_K),
    bridge: bool = Query(
        default=False, description="prefer other languages and groups with the same emotional core"
    ),
    user: User = Depends(require_user),
    db: Session = Depends(get_db, scope="function"),
) -> list[ResonantOut]:
    found = service.resonant_for(db, request.app.state.dream_index, user, dream_id, k=k, bridge=bridge)
    return [
        ResonantOut(
            dream=DreamOut.of(f.dream, user),
            score=round(f.resonance.score, 4),
            similarity=round(f.resonance.similarity, 4),
            why=WhyOut(
                shared_themes=list(f.resonance.why.shared_themes),
                shared_emotions=list(f.resonance.why.shared_emotions),
                shared_symbols=list(f.resonance.why.shared_symbols),
                emotional_core=round(f.resonance.why.emotional_core, 4),
                crosses_language=f.resonance.why.crosses_language,
                crosses_group=f.resonance.why.crosses_group,
            ),
        )
        for f in found
    ]


@router.get(
    "/search", response_model=list[DreamOut], summary="Semantic and full-text search over dreams I may see"
)
def search(
    request: Request,
    q: str = Query(min_length=1, max_length=200),
    k: int = Query(default=20, ge=1, le=service.MAX_K),
    user: User | None = Depends(optional_user),
    db: Session = Depends(get_db, scope="function"),
) -> list[DreamOut]:
    return [
        DreamOut.of(d, user) for d in service.semantic_search(db, request.app.state.dream_index, user, q, k=k)
    ]


@router.get("/exchange", response_model=ExchangeStatus, summary="My dream exchanges")
def exchange_status(
    user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> ExchangeStatus:
    current = service.current_opt_in(db, user)
    return ExchangeStatus(
        opted_in_dream_id=current.public_id if current else None,
        exchanges=[_exchange_out(v, user) for v in service.my_exchanges(db, user)],
    )


@router.post(
    "/exchange/opt-in", response_model=ExchangeStatus, summary="Offer one of my dreams to the next round"
)
def opt_in(
    body: OptInIn, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> ExchangeStatus:
    service.opt_in(db, user, body.dream_id)
    return exchange_status(user, db)


@router.post("/exchange/opt-out", response_model=ExchangeStatus, summary="Leave the next round")
def opt_out(
    user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> ExchangeStatus:
    service.opt_out(db, user)
    return exchange_status(user, db)


@router.get("/exchange/{exchange_id}", response_model=ExchangeOut, summary="One of my exchanges")
def get_exchange(
    exchange_id: str, user: User = Depends(require_user), db: Session = Depends(get_db, scope="function")
) -> ExchangeOut:
    return _exchange_out(service.get_exchange(db, user, exchange_id), user)


@router.post(
    "/exchange/{exchange_id}/reply", status_code=201, response_model=ExchangeOut, summary="Send a short reply"
)
def reply(
    exchange_id: str,
    body: ReplyIn,
    user: User = Depends(api_write),
    db: Session = Depends(get_db, scope="function"),
) -> ExchangeOut:
    service.reply(db, user, exchange_id, body.text)
    return _exchange_out(service.get_exchange(db, user, exchange_id), user)


@router.post(
    "/exchange/{exchange_id}/block", status_code=204, summary="Never be paired with this dreamer again"
)
def block(
    exchange_id: str, user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")
) -> None:
    service.block_partner(db, user, exchange_id)


@router.post(
    "/exchange/rounds",
    status_code=201,
    response_model=RoundOut,
    summary="Run an exchange round now (stewards)",
)
def run_round(user: User = Depends(api_write), db: Session = Depends(get_db, scope="function")) -> RoundOut:
    if not user.has_role(Role.steward):
        raise PermissionDenied("Only stewards run exchange rounds by hand.")
    row = service.run_round(db)
    return RoundOut(
        id=row.public_id,
        participants=row.participants,
        links=row.links,
        unmatched=row.unmatched,
        worst_quality=row.worst_quality,
        mean_quality=row.mean_quality,
    )
