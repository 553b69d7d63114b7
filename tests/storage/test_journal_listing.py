"""The API's journal read path (Core rows, listing.py) against the ORM path the pages use, on both databases:
the same dreams, in the same order, with the same fields, for every filter, and never another's dream."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dreamnexus.accounts.models import User
from dreamnexus.db.engine import Database
from dreamnexus.journal import listing
from dreamnexus.journal import service as journal
from dreamnexus.journal.api import DreamOut
from dreamnexus.journal.schemas import DreamCreate, DreamFilters

DREAMS = [
    ("The lighthouse keeper handed me a key made of water", "Lighthouse", date(2026, 3, 1), ["sea", "keys"]),
    ("I was flying over the harbour at night", "", date(2026, 3, 4), ["flying", "sea"]),
    ("A train of glass crossed the desert", "Glass train", date(2026, 3, 4), []),
    ("My grandmother sang in the kitchen", "Kitchen", date(2026, 2, 10), ["family"]),
    ("The harbour flooded and the boats flew away", "Harbour", date(2026, 1, 20), ["sea", "flying"]),
]


def _orm_items(database: Database, owner: User, filters: DreamFilters) -> dict:
    with database.session() as session:
        page = journal.list_dreams(session, owner, filters)
        items = [DreamOut.of(d, owner, with_analysis=False).model_dump(mode="json") for d in page.items]
        return {"items": items, "total": page.total, "pages": page.pages}


def _core_items(database: Database, owner: User, filters: DreamFilters) -> dict:
    with database.session() as session:
        page = listing.journal_page(session.connection(), owner.id, filters)
        body = json.loads(listing.page_json(page))  # what the route sends, compared as JSON values
        return {"items": body["items"], "total": body["total"], "pages": body["pages"]}


@pytest.fixture
def journals(database: Database, make_user) -> tuple[User, User]:  # type: ignore[no-untyped-def]
    owner, other = make_user(), make_user()
    with database.session() as session:
        for index, (text, title, dreamt_on, tags) in enumerate(DREAMS):
            journal.create_dream(
                session,
                owner,
                DreamCreate(
                    text=text,
                    title=title,
                    dreamt_on=dreamt_on,
                    tags=tags,
                    mood=index - 2,
                    lucid=index % 2 == 0,
                    consents={"weaving": index % 2 == 0, "research": True},
                    visibility=["private", "spaces", "public"][index % 3],
                ),
            )
        # Another dreamer's dreams match every filter too; none may ever appear.
        for text, title, dreamt_on, tags in DREAMS:
            journal.create_dream(
                session, other, DreamCreate(text=text, title=title, dreamt_on=dreamt_on, tags=tags)
            )
    return owner, other


@pytest.mark.parametrize(
    "filters",
    [
        DreamFilters(),
        DreamFilters(per_page=2),
        DreamFilters(per_page=2, page=2),
        DreamFilters(per_page=2, page=9),
        DreamFilters(tag="sea", per_page=2, page=2),
        DreamFilters(tag="sea", per_page=2, page=3),
        DreamFilters(tag="sea"),
        DreamFilters(tag="SEA "),
        DreamFilters(tag="nothing-tagged-so"),
        DreamFilters(date_from=date(2026, 3, 1)),
        DreamFilters(date_to=date(2026, 2, 28)),
        DreamFilters(date_from=date(2026, 2, 1), date_to=date(2026, 3, 3), tag="sea"),
        DreamFilters(q="harbour"),
        DreamFilters(q="harb"),
        DreamFilters(q="harbour", tag="flying", per_page=1),
        DreamFilters(q="!!!"),
    ],
    ids=repr,
)
def test_the_read_path_lists_what_the_orm_lists(
    database: Database, journals: tuple[User, User], filters: DreamFilters
) -> None:
    owner, _ = journals
    assert _core_items(database, owner, filters) == _orm_items(database, owner, filters)


def test_the_read_path_pages_newest_first_and_shows_only_the_owner(
    database: Database, journals: tuple[User, User]
) -> None:
    owner, other = journals
    page = _core_items(database, owner, DreamFilters(per_page=100))
    assert page["total"] == len(DREAMS)
    assert [item["dreamt_on"] for item in page["items"]] == sorted(
        (d.isoformat() for _, _, d, _ in DREAMS), reverse=True
    )
    assert all(item["author"] == "you" and item["is_mine"] for item in page["items"])
    lighthouse = next(item for item in page["items"] if item["title"] == "Lighthouse")
    assert lighthouse["tags"] == ["keys", "sea"]
    assert lighthouse["consents"] == {"weaving": True, "festival": False, "research": True, "exchange": False}
    theirs = _core_items(database, other, DreamFilters(per_page=100))
    assert {item["id"] for item in theirs["items"]}.isdisjoint({item["id"] for item in page["items"]})
    assert _core_items(database, other, DreamFilters(q="harbour"))["total"] == 2
