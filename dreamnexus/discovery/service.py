"""Discovery use cases: resonant dreams, semantic search, and exchange rounds.

Every result passes through the journal's visibility rule in SQL after the index proposes it, so the
index can never leak a dream its viewer may not read.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from dreamnexus.accounts.models import User
from dreamnexus.discovery.features import dream_features
from dreamnexus.discovery.index import DreamIndex
from dreamnexus.discovery.models import (
    ExchangeBlock,
    ExchangeOptIn,
    ExchangePair,
    ExchangeReply,
    ExchangeRound,
)
from dreamnexus.errors import Conflict, InvalidInput, NotFound
from dreamnexus.events import Change, record_change
from dreamnexus.journal import access, search
from dreamnexus.journal.models import AnalysisStatus, Dream
from dreamnexus.journal.service import own_dream
from dreamnexus.mydata.access_log import note_access
from dreamnexus.resonance.exchange import Participant, exchange_round
from dreamnexus.resonance.fusion import reciprocal_rank_fusion
from dreamnexus.resonance.resonant import Resonance, resonant_dreams

MAX_K = 50
REPLY_MAX = 1000


@dataclass(frozen=True)
class Found:
    dream: Dream
    resonance: Resonance


def _visible_ids(session: Session, viewer: User | None, ids: list[int], *, exclude_owner: bool) -> set[int]:
    if not ids:
        return set()
    statement = select(Dream.id).where(Dream.id.in_(ids), access.visible_condition(viewer))
    if exclude_owner and viewer is not None:
        statement = statement.where(Dream.owner_id != viewer.id)
    return set(session.scalars(statement))


def resonant_for(
    session: Session,
    index: DreamIndex,
    viewer: User,
    dream_public_id: str,
    *,
    k: int = 10,
    bridge: bool = False,
) -> list[Found]:
    """The k dreams by others, that the viewer may read, which resonate most with one of the viewer's."""
    if not 1 <= k <= MAX_K:
        raise InvalidInput(f"k must be between 1 and {MAX_K}")
    dream = access.visible_dream(session, viewer, dream_public_id)
    query = dream_features(dream.id, dream.language, dream.analysis)
    if query is None:
        raise Conflict("This dream is still being analysed; try again in a moment.")
    index.refresh(session)
    depth = max(200, k * (50 if bridge else 20))
    proposed = [i for i, _ in index.nearest(query.vector, depth) if i != dream.id]
    allowed = _visible_ids(session, viewer, proposed, exclude_owner=True)
    candidates = [index.features[i] for i in proposed if i in allowed and i in index.features]
    ranked = resonant_dreams(query, candidates, k, bridge=bridge)
    rows = {d.id: d for d in session.scalars(select(Dream).where(Dream.id.in_([r.id for r in ranked])))}
    return [Found(rows[int(r.id)], r) for r in ranked if int(r.id) in rows]


