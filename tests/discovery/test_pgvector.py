"""The dream index on PostgreSQL with pgvector: shared by processes, private dreams never returned."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from dreamnexus.accounts import service as accounts
from dreamnexus.db.engine import Database
from dreamnexus.discovery import service
from dreamnexus.discovery.index import DreamIndex, pgvector_available
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import DreamUpdate
from tests.conftest import PASSWORD, _truncate_postgres
from tests.discovery.test_discovery import _analysed, _vector


@pytest.fixture
def vector_database(pgvector_url: str) -> Iterator[Database]:
    database = Database(pgvector_url)
    _truncate_postgres(database)
    yield database
    database.dispose()


def test_pgvector_backs_the_index_and_follows_visibility(vector_database: Database) -> None:
    assert pgvector_available(vector_database.engine)
    base = np.asarray(_vector(1))
    with vector_database.session() as session:
        me = accounts.register(session, email="me@example.org", password=PASSWORD)
        other = accounts.register(session, email="other@example.org", password=PASSWORD)
        mine = _analysed(session, me, "my sea dream", _vector(1), visibility="private")
        close = _analysed(session, other, "a wave", _vector(2, base))
        hidden = _analysed(session, other, "a private wave", _vector(3, base), visibility="private")
        far = _analysed(session, other, "a cake", _vector(50))
        ids = (mine.public_id, close.public_id, hidden.public_id, far.public_id)
    index = DreamIndex()
    with vector_database.session() as session:
        found = [f.dream.public_id for f in service.resonant_for(session, index, me, ids[0], k=5)]
    assert index.kind == "pgvector"
    assert found[0] == ids[1] and ids[2] not in found and ids[3] in found
    # A second process (a second index object) sees the same shared vectors.
    second = DreamIndex()
    with vector_database.session() as session:
        again = [f.dream.public_id for f in service.resonant_for(session, second, me, ids[0], k=5)]
    assert again == found
    with vector_database.session() as session:
        journal.update_dream(session, other, ids[1], DreamUpdate(visibility="private"))
    with vector_database.session() as session:
        after = [f.dream.public_id for f in service.resonant_for(session, index, me, ids[0], k=5)]
    assert ids[1] not in after
    assert len(index.index) == 1  # only the public "cake" dream is left in the shared table
