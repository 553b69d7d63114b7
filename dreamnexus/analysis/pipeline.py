"""The coding pipeline: a Doc passes through small stages; `pipe` streams, batches and parallelises."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.evidence import build_evidence
from dreamnexus.analysis.result import DreamAnalysis
from dreamnexus.analysis.stages.affect import code_affect
from dreamnexus.analysis.stages.bodyparts import code_body_parts
from dreamnexus.analysis.stages.characters import code_characters
from dreamnexus.analysis.stages.embed import Embedder, default_embedder, embed_texts
from dreamnexus.analysis.stages.emotions import code_emotions
from dreamnexus.analysis.stages.interactions import (
    code_covert_hostility,
    code_hostile_speech,
    code_interactions,
)
from dreamnexus.analysis.stages.language import set_language
from dreamnexus.analysis.stages.outcomes import code_outcomes
from dreamnexus.analysis.stages.settings import code_settings
from dreamnexus.analysis.stages.themes import code_themes
from dreamnexus.analysis.stages.tokenize import tokenize

Stage = Callable[[Doc], None]

# Order matters: roles need characters' mentions; affect reads the coded events.
STAGES: tuple[Stage, ...] = (
    tokenize,
    code_characters,
    code_interactions,
    code_hostile_speech,
    code_emotions,
    code_covert_hostility,
    code_settings,
    code_outcomes,
    code_body_parts,
    code_affect,
    code_themes,
)


def code(text: str, language: str | None = None) -> DreamAnalysis:
    """HVdC coding of one report, without the embedding."""
    if not isinstance(text, str):
        raise TypeError(f"dream text must be str, not {type(text).__name__}")
    doc = Doc(text)
    set_language(doc, language)
    for stage in STAGES:
        stage(doc)
    analysis = DreamAnalysis(
        language=doc.language,
        word_count=doc.word_count,
        characters=doc.characters,
        interactions=doc.interactions,
        emotions=doc.emotions,
        settings=doc.settings,
        outcomes=doc.outcomes,
        body_parts=doc.body_parts,
        valence=round(doc.valence, 4),
        arousal=round(doc.arousal, 4),
        themes=doc.themes,
        uncoded=doc.uncoded,
    )
    analysis.evidence = build_evidence(analysis)
    return analysis


def _attach(analyses: Sequence[DreamAnalysis], texts: Sequence[str], embedder: Embedder | None) -> None:
    vectors, name = embed_texts(texts, embedder)
    if vectors is None:
        return
    for analysis, vector in zip(analyses, vectors, strict=True):
        analysis.embedding = vector
        analysis.embedding_model = name


def analyze(
    text: str, language: str | None = None, embed: bool = True, embedder: Embedder | None = None
) -> DreamAnalysis:
    """Code one dream report; with `embed`, also embed it (the given embedder or the project default)."""
    analysis = code(text, language)
    if embed:
        _attach([analysis], [text], embedder or default_embedder())
    return analysis


def _code_batch(batch: list[str], language: str | None) -> list[DreamAnalysis]:
    return [code(text, language) for text in batch]


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while batch := list(islice(it, size)):
        yield batch


def pipe(
    texts: Iterable[str],
    batch_size: int = 64,
    workers: int = 1,
    embed: bool = True,
    embedder: Embedder | None = None,
    language: str | None = None,
) -> Iterator[DreamAnalysis]:
    """Stream analyses in input order; coding runs in `workers` processes, embedding once per batch here."""
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    model = (embedder or default_embedder()) if embed else None
    if workers <= 1:
        for batch in _batches(texts, batch_size):
            analyses = _code_batch(batch, language)
            _attach(analyses, batch, model)
            yield from analyses
        return
    # spawn: workers never inherit threads (embedder runtimes) or held locks from this process.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: deque[tuple[list[str], Future[list[DreamAnalysis]]]] = deque()
        # A bounded window of batches in flight keeps memory flat on endless inputs.
        for batch in _batches(texts, batch_size):
            pending.append((batch, pool.submit(_code_batch, batch, language)))
            if len(pending) >= 2 * workers:
                done_batch, future = pending.popleft()
                analyses = future.result()
                _attach(analyses, done_batch, model)
                yield from analyses
        while pending:
            done_batch, future = pending.popleft()
            analyses = future.result()
            _attach(analyses, done_batch, model)
            yield from analyses