def semantic_search(
    session: Session, index: DreamIndex, viewer: User | None, query: str, *, k: int = 20
) -> list[Dream]:
    """Dreams the viewer may read, ranked by meaning and by words together (reciprocal rank fusion)."""
    from dreamnexus.analysis.embedding import default_embedder

    query = " ".join((query or "").split())
    if not 1 <= len(query) <= 200:
        raise InvalidInput("Search for 1 to 200 characters.")
    if not 1 <= k <= MAX_K:
        raise InvalidInput(f"k must be between 1 and {MAX_K}")
    index.refresh(session)
    vector = default_embedder().embed([query])[0]
    semantic: list[Hashable] = []
    if float((vector**2).sum()) > 0:
        proposed = [i for i, _ in index.nearest(vector, 200)]
        allowed = _visible_ids(session, viewer, proposed, exclude_owner=False)
        semantic = [i for i in proposed if i in allowed]
    words = search.restrict_to_matches(
        session, select(Dream.id).where(access.visible_condition(viewer)), query
    )
    textual = (
        list(session.scalars(words.order_by(Dream.dreamt_on.desc()).limit(200)))
        if search.fts_terms(query)
        else []
    )
    fused = reciprocal_rank_fusion([semantic, textual], limit=k)
    ids = [int(i) for i, _ in fused]
    rows = {d.id: d for d in session.scalars(select(Dream).where(Dream.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


# Exchange ---------------------------------------------------------------------------------------------


def opt_in(session: Session, user: User, dream_public_id: str) -> ExchangeOptIn:
    dream = own_dream(session, user, dream_public_id)
    if not dream.consent_exchange:
        raise InvalidInput("Allow this dream to be exchanged first (its exchange consent is off).")
    if dream.analysis_status != AnalysisStatus.done.value:
        raise Conflict("This dream is still being analysed; try again in a moment.")
    session.execute(update(ExchangeOptIn).where(ExchangeOptIn.user_id == user.id).values(active=False))
    entry = ExchangeOptIn(user_id=user.id, dream_id=dream.id, active=True)
    session.add(entry)
    session.flush()
    record_change(session, Change("exchange.opt_in", "dream", dream.public_id, user.id))
    return entry


def opt_out(session: Session, user: User) -> None:
    session.execute(update(ExchangeOptIn).where(ExchangeOptIn.user_id == user.id).values(active=False))
    record_change(session, Change("exchange.opt_out", "user", user.public_id, user.id))


def current_opt_in(session: Session, user: User) -> Dream | None:
    return session.scalar(
        select(Dream)
        .join(ExchangeOptIn, ExchangeOptIn.dream_id == Dream.id)
        .where(ExchangeOptIn.user_id == user.id, ExchangeOptIn.active.is_(True))
    )


def run_round(session: Session) -> ExchangeRound:
    """Pair everyone who opted in (with a dream that still consents), fairly; consume the matched opt-ins."""
    rows = session.execute(
        select(ExchangeOptIn, Dream)
        .join(Dream, Dream.id == ExchangeOptIn.dream_id)
        .where(
            ExchangeOptIn.active.is_(True),
            Dream.consent_exchange.is_(True),
            Dream.analysis_status == AnalysisStatus.done.value,
        )
        .order_by(ExchangeOptIn.user_id)
    ).all()
    participants, dream_of = [], {}
    for entry, dream in rows:
        features = dream_features(dream.id, dream.language, dream.analysis)
        if features is not None and entry.user_id not in dream_of:
            participants.append(Participant(dreamer=entry.user_id, dream=features))
            dream_of[entry.user_id] = dream.id
    users = list(dream_of)
    blocks = session.execute(
        select(ExchangeBlock.user_id, ExchangeBlock.blocked_user_id).where(
            or_(ExchangeBlock.user_id.in_(users), ExchangeBlock.blocked_user_id.in_(users))
        )
    ).all()
    previous = session.execute(
        select(ExchangePair.a_user_id, ExchangePair.b_user_id).where(
            or_(ExchangePair.a_user_id.in_(users), ExchangePair.b_user_id.in_(users))
        )
    ).all()
    result = exchange_round(participants, forbidden=blocks, previous_pairs=previous)
    round_row = ExchangeRound(
        participants=len(participants),
        links=len(result.links),
        unmatched=len(result.unmatched),
        worst_quality=result.worst_quality if result.links else None,
        mean_quality=result.mean_quality if result.links else None,
    )
    session.add(round_row)
    session.flush()
    matched: set[int] = set()
    for kind, links in (("pair", result.pairs), ("extra", result.extras)):
        for link in links:
            a, b = int(link.a), int(link.b)
            for giver in (a, b):
                note_access(
                    session, dream_id=dream_of[giver], owner_id=giver, kind="exchanged", context="exchange"
                )
            session.add(
                ExchangePair(
                    round_id=round_row.id,
                    a_user_id=a,
                    a_dream_id=dream_of[a],
                    b_user_id=b,
                    b_dream_id=dream_of[b],
                    quality=float(link.quality),
                    kind=kind,
                )
            )
            matched |= {a, b}
    if matched:
        session.execute(
            update(ExchangeOptIn)
            .where(ExchangeOptIn.user_id.in_(matched), ExchangeOptIn.active.is_(True))
            .values(active=False)
        )
    record_change(
        session,
        Change(
            "exchange.round",
            "exchange_round",
            round_row.public_id,
            None,
            {"participants": len(participants), "links": len(result.links)},
        ),
    )
    return round_row


@dataclass(frozen=True)
class ExchangeView:
    pair: ExchangePair
    received: Dream | None  # None when the partner withdrew consent or deleted the dream
    sent: Dream | None
    replies: list[ExchangeReply]
    my_reply_sent: bool


def _pair_for(session: Session, user: User, pair_public_id: str) -> ExchangePair:
    pair = session.scalar(select(ExchangePair).where(ExchangePair.public_id == pair_public_id))
    if pair is None or user.id not in (pair.a_user_id, pair.b_user_id):
        raise NotFound("No such exchange.")
    return pair


def _view(session: Session, user: User, pair: ExchangePair) -> ExchangeView:
    mine_a = pair.a_user_id == user.id
    received_id, sent_id = (
        (pair.b_dream_id, pair.a_dream_id) if mine_a else (pair.a_dream_id, pair.b_dream_id)
    )
    received = session.get(Dream, received_id) if received_id else None
    if received is not None and not received.consent_exchange:
        received = None
    sent = session.get(Dream, sent_id) if sent_id else None
    replies = list(
        session.scalars(
            select(ExchangeReply).where(ExchangeReply.pair_id == pair.id).order_by(ExchangeReply.created_at)
        )
    )
    return ExchangeView(pair, received, sent, replies, any(r.author_id == user.id for r in replies))


def my_exchanges(session: Session, user: User) -> list[ExchangeView]:
    pairs = session.scalars(
        select(ExchangePair)
        .where(or_(ExchangePair.a_user_id == user.id, ExchangePair.b_user_id == user.id))
        .order_by(ExchangePair.id.desc())
    )
    return [_view(session, user, p) for p in pairs]


def get_exchange(session: Session, user: User, pair_public_id: str) -> ExchangeView:
    return _view(session, user, _pair_for(session, user, pair_public_id))


def reply(session: Session, user: User, pair_public_id: str, text: str) -> ExchangeReply:
    pair = _pair_for(session, user, pair_public_id)
    text = (text or "").strip()
    if not 1 <= len(text) <= REPLY_MAX:
        raise InvalidInput(f"A reply has 1 to {REPLY_MAX} characters.", errors=[{"field": "text"}])
    partner = pair.b_user_id if pair.a_user_id == user.id else pair.a_user_id
    if session.scalar(
        select(ExchangeBlock.id).where(
            ExchangeBlock.user_id == partner, ExchangeBlock.blocked_user_id == user.id
        )
    ):
        raise Conflict("This exchange is closed.")
    if session.scalar(
        select(ExchangeReply.id).where(ExchangeReply.pair_id == pair.id, ExchangeReply.author_id == user.id)
    ):
        raise Conflict("You have already replied in this exchange.")
    entry = ExchangeReply(pair_id=pair.id, author_id=user.id, text=text)
    session.add(entry)
    session.flush()
    record_change(session, Change("exchange.reply", "exchange_pair", pair.public_id, user.id))
    return entry


def block_partner(session: Session, user: User, pair_public_id: str) -> None:
    pair = _pair_for(session, user, pair_public_id)
    partner = pair.b_user_id if pair.a_user_id == user.id else pair.a_user_id
    exists = session.scalar(
        select(ExchangeBlock.id).where(
            ExchangeBlock.user_id == user.id, ExchangeBlock.blocked_user_id == partner
        )
    )
    if exists is None:
        session.add(ExchangeBlock(user_id=user.id, blocked_user_id=partner))
        record_change(session, Change("exchange.block", "exchange_pair", pair.public_id, user.id))
