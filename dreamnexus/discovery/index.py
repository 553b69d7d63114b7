"""The vector index of shareable dreams, kept in step with the database.

Two backends behind one object: pgvector when the database is PostgreSQL with the `vector` extension
(shared by every server process), else an in-process index (exact, then HNSW past a threshold). Either
way, each query first pulls what changed since the last look (a watermark on `updated_at`), and results
are always filtered again through the database's visibility rule, so a dream that became private, was
withdrawn or deleted is never returned from the moment it changes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from dreamnexus.discovery.features import dream_features
from dreamnexus.journal.models import AnalysisStatus, Dream, Visibility
from dreamnexus.resonance.auto import AutoIndex
from dreamnexus.resonance.features import DreamFeatures
from dreamnexus.resonance.index import VectorIndex
from dreamnexus.resonance.pgvector import PgVectorIndex, PgVectorSql

log = logging.getLogger("dreamnexus.discovery")


def pgvector_available(engine: Engine) -> bool:
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as connection:
        return (
            connection.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).first()
            is not None
        )


def _pgvector_index(engine: Engine, dim: int) -> PgVectorIndex:
    def execute(statement: str, params: tuple[Any, ...]) -> Sequence[Sequence[Any]]:
        with engine.begin() as connection:
            result = connection.exec_driver_sql(statement, params)
            return result.fetchall() if result.returns_rows else []

    sql = PgVectorSql(dim=dim, table=f"dream_vectors_{dim}", id_type="bigint")
    for statement, params in sql.create():
        execute(statement, params)
    # Dreams deleted while no server was running leave no row behind.
    execute(f"DELETE FROM {sql.table} WHERE {sql.id_column} NOT IN (SELECT id FROM dreams)", ())  # noqa: S608
    return PgVectorIndex(sql, execute)


class DreamIndex:
    def __init__(self, backend: str = "auto") -> None:
        """`backend`: "auto" (pgvector where available), "memory" or "pgvector"."""
        self.backend = backend
        self._lock = threading.Lock()
        self.index: VectorIndex | None = None
        self.features: dict[int, DreamFeatures] = {}
        self._watermark: datetime | None = None
        self._engine: Engine | None = None

    @property
    def kind(self) -> str:
        return "pgvector" if isinstance(self.index, PgVectorIndex) else "memory"

    def _make_index(self, engine: Engine, dim: int) -> VectorIndex:
        use_pg = self.backend == "pgvector" or (self.backend == "auto" and pgvector_available(engine))
        if use_pg:
            try:
                return _pgvector_index(engine, dim)
            except Exception:
                if self.backend == "pgvector":
                    raise
                log.warning(
                    "pgvector is installed but unusable here; using the in-process index", exc_info=True
                )
        return AutoIndex(dim=dim)

    def refresh(self, session: Session) -> None:
        with self._lock:
            engine = session.get_bind()
            assert isinstance(engine, Engine) or hasattr(engine, "engine")
            self._engine = getattr(engine, "engine", engine)
            statement = select(
                Dream.id,
                Dream.language,
                Dream.visibility,
                Dream.analysis_status,
                Dream.analysis,
                Dream.updated_at,
            )
            if self._watermark is not None:
                statement = statement.where(Dream.updated_at >= self._watermark)
            rows = session.execute(statement.order_by(Dream.updated_at)).all()
            # A shared (pgvector) index may hold rows from before this process started.
            first_pass = self._watermark is None
            seen: list[tuple[int, DreamFeatures | None]] = []
            for dream_id, language, visibility, status, analysis, updated_at in rows:
                self._watermark = updated_at if self._watermark is None else max(self._watermark, updated_at)
                features = None
                if visibility != Visibility.private.value and status == AnalysisStatus.done.value:
                    features = dream_features(dream_id, language, analysis)
                seen.append((dream_id, features))
            if self.index is None:
                first = next((f for _, f in seen if f is not None), None)
                if first is None:
                    return
                self.index = self._make_index(self._engine, int(first.vector.shape[0]))
            add_ids: list[Hashable] = []
            add_vectors: list[np.ndarray] = []
            remove_ids: list[Hashable] = []
            for dream_id, features in seen:
                if features is None:
                    if dream_id in self.features or (first_pass and self.kind == "pgvector"):
                        remove_ids.append(dream_id)
                        self.features.pop(dream_id, None)
                    continue
                if dream_id in self.features and self.kind == "memory":
                    remove_ids.append(dream_id)
                self.features[dream_id] = features
                add_ids.append(dream_id)
                add_vectors.append(features.vector)
            if remove_ids:
                self.index.remove(remove_ids)
            if add_ids:
                self.index.add(add_ids, np.stack(add_vectors))

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        with self._lock:
            if self.index is None or len(self.index) == 0:
                return []
            return [(int(i), float(s)) for i, s in self.index.search(vector, k)]
