"""The in-process vector index of shareable dreams, kept in step with the database.

Each query first pulls what changed since the last look (a watermark on `updated_at`), so every server
process sees other processes' writes. The index may hold a vector a moment too long; results are always
filtered again through the database's visibility rule, so a dream that became private, was withdrawn or
deleted is never returned from the moment it changes.
"""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dreamnexus.discovery.features import dream_features
from dreamnexus.journal.models import AnalysisStatus, Dream, Visibility
from dreamnexus.resonance.auto import AutoIndex
from dreamnexus.resonance.features import DreamFeatures


class DreamIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.index: AutoIndex | None = None
        self.features: dict[int, DreamFeatures] = {}
        self._watermark: datetime | None = None

    def refresh(self, session: Session) -> None:
        with self._lock:
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
            add_ids, add_vectors, remove_ids = [], [], []
            for dream_id, language, visibility, status, analysis, updated_at in rows:
                self._watermark = updated_at if self._watermark is None else max(self._watermark, updated_at)
                features = None
                if visibility != Visibility.private.value and status == AnalysisStatus.done.value:
                    features = dream_features(dream_id, language, analysis)
                if features is None:
                    if dream_id in self.features:
                        remove_ids.append(dream_id)
                        del self.features[dream_id]
                    continue
                if dream_id in self.features:
                    remove_ids.append(dream_id)
                self.features[dream_id] = features
                add_ids.append(dream_id)
                add_vectors.append(features.vector)
            if remove_ids and self.index is not None:
                self.index.remove(remove_ids)
            if add_ids:
                import numpy as np

                vectors = np.stack(add_vectors)
                if self.index is None:
                    self.index = AutoIndex(dim=vectors.shape[1])
                self.index.add(add_ids, vectors)

    def nearest(self, vector, k: int) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
        with self._lock:
            if self.index is None or len(self.index) == 0:
                return []
            return [(int(i), float(s)) for i, s in self.index.search(vector, k)]
