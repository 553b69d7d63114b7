"""pgvector adapter: statements and parameters (no database needed)."""

from __future__ import annotations

import numpy as np
import pytest

from dreamnexus.resonance.pgvector import PgVectorIndex, PgVectorSql, vector_literal


def test_create_statements_and_identifier_safety() -> None:
    sql = PgVectorSql(dim=4, table="dream_vectors")
    statements = [s for s, _ in sql.create()]
    assert statements[0] == "CREATE EXTENSION IF NOT EXISTS vector"
    assert "vector(4)" in statements[1]
    assert "USING hnsw (embedding vector_cosine_ops)" in statements[2]
    for bad in ("dreams; DROP TABLE users", "Dreams", "1abc", 'x"y'):
        with pytest.raises(ValueError):
            PgVectorSql(dim=4, table=bad)
    with pytest.raises(ValueError):
        PgVectorSql(dim=4, id_type="int; --")


def test_search_binds_values_and_filters_allowed() -> None:
    sql = PgVectorSql(dim=2)
    statement, params = sql.search(np.array([3.0, 4.0]), 5, allowed=["a", "b"])
    assert "WHERE dream_id = ANY(%s)" in statement and statement.endswith("LIMIT %s")
    assert params == ("[0.6,0.8]", ["a", "b"], "[0.6,0.8]", 5)
    statement, params = sql.search(np.array([1.0, 0.0]), 3)
    assert "WHERE" not in statement and len(params) == 3
    assert vector_literal(np.array([0.0, 2.0])) == "[0.0,1.0]"


class FakeDb:
    def __init__(self) -> None:
        self.rows: dict[str, np.ndarray] = {}
        self.log: list[str] = []

    def __call__(self, statement: str, params: tuple) -> list[tuple]:
        self.log.append(statement)
        if statement.startswith("INSERT"):
            ident, literal = params
            self.rows[ident] = np.array([float(x) for x in literal.strip("[]").split(",")])
            return []
        if statement.startswith("DELETE"):
            for ident in params[0]:
                self.rows.pop(ident, None)
            return []
        if statement.startswith("SELECT dream_id"):
            query = np.array([float(x) for x in params[0].strip("[]").split(",")])
            pool = params[1] if len(params) == 4 else list(self.rows)
            scored = sorted(
                ((i, float(self.rows[i] @ query)) for i in pool if i in self.rows), key=lambda r: -r[1]
            )
            return scored[: params[-1]]
        if statement.startswith("SELECT count"):
            return [(len(self.rows),)]
        if statement.startswith("SELECT 1"):
            return [(1,)] if params[0] in self.rows else []
        raise AssertionError(statement)


def test_adapter_implements_the_index_interface() -> None:
    db = FakeDb()
    index = PgVectorIndex(PgVectorSql(dim=2), db)
    index.add(["a", "b", "c"], np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]]))
    assert len(index) == 3 and "a" in index
    assert [i for i, _ in index.search(np.array([1.0, 0.1]), 2)] == ["a", "c"]
    index.remove(["a"])
    assert "a" not in index
    assert [i for i, _ in index.search(np.array([1.0, 0.1]), 2, allowed=["a", "b"])] == ["b"]
    before = len(db.log)
    index.remove([])
    assert len(db.log) == before  # nothing to delete: no statement
