"""The journal page as plain rows: the read path behind `GET /api/v1/dreams`.

The web journal loads `Dream` objects (service.list_dreams), which is convenient for templates. The API
list is the busiest route of the platform, so it runs Core selects of only the columns it returns, loads
the page's tags with one more query into a dict and hands plain dicts to the serialiser: no identity map,
no ORM row processing, no `DreamTag` objects, no model validation per item. The filters are the same
ones (service.JournalFilter), and they only ever match the owner's dreams.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

import orjson
from sqlalchemy import Connection, Select, bindparam, func, select

from dreamnexus.journal.models import Consent, Dream, DreamTag
from dreamnexus.journal.schemas import DreamFilters
from dreamnexus.journal.service import JournalFilter, Page

_dreams = Dream.__table__.c
_tags = DreamTag.__table__.c
# What an owner sees of each dream in the list (the API's DreamOut without the analysis).
_COLUMNS = (
    _dreams.id,
    _dreams.public_id,
    _dreams.title,
    _dreams.text,
    _dreams.dreamt_on,
    _dreams.lucid,
    _dreams.mood,
    _dreams.language,
    _dreams.visibility,
    *(_dreams[f"consent_{c.value}"] for c in Consent),
    _dreams.analysis_status,
    _dreams.created_at,
    _dreams.updated_at,
)
_CONSENT_NAMES = tuple(c.value for c in Consent)


def page_json(page: Page[dict[str, Any]]) -> bytes:
    """The page as the API's DreamList JSON (UTC times end in Z, as pydantic writes them)."""
    body = {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page}
    return orjson.dumps({**body, "pages": page.pages}, option=orjson.OPT_UTC_Z)


@functools.lru_cache(maxsize=64)
def _statements(dialect: str, shape: tuple[bool, ...]) -> tuple[Select, Select, Select]:
    """The count, page and tags statements of one filter shape, built once: building and cache-keying a
    statement cost more than SQLite took to run it. The page carries the count as its last column (a
    subquery run once per statement), so that a page with rows takes one statement less."""
    conditions = JournalFilter.conditions_of(dialect, shape)
    count = select(func.count()).select_from(select(_dreams.id).where(*conditions).subquery())

    def window(*columns: Any) -> Select:
        return (
            select(*columns)
            .where(*conditions)
            .order_by(_dreams.dreamt_on.desc(), _dreams.id.desc())
            .limit(bindparam("limit"))
            .offset(bindparam("offset"))
        )

    # The page's tags by the page's own window, rather than by a list of its ids: an expanding IN is
    # rendered again for every execution, and cost more than the query.
    tags = select(_tags.dream_id, _tags.tag).where(_tags.dream_id.in_(window(_dreams.id)))
    return count, window(*_COLUMNS, count.scalar_subquery().label("total")), tags


def journal_page(connection: Connection, owner_id: int, filters: DreamFilters) -> Page[dict[str, Any]]:
    """One page of the owner's journal, newest dream first, each item shaped as the API's DreamOut."""
    journal = JournalFilter.of(connection.dialect.name, owner_id, filters)
    count, page, page_tags = _statements(journal.dialect, journal.shape)
    values = {**journal.values, "limit": filters.per_page, "offset": (filters.page - 1) * filters.per_page}
    rows = connection.execute(page, values).all()
    if rows:
        total = rows[0][-1]
    elif filters.page > 1:  # past the last page: how many there are still has to be said
        total = connection.scalar(count, journal.values) or 0
    else:
        total = 0
    tags: dict[int, list[str]] = defaultdict(list)
    if rows:
        for dream_id, tag in connection.execute(page_tags, values):
            tags[dream_id].append(tag)
    items = []
    # By position, in the order of _COLUMNS: a Row's attribute look-up cost five times the unpacking.
    for (
        dream_id,
        public_id,
        title,
        text,
        dreamt_on,
        lucid,
        mood,
        language,
        visibility,
        *consents,
        analysis_status,
        created_at,
        updated_at,
        _total,
    ) in rows:
        items.append(
            {
                "id": public_id,
                "title": title,
                "text": text,
                "dreamt_on": dreamt_on,
                "tags": sorted(tags.get(dream_id, ())),
                "lucid": lucid,
                "mood": mood,
                "language": language,
                "author": "you",  # the list is the owner's own journal
                "is_mine": True,
                "visibility": visibility,
                "consents": dict(zip(_CONSENT_NAMES, map(bool, consents), strict=True)),
                "analysis_status": analysis_status,
                "analysis": None,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
    return Page(items, total, filters.page, filters.per_page)
