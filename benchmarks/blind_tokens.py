"""Blind search tokens for DreamBank reports indexed one after another; prints JSON.

    .venv/bin/python benchmarks/blind_tokens.py [--n 4000]

Every new or edited dream gets the keyed tokens of its words and prefixes (crypto/blind.py). This
measures, on real reports taken in file order (every fifth, so that one series does not dominate):
the tokens a report needs, how many of them the token cache already held (a report indexed after the
ones before it, as on a live instance), the CPU time per report with the cache and with it emptied
before each report, and the memory the full cache takes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dreamnexus.crypto import blind, keyring  # noqa: E402


def _reports(limit: int) -> list[str]:
    env = os.environ.get("DREAMNEXUS_SHARED_DIR")
    candidates = [Path(env) / "data", Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[1] / ".." / "shared" / "data")
    for directory in candidates:
        path = directory / "dreambank.jsonl.gz"
        if path.is_file():
            texts = []
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for number, line in enumerate(handle):
                    if number % 5 == 0:
                        texts.append(json.loads(line)["text"])
                    if len(texts) >= limit:
                        break
            return texts
    sys.exit("shared data not found: set DREAMNEXUS_SHARED_DIR (expects dreambank.jsonl.gz)")


def _cpu_ms_per_report(texts: list[str], *, cold: bool) -> float:
    blind._cached_token.cache_clear()
    started = time.process_time()
    for text in texts:
        if cold:
            blind._cached_token.cache_clear()
        blind.index_tokens(text)
    return 1000 * (time.process_time() - started) / len(texts)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=4000, help="reports to index, in turn")
    args = parser.parse_args()
    if not 1 <= args.n <= 22_218:
        parser.error("--n must be in [1, 22218]")
    keyring.install(keyring.Keyring.generate())
    texts = _reports(args.n)

    blind._cached_token.cache_clear()
    tokens = 0
    hits_before = 0
    for text in texts:
        tokens += len(blind.index_tokens(text).split())
    info = blind._cached_token.cache_info()
    hits_before = info.hits

    blind._cached_token.cache_clear()
    tracemalloc.start()
    for text in texts:
        blind.index_tokens(text)
    cache_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    result = {
        "reports": len(texts),
        "tokens_per_report": round(tokens / len(texts), 1),
        "token_lookups": info.hits + info.misses,
        "cache_size": blind.TOKEN_CACHE_SIZE,
        "cache_hit_rate": round(hits_before / (info.hits + info.misses), 3),
        "cpu_ms_per_report_cached": round(_cpu_ms_per_report(texts, cold=False), 3),
        "cpu_ms_per_report_uncached": round(_cpu_ms_per_report(texts, cold=True), 3),
        "cache_memory_mb": round(cache_bytes / 1e6, 1),
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
