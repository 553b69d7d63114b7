"""Throughput and memory of the analysis engine on 2,000 DreamBank reports; prints JSON.

    .venv/bin/python benchmarks/analysis.py [--n 2000] [--workers 2]

"coding" is the HVdC coding without embeddings; "full" adds the default embedder (batched). Rates are
wall-clock reports/s, plus reports per CPU-second of this process (robust when other jobs share the
cores; the load average at start is printed). Peak RSS is the largest resident set of this process and,
separately, of any worker process.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dreamnexus.analysis import ANALYSIS_VERSION, pipe  # noqa: E402
from dreamnexus.analysis.stages.embed import default_embedder  # noqa: E402


def _shared_data_dir() -> Path:
    env = os.environ.get("DREAMNEXUS_SHARED_DIR")
    candidates = [Path(env) / "data", Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    for path in candidates:
        if (path / "dreambank.jsonl.gz").is_file():
            return path.resolve()
    sys.exit("shared data not found: set DREAMNEXUS_SHARED_DIR (expects dreambank.jsonl.gz)")


def dreambank() -> Iterator[dict[str, Any]]:
    """DreamBank records from ../shared/data (read in place, never copied into the repository)."""
    with gzip.open(_shared_data_dir() / "dreambank.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def _rate(texts: list[str], **kwargs: object) -> float:
    start = time.perf_counter()
    n = sum(1 for _ in pipe(texts, **kwargs))  # type: ignore[arg-type]
    return n / (time.perf_counter() - start)


def _cpu_rate(texts: list[str], **kwargs: object) -> float:
    """Reports per CPU-second of this process: what a core gives when the machine is not shared."""
    start = time.process_time()
    n = sum(1 for _ in pipe(texts, **kwargs))  # type: ignore[arg-type]
    return n / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    records = [r for r in dreambank() if r["language"] == "en"]
    random.Random(7).shuffle(records)
    texts = [r["text"] for r in records[: args.n]]
    _rate(texts[:50], embed=False)  # warm-up: lexicons, regexes
    result: dict[str, object] = {
        "version": ANALYSIS_VERSION,
        "reports": len(texts),
        "mean_words": round(sum(len(t.split()) for t in texts) / len(texts), 1),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "coding_reports_per_s_1_worker": round(_rate(texts, embed=False), 1),
        "coding_reports_per_cpu_s": round(_cpu_rate(texts, embed=False), 1),
        f"coding_reports_per_s_{args.workers}_workers": round(
            _rate(texts, embed=False, workers=args.workers), 1
        ),
    }
    embedder = default_embedder()
    if embedder is None:
        result["full_reports_per_s"] = None
        result["embedding_model"] = None
        result["note"] = "no embedder available (dreamnexus.analysis.embedding or its model files missing)"
    else:
        embedder.embed(texts[:8])
        result["embedding_model"] = embedder.name
        result["full_reports_per_s_1_worker"] = round(_rate(texts, embed=True), 1)
        result["full_reports_per_cpu_s"] = round(_cpu_rate(texts, embed=True), 1)
        result[f"full_reports_per_s_{args.workers}_workers"] = round(
            _rate(texts, embed=True, workers=args.workers), 1
        )
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["peak_rss_mb_worker"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
