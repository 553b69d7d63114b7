"""Benchmark of the resonance engine: vector index speed/recall and one dream-exchange round.

Prints one JSON object (the keys are a contract):
{"index": [{"n", "dim", "build_s", "query_p50_ms", "query_p99_ms", "recall_at_10", "rss_mb", ...}],
 "exchange": {"participants", "seconds", "worst_quality", "mean_quality", "greedy_worst_quality",
              "greedy_mean_quality", ...}}

Vectors imitate dream embeddings rather than uniform noise: unit vectors made of a shared direction
(all texts of one kind lean the same way), a topic drawn from a few thousand Zipf-sized clusters, and
per-dream noise; emotions follow a per-topic profile. Default dim 512 is the project embedder's
(dreamnexus.analysis.embedding, a static distillation of multilingual USE).

    .venv/bin/python benchmarks/resonance.py --sizes 100000,1000000 --exchange 10000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

import numpy as np

from dreamnexus.resonance.exchange import Participant, exchange_round, greedy_round
from dreamnexus.resonance.features import HVDC_EMOTIONS, DreamFeatures
from dreamnexus.resonance.hnsw import HnswIndex
from dreamnexus.resonance.index import ExactIndex

EXACT_MAX = 50_000


class DreamLikeVectors:
    """Generator of clustered, anisotropic unit vectors with per-topic emotion profiles."""

    def __init__(self, dim: int, topics: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.dim = dim
        self.shared = rng.normal(size=dim).astype(np.float32)
        self.shared /= np.linalg.norm(self.shared)
        self.centers = rng.normal(size=(topics, dim)).astype(np.float32) / np.sqrt(dim)
        weights = 1.0 / np.arange(1, topics + 1) ** 0.8  # a few frequent topics, a long tail
        self.topic_p = weights / weights.sum()
        self.emotion_profiles = rng.dirichlet(np.full(len(HVDC_EMOTIONS), 0.6), size=topics)
        self.valence = rng.uniform(-0.8, 0.8, size=topics)

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        topics = rng.choice(len(self.topic_p), size=n, p=self.topic_p)
        out = np.empty((n, self.dim), dtype=np.float32)
        for start in range(0, n, 100_000):
            stop = min(start + 100_000, n)
            noise = rng.standard_normal((stop - start, self.dim), dtype=np.float32) / np.sqrt(self.dim)
            block = 0.5 * self.shared + 1.0 * self.centers[topics[start:stop]] + 0.9 * noise
            block /= np.linalg.norm(block, axis=1, keepdims=True)
            out[start:stop] = block
        return out, topics


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def exact_top10(base: np.ndarray, queries: np.ndarray) -> np.ndarray:
    best_s = np.full((len(queries), 10), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 10), dtype=np.int64)
    for start in range(0, len(base), 200_000):
        scores = queries @ base[start : start + 200_000].T
        idx = np.argpartition(-scores, 9, axis=1)[:, :10]
        cand_s = np.concatenate([best_s, np.take_along_axis(scores, idx, axis=1)], axis=1)
        cand_i = np.concatenate([best_i, idx + start], axis=1)
        keep = np.argsort(-cand_s, axis=1)[:, :10]
        best_s = np.take_along_axis(cand_s, keep, axis=1)
        best_i = np.take_along_axis(cand_i, keep, axis=1)
    return best_i


def bench_index(
    n: int, dim: int, queries: int, efs: list[int], seed: int, ef_construction: int, m: int
) -> list[dict]:
    """One build per size; one result entry per ef_search value, measured on that same build."""
    gen = DreamLikeVectors(dim, topics=max(50, n // 500), seed=seed)
    rng = np.random.default_rng(seed + 1)
    base, _ = gen.sample(n, rng)
    query_vecs, _ = gen.sample(queries, rng)
    truth = exact_top10(base, query_vecs)
    kind = "exact" if n <= EXACT_MAX else "hnsw"
    start = time.perf_counter()
    if kind == "exact":
        index: ExactIndex | HnswIndex = ExactIndex(dim, initial_capacity=n)
    else:
        index = HnswIndex(dim, m=m, ef_construction=ef_construction, initial_capacity=n)
    for s in range(0, n, 100_000):
        index.add(range(s, min(s + 100_000, n)), base[s : s + 100_000])
    build_s = time.perf_counter() - start
    results = []
    for ef in efs if kind == "hnsw" else [None]:
        if isinstance(index, HnswIndex) and ef is not None:
            index.set_ef(ef)
        times, hits = [], 0
        for q, expected in zip(query_vecs, truth, strict=True):
            t0 = time.perf_counter()
            got = index.search(q, 10)
            times.append((time.perf_counter() - t0) * 1000)
            hits += len({i for i, _ in got} & set(expected.tolist()))
        results.append(
            {
                "n": n,
                "dim": dim,
                "build_s": round(build_s, 2),
                "query_p50_ms": round(float(np.percentile(times, 50)), 3),
                "query_p99_ms": round(float(np.percentile(times, 99)), 3),
                "recall_at_10": round(hits / (10 * queries), 4),
                "rss_mb": round(rss_mb(), 1),
                "kind": kind,
                "ef_search": ef,
                "ef_construction": ef_construction if kind == "hnsw" else None,
                "m": m if kind == "hnsw" else None,
            }
        )
    del index, base
    return results


def bench_exchange(n: int, dim: int, seed: int) -> dict:
    gen = DreamLikeVectors(dim, topics=max(20, n // 200), seed=seed)
    rng = np.random.default_rng(seed + 2)
    vectors, topics = gen.sample(n, rng)
    people = []
    for i in range(n):
        emotions = rng.dirichlet(gen.emotion_profiles[topics[i]] * 8 + 0.1)
        valence = float(np.clip(gen.valence[topics[i]] + rng.normal(scale=0.3), -1, 1))
        dream = DreamFeatures(
            f"dream{i}",
            vectors[i],
            emotions=dict(zip(HVDC_EMOTIONS, emotions.tolist(), strict=True)),
            valence=valence,
        )
        people.append(Participant(f"dreamer{i}", dream))
    # Some history: each dreamer already met two others in earlier rounds, and a few blocks.
    previous = [(f"dreamer{i}", f"dreamer{(i + 1 + j * 7) % n}") for i in range(n) for j in range(2)]
    blocks = [(f"dreamer{i}", f"dreamer{int(rng.integers(n))}") for i in range(0, n, 50)]
    cpu0, t0 = time.process_time(), time.perf_counter()
    ours = exchange_round(people, forbidden=blocks, previous_pairs=previous)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    greedy = greedy_round(people, forbidden=blocks, previous_pairs=previous)
    return {
        "participants": n,
        "seconds": round(seconds, 2),
        "worst_quality": round(ours.worst_quality, 4),
        "mean_quality": round(ours.mean_quality, 4),
        "greedy_worst_quality": round(greedy.worst_quality, 4),
        "greedy_mean_quality": round(greedy.mean_quality, 4),
        "cpu_seconds": round(cpu, 2),
        "unmatched": len(ours.unmatched),
        "extras": len(ours.extras),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000", help="comma-separated corpus sizes")
    parser.add_argument(
        "--exchange", type=int, default=10_000, help="participants in the exchange round (0: skip)"
    )
    parser.add_argument("--dim", type=int, default=512)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--ef", default="256,400", help="HNSW ef_search values, comma-separated (one entry each)"
    )
    parser.add_argument("--ef-construction", type=int, default=200, help="HNSW ef_construction")
    parser.add_argument("--m", type=int, default=16, help="HNSW M")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    report: dict = {"index": [], "exchange": None}
    for n in sizes:
        efs = [int(e) for e in args.ef.split(",") if e.strip()]
        for entry in bench_index(n, args.dim, args.queries, efs, args.seed, args.ef_construction, args.m):
            report["index"].append(entry)
            print(json.dumps(entry), file=sys.stderr, flush=True)
    if args.exchange:
        report["exchange"] = bench_exchange(args.exchange, args.dim, args.seed)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
