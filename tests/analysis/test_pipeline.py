"""pipe(): order, laziness, worker processes, batched embedding; analyze() with an embedder."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest

from dreamnexus.analysis import analyze, pipe

TEXTS = [
    f"I saw {n} men in the park and one of them hit me." if n % 2 else "I was happy at home."
    for n in range(9)
]


class FakeEmbedder:
    name = "fake-3"
    dim = 3

    def __init__(self) -> None:
        self.calls: list[int] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        rows = np.array([[len(t), t.count(" "), 1.0] for t in texts], dtype=np.float64)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_pipe_preserves_order_and_equals_analyze() -> None:
    out = list(pipe(TEXTS, batch_size=4, embed=False))
    assert [a.to_dict() for a in out] == [analyze(t, embed=False).to_dict() for t in TEXTS]


def test_pipe_embeds_once_per_batch() -> None:
    fake = FakeEmbedder()
    out = list(pipe(TEXTS, batch_size=4, embedder=fake))
    assert fake.calls == [4, 4, 1]
    assert all(a.embedding is not None and a.embedding.dtype == np.float32 for a in out)
    assert {a.embedding_model for a in out} == {"fake-3"}


def test_analyze_with_embedder() -> None:
    a = analyze("I flew.", embedder=FakeEmbedder())
    assert a.embedding is not None and a.embedding.shape == (3,)
    assert a.embedding_model == "fake-3"


def test_pipe_is_lazy() -> None:
    endless = itertools.cycle(TEXTS)
    first = list(itertools.islice(pipe(endless, batch_size=2, embed=False), 3))
    assert len(first) == 3


def test_pipe_with_workers_matches_serial() -> None:
    serial = [a.to_dict() for a in pipe(TEXTS, batch_size=2, embed=False)]
    parallel = [a.to_dict() for a in pipe(TEXTS, batch_size=2, workers=2, embed=False)]
    assert parallel == serial


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        list(pipe(TEXTS, batch_size=0, embed=False))
    with pytest.raises(TypeError):
        analyze(None, embed=False)  # type: ignore[arg-type]
