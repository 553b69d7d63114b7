"""Resonant dreams, search and exchanges: only what the viewer may read, from the moment it changes."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import update

from dreamnexus.db.engine import Database
from dreamnexus.discovery import service
from dreamnexus.discovery.index import DreamIndex
from dreamnexus.discovery.models import ExchangePair
from dreamnexus.errors import Conflict, InvalidInput, NotFound
from dreamnexus.journal import access
from dreamnexus.journal import service as journal
from dreamnexus.journal.models import Dream
from dreamnexus.journal.schemas import Consents, DreamCreate, DreamUpdate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate

DIM = 16


def _vector(seed: int, base: np.ndarray | None = None, noise: float = 0.05) -> list[float]:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=DIM) if base is None else base + noise * rng.normal(size=DIM)
    return [float(x) for x in v / np.linalg.norm(v)]


def _analysed(
    session,
    owner,
    text: str,
    vector: list[float],
    *,
    visibility: str = "public",
    emotions: tuple[str, ...] = ("apprehension",),
    language: str = "en",
    exchange: bool = False,
):  # type: ignore[no-untyped-def]
    dream = journal.create_dream(
        session,
        owner,
        DreamCreate(
            text=text, visibility=visibility, language=language, consents=Consents(exchange=exchange)
        ),
    )
    analysis = {
        "version": "test",
        "language": language,
        "word_count": len(text.split()),
        "embedding": vector,
        "emotions": [{"emotion_class": e, "subject": "dreamer", "start": 0, "end": 1} for e in emotions],
        "characters": [],
        "settings": [],
        "valence": -0.5,
        "themes": ["sea"],
    }
    session.execute(
        update(Dream)
        .where(Dream.id == dream.id)
        .values(analysis=analysis, analysis_status="done", updated_at=journal.utcnow())
    )
    return dream


@pytest.fixture
def corpus(database: Database, make_account):  # type: ignore[no-untyped-def]
    me, other, third = make_account("dreamer"), make_account("dreamer"), make_account("weaver")
    base = np.asarray(_vector(1))
    with database.session() as session:
        mine = _analysed(session, me.user, "I drowned in a dark sea.", _vector(1), visibility="private")
        close_public = _analysed(session, other.user, "A wave pulled me under the sea.", _vector(2, base))
        close_private = _analysed(
            session, other.user, "The sea swallowed my house.", _vector(3, base), visibility="private"
        )
        far_public = _analysed(
            session, other.user, "I won a prize for my cake.", _vector(99), emotions=("happiness",)
        )
        shared = _analysed(
            session, third.user, "Under black water I could breathe.", _vector(4, base), visibility="spaces"
        )
        space = spaces.create_space(session, third.user, SpaceCreate(title="Water", is_open=True))
        spaces.contribute(session, third.user, space.public_id, ContributionCreate(dream_id=shared.public_id))
        ids = {
            name: d.public_id
            for name, d in {
                "mine": mine,
                "close_public": close_public,
                "close_private": close_private,
                "far_public": far_public,
                "shared": shared,
            }.items()
        }
        ids["space"] = space.public_id
    return me, other, third, ids


def _resonant(database: Database, index: DreamIndex, viewer, dream_id: str, **kwargs) -> list[str]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return [
            f.dream.public_id for f in service.resonant_for(session, index, viewer.user, dream_id, **kwargs)
        ]


def test_resonant_dreams_rank_close_visible_dreams_and_never_private_ones(database: Database, corpus) -> None:  # type: ignore[no-untyped-def]
    me, _, _, ids = corpus
    index = DreamIndex()
    found = _resonant(database, index, me, ids["mine"], k=10)
    assert found[0] == ids["close_public"]
    assert ids["close_private"] not in found
    assert ids["mine"] not in found  # my own dreams are not "others' dreams"
    assert ids["shared"] not in found  # shared in a space I have not joined
    assert found.index(ids["close_public"]) < found.index(ids["far_public"])


def test_joining_the_space_makes_its_dreams_resonate(database: Database, corpus) -> None:  # type: ignore[no-untyped-def]
    me, _, _, ids = corpus
    index = DreamIndex()
    with database.session() as session:
        spaces.join_space(session, me.user, ids["space"])
    assert ids["shared"] in _resonant(database, index, me, ids["mine"], k=10)


def test_a_dream_made_private_disappears_at_once_even_from_a_warm_index(database: Database, corpus) -> None:  # type: ignore[no-untyped-def]
    me, other, _, ids = corpus
    index = DreamIndex()
    assert ids["close_public"] in _resonant(database, index, me, ids["mine"])
    with database.session() as session:
        journal.update_dream(session, other.user, ids["close_public"], DreamUpdate(visibility="private"))
    assert ids["close_public"] not in _resonant(database, index, me, ids["mine"])
    with database.session() as session:
        journal.delete_dream(session, other.user, ids["far_public"])
    assert ids["far_public"] not in _resonant(database, index, me, ids["mine"])


def test_why_names_what_two_dreams_share(database: Database, corpus) -> None:  # type: ignore[no-untyped-def]
    me, _, _, ids = corpus
    with database.session() as session:
        found = service.resonant_for(session, DreamIndex(), me.user, ids["mine"], k=1)
    why = found[0].resonance.why
    assert "apprehension" in why.shared_emotions
    assert "sea" in why.shared_themes


def test_resonance_needs_a_dream_the_viewer_may_read_and_an_analysis(
    database: Database, corpus, make_account
) -> None:  # type: ignore[no-untyped-def]
    me, other, _, ids = corpus
    with database.session() as session:
        with pytest.raises(NotFound):
            service.resonant_for(session, DreamIndex(), me.user, ids["close_private"])
        with pytest.raises(InvalidInput):
            service.resonant_for(session, DreamIndex(), me.user, ids["mine"], k=0)
        fresh = journal.create_dream(session, me.user, DreamCreate(text="not analysed yet"))
        with pytest.raises(Conflict):
            service.resonant_for(session, DreamIndex(), me.user, fresh.public_id)


def test_resonant_api_hides_owners(database: Database, corpus, client) -> None:  # type: ignore[no-untyped-def]
    me, other, _, ids = corpus
    response = client.get(f"/api/v1/dreams/{ids['mine']}/resonant?k=3", headers=me.headers)
    assert response.status_code == 200, response.text
    items = response.json()
    assert items and all(not item["dream"]["is_mine"] for item in items)
    assert other.email not in response.text
    assert client.get(f"/api/v1/dreams/{ids['mine']}/resonant", headers=other.headers).status_code == 404


def test_exchange_pairs_everyone_respects_blocks_and_never_repeats(database: Database, make_account) -> None:  # type: ignore[no-untyped-def]
    people = [make_account("dreamer") for _ in range(4)]
    with database.session() as session:
        for i, person in enumerate(people):
            dream = _analysed(
                session, person.user, f"dream {i}", _vector(i), visibility="private", exchange=True
            )
            service.opt_in(session, person.user, dream.public_id)
        first = service.run_round(session)
        assert (first.participants, first.unmatched) == (4, 0)
        pairs = session.query(ExchangePair).filter(ExchangePair.round_id == first.id).all()
        assert sorted(u for p in pairs for u in (p.a_user_id, p.b_user_id)) == sorted(
            p.user.id for p in people
        )
        partner_of = {p.a_user_id: p.b_user_id for p in pairs} | {p.b_user_id: p.a_user_id for p in pairs}
        # A partner may read the private dream they received, and only that one.
        pair = pairs[0]
        a = next(p for p in people if p.user.id == pair.a_user_id)
        received = session.get(Dream, pair.b_dream_id)
        assert access.can_view(session, a.user, received)
        # Block one partner, opt everyone in again: no repeated pair, no blocked pair.
        service.block_partner(session, a.user, pair.public_id)
        for person in people:
            own = session.query(Dream).filter(Dream.owner_id == person.user.id).one()
            service.opt_in(session, person.user, own.public_id)
        second = service.run_round(session)
        new_pairs = session.query(ExchangePair).filter(ExchangePair.round_id == second.id).all()
        for p in new_pairs:
            assert partner_of.get(p.a_user_id) != p.b_user_id
        assert second.participants == 4


def test_revoking_exchange_consent_hides_the_dream_from_the_partner(database: Database, make_account) -> None:  # type: ignore[no-untyped-def]
    a, b = make_account("dreamer"), make_account("dreamer")
    with database.session() as session:
        da = _analysed(session, a.user, "dream a", _vector(1), visibility="private", exchange=True)
        db_ = _analysed(session, b.user, "dream b", _vector(2), visibility="private", exchange=True)
        service.opt_in(session, a.user, da.public_id)
        service.opt_in(session, b.user, db_.public_id)
        service.run_round(session)
        assert access.can_view(session, b.user, da)
        journal.update_dream(session, a.user, da.public_id, DreamUpdate(consents={"exchange": False}))
        assert not access.can_view(session, b.user, session.get(Dream, da.id))
        view = service.my_exchanges(session, b.user)[0]
        assert view.received is None


def test_opt_in_requires_consent_and_reply_is_once(database: Database, make_account) -> None:  # type: ignore[no-untyped-def]
    a, b = make_account("dreamer"), make_account("dreamer")
    with database.session() as session:
        no_consent = _analysed(session, a.user, "no", _vector(5), visibility="private")
        with pytest.raises(InvalidInput):
            service.opt_in(session, a.user, no_consent.public_id)
        da = _analysed(session, a.user, "dream a", _vector(1), visibility="private", exchange=True)
        db_ = _analysed(session, b.user, "dream b", _vector(2), visibility="private", exchange=True)
        service.opt_in(session, a.user, da.public_id)
        service.opt_in(session, b.user, db_.public_id)
        service.run_round(session)
        pair_id = service.my_exchanges(session, a.user)[0].pair.public_id
        service.reply(session, a.user, pair_id, "I dreamt of water too.")
        with pytest.raises(Conflict):
            service.reply(session, a.user, pair_id, "again")
        with pytest.raises(InvalidInput):
            service.reply(session, b.user, pair_id, "x" * 1001)
    c = make_account("dreamer")
    with database.session() as session, pytest.raises(NotFound):
        service.get_exchange(session, c.user, pair_id)


def test_an_excerpt_shares_only_its_passage(database: Database, make_account, client) -> None:  # type: ignore[no-untyped-def]
    weaver, member = make_account("weaver"), make_account("dreamer")
    text = "The first part is mine alone. The second part I share with the space."
    with database.session() as session:
        space = spaces.create_space(session, weaver.user, SpaceCreate(title="Excerpts"))
        spaces.join_space(session, member.user, space.public_id)
        dream = journal.create_dream(session, weaver.user, DreamCreate(text=text, visibility="spaces"))
        spaces.contribute(
            session,
            weaver.user,
            space.public_id,
            ContributionCreate(dream_id=dream.public_id, excerpt="The second part I share with the space."),
        )
        dream_id, space_id = dream.public_id, space.public_id
    listed = client.get(f"/api/v1/spaces/{space_id}/contributions", headers=member.headers).json()
    assert [c["text"] for c in listed] == ["The second part I share with the space."]
    assert client.get(f"/api/v1/dreams/{dream_id}", headers=member.headers).status_code == 404
    assert "mine alone" not in client.get(f"/spaces/{space_id}", headers=member.headers).text
