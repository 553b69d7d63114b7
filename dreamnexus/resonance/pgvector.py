"""SQL for keeping dream vectors in PostgreSQL with the pgvector extension (optional backend).

This module only builds statements and parameters (psycopg ``%s`` style); it imports no driver. The
``PgVectorIndex`` adapter runs them through any callable ``execute(sql, params) -> rows`` that the
platform provides, so the extension stays optional: without it the in-process indexes are used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dreamnexus.resonance.features import normalize_rows
from dreamnexus.resonance.index import ScoredId, check_batch

__all__ = ["Execute", "PgVectorIndex", "PgVectorSql", "Statement", "vector_literal"]

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_ID_TYPES = frozenset({"uuid", "bigint", "text"})

Statement = tuple[str, tuple[Any, ...]]
Execute = Callable[[str, tuple[Any, ...]], Sequence[Sequence[Any]]]


def _identifier(name: str) -> str:
    # Identifiers cannot be bound as parameters, so only plain lower-case names are accepted.
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


def vector_literal(vector: np.ndarray) -> str:
    """pgvector's text input format, e.g. ``[0.1,0.2]``; rows are unit-normalised first."""
    row = normalize_rows(vector)[0]
    # str() of a float32 is its shortest round-tripping decimal (pgvector stores float4 too).
    return "[" + ",".join(str(x) for x in row) + "]"


@dataclass(frozen=True)
class PgVectorSql:
    """Statement builder for one table ``(id, embedding vector(dim))`` searched by cosine distance."""

    dim: int
    table: str = "dream_vectors"
    id_column: str = "dream_id"
    vector_column: str = "embedding"
    id_type: str = "uuid"
    hnsw_m: int = 16
    hnsw_ef_construction: int = 200

    def __post_init__(self) -> None:
        for name in (self.table, self.id_column, self.vector_column):
            _identifier(name)
        if self.id_type not in _ID_TYPES:
            raise ValueError(f"id_type must be one of {sorted(_ID_TYPES)}")
        if self.dim <= 0 or self.dim > 16_000:
            raise ValueError("pgvector supports 1..16000 dimensions")

    def create(self) -> list[Statement]:
        t, i, v = self.table, self.id_column, self.vector_column
        return [
            ("CREATE EXTENSION IF NOT EXISTS vector", ()),
            (
                f"CREATE TABLE IF NOT EXISTS {t} "
                f"({i} {self.id_type} PRIMARY KEY, {v} vector({self.dim}) NOT NULL)",
                (),
            ),
            (
                f"CREATE INDEX IF NOT EXISTS {t}_{v}_hnsw ON {t} USING hnsw ({v} vector_cosine_ops) "
                f"WITH (m = {int(self.hnsw_m)}, ef_construction = {int(self.hnsw_ef_construction)})",
                (),
            ),
        ]

    def session_settings(self, ef_search: int = 64) -> list[Statement]:
        # Iterative scans (pgvector >= 0.8) keep filtered HNSW searches from returning fewer than k rows.
        return [
            # SET takes no bind parameters; the value is an int by construction.
            (f"SET hnsw.ef_search = {int(ef_search)}", ()),
            ("SET hnsw.iterative_scan = relaxed_order", ()),
        ]

    def upsert(self, ids: Sequence[Hashable], vectors: np.ndarray) -> list[Statement]:
        rows = check_batch(ids, vectors, self.dim)
        t, i, v = self.table, self.id_column, self.vector_column
        sql = (
            f"INSERT INTO {t} ({i}, {v}) VALUES (%s, %s::vector) "  # noqa: S608 - identifiers validated
            f"ON CONFLICT ({i}) DO UPDATE SET {v} = EXCLUDED.{v}"
        )
        return [(sql, (ident, vector_literal(row))) for ident, row in zip(ids, rows, strict=True)]

    def delete(self, ids: Iterable[Hashable]) -> Statement:
        return (f"DELETE FROM {self.table} WHERE {self.id_column} = ANY(%s)", (list(ids),))  # noqa: S608

    def search(self, vector: np.ndarray, k: int, allowed: Iterable[Hashable] | None = None) -> Statement:
        t, i, v = self.table, self.id_column, self.vector_column
        literal = vector_literal(vector)
        where, params = "", (literal,)
        if allowed is not None:
            where, params = f" WHERE {i} = ANY(%s)", (literal, list(allowed))
        sql = (
            f"SELECT {i}, 1 - ({v} <=> %s::vector) AS score FROM {t}{where} "  # noqa: S608
            f"ORDER BY {v} <=> %s::vector LIMIT %s"
        )
        return sql, (*params, literal, int(k))


class PgVectorIndex:
    """The ``VectorIndex`` interface over pgvector, through a caller-supplied ``execute`` callable.

    Removal is a committed DELETE, so it is visible to every later search the moment it returns, as
    long as ``execute`` commits (or runs in autocommit mode).
    """

    def __init__(self, sql: PgVectorSql, execute: Execute) -> None:
        self.sql = sql
        self.dim = sql.dim
        self._execute = execute

    def add(self, ids: Sequence[Hashable], vectors: np.ndarray) -> None:
        for statement, params in self.sql.upsert(ids, vectors):
            self._execute(statement, params)

    def remove(self, ids: Iterable[Hashable]) -> None:
        ids = list(ids)
        if ids:
            self._execute(*self.sql.delete(ids))

    def search(self, vector: np.ndarray, k: int, allowed: Iterable[Hashable] | None = None) -> list[ScoredId]:
        if k <= 0:
            return []
        rows = self._execute(*self.sql.search(vector, k, allowed))
        return [(row[0], float(row[1])) for row in rows]

    def __len__(self) -> int:
        rows = self._execute(f"SELECT count(*) FROM {self.sql.table}", ())  # noqa: S608
        return int(rows[0][0])

    def __contains__(self, item: object) -> bool:
        sql = f"SELECT 1 FROM {self.sql.table} WHERE {self.sql.id_column} = %s"  # noqa: S608
        return bool(self._execute(sql, (item,)))
