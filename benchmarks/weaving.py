"""Benchmark of the weaving engine on festival-like input built from DreamBank; prints JSON.

Honest contributions are DreamBank reports cut into fragments of a few sentences, spread over synthetic
authors in groups of unequal sizes (with a German-language group), with trust and timestamps that include
a rush of new accounts after a show. Adversarial contributions come from dreamnexus.weaving.adversary at
0, 10, 30 and 50 percent. Analysis (featurisation) is done once up front and timed separately: the weave
times are for analysed contributions.

Usage: OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/weaving.py [--n 10000] [--quick]
(one BLAS thread: the products here are small, and threads only add waiting on a shared 2-core machine)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from dreamnexus.weaving import IncrementalWeaver, WeaveParameters, default_featuriser, weave
from dreamnexus.weaving.adversary import generate_attacks
from dreamnexus.weaving.features import Features, PrecomputedFeaturiser
from dreamnexus.weaving.model import parse_contribution
from dreamnexus.weaving.text import sentence_spans

GROUPS = ("north", "south", "east", "west", "harbour", "hills")
GROUP_WEIGHTS = (0.34, 0.24, 0.16, 0.12, 0.09, 0.05)
DE_GROUP = "lang-de"
START = 1_780_000_000.0
DURATION = 3 * 3600.0


def shared_dir() -> Path:
    env = os.environ.get("DREAMNEXUS_SHARED_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared"


def fragments(text: str, lo: int = 100, hi: int = 350) -> list[str]:
    out, cur = [], ""
    for s, e in sentence_spans(text):
        sent = text[s:e]
        if cur and len(cur) + len(sent) + 1 > hi:
            if len(cur) >= lo:
                out.append(cur)
            cur = sent
        else:
            cur = f"{cur} {sent}".strip()
    if len(cur) >= lo:
        out.append(cur[:hi] if len(cur) > hi * 2 else cur)
    return out


def honest_pool(n: int, seed: int) -> list[dict[str, Any]]:
    path = shared_dir() / "data" / "dreambank.jsonl.gz"
    if not path.is_file():
        sys.exit(f"DreamBank not found at {path} (set DREAMNEXUS_SHARED_DIR)")
    rng = np.random.default_rng(seed)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        reports = [json.loads(line) for line in handle]
    order = rng.permutation(len(reports))
    by_lang: dict[str, list[list[str]]] = {"en": [], "de": []}
    for i in order:
        r = reports[int(i)]
        frags = fragments(r["text"])
        if frags:
            by_lang.setdefault(r["language"], []).append(frags)
    records: list[dict[str, Any]] = []
    author = 0
    pools = {"en": iter(by_lang["en"]), "de": iter(by_lang["de"])}
    rush = START + 0.6 * DURATION
    while len(records) < n:
        is_de = rng.random() < 0.05
        frags = next(pools["de" if is_de else "en"])
        group = DE_GROUP if is_de else GROUPS[int(rng.choice(len(GROUPS), p=GROUP_WEIGHTS))]
        new_account = rng.random() < 0.15
        trust = float(rng.random() * 0.25) if new_account else float(rng.beta(5, 2))
        take = min(len(frags), 1 + int(rng.geometric(0.55)) - 1, 5) or 1
        for k in range(take):
            # A third of honest posts arrive in a rush after the evening show, new accounts included.
            t = rush + rng.random() * 900 if rng.random() < 0.3 else START + rng.random() * DURATION
            records.append(
                {
                    "id": f"h-{author}-{k}",
                    "author": f"h-{author}",
                    "text": frags[k],
                    "group": group,
                    "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                    "trust": round(trust, 3),
                }
            )
        author += 1
    return records[:n]


def featurise_all(records: list[dict[str, Any]]) -> tuple[PrecomputedFeaturiser, float, str]:
    feat = default_featuriser()
    rows = [parse_contribution(r) for r in records]
    t0 = time.perf_counter()
    parts = [feat.featurise(rows[i : i + 2000]) for i in range(0, len(rows), 2000)]
    elapsed = time.perf_counter() - t0
    merged = Features(
        np.concatenate([p.embeddings for p in parts]),
        np.concatenate([p.valence for p in parts]),
        np.concatenate([p.arousal for p in parts]),
        np.concatenate([p.emotions for p in parts]),
        [t for p in parts for t in p.themes],
    )
    return PrecomputedFeaturiser([r.id for r in rows], merged, feat.name), elapsed, feat.name


def evaluate(
    records: list[dict[str, Any]], featuriser: PrecomputedFeaturiser, params: WeaveParameters
) -> dict:
    w = weave(records, params, seed=7, featuriser=featuriser)
    kind = {r["id"]: r.get("attack") for r in records}
    honest = [r for r in records if kind[r["id"]] is None]
    excluded = {e.id: e.reason for e in w.excluded}
    down = {d["id"]: d["reason"] for d in w.downweighted}
    total_chars = sum(len(p.text) - len(p.connective) for p in w.passages) or 1
    adv_chars = sum(
        len(p.text) - len(p.connective) for p in w.passages if kind[p.sources[0].contribution_id] is not None
    )
    honest_authors: dict[str, set[str]] = {}
    for r in honest:
        honest_authors.setdefault(r["group"], set()).add(r["author"])
    n_auth = sum(len(a) for a in honest_authors.values())
    group_of = {r["id"]: r["group"] for r in records}
    woven: Counter[str] = Counter()
    for p in w.passages:
        woven[group_of[p.sources[0].contribution_id]] += len(p.text) - len(p.connective)
    true_gap = max(abs(woven.get(g, 0) / total_chars - len(a) / n_auth) for g, a in honest_authors.items())
    missing = sorted(g for g, a in honest_authors.items() if len(a) >= 3 and woven.get(g, 0) == 0)
    adv = [r for r in records if kind[r["id"]] is not None]
    by_kind: dict[str, dict[str, float]] = {}
    for k in sorted({kind[r["id"]] for r in adv}):
        ids = [r["id"] for r in adv if kind[r["id"]] == k]
        by_kind[k] = {
            "excluded": round(sum(i in excluded for i in ids) / len(ids), 4),
            "downweighted": round(sum(i in down for i in ids) / len(ids), 4),
        }
    honest_ex = Counter(excluded[r["id"]] for r in honest if r["id"] in excluded)
    honest_dw = Counter(down[r["id"]] for r in honest if r["id"] in down)
    return {
        "contributions": len(records),
        "passages": len(w.passages),
        "adversarial_woven_share": round(adv_chars / total_chars, 4),
        "honest_false_exclusion_rate": round(sum(honest_ex.values()) / max(1, len(honest)), 4),
        "honest_false_exclusions_by_reason": dict(sorted(honest_ex.items())),
        "honest_downweighted_rate": round(sum(honest_dw.values()) / max(1, len(honest)), 4),
        "honest_downweighted_by_reason": dict(sorted(honest_dw.items())),
        "representation_gap": w.metrics["representation_gap"],
        "representation_gap_vs_true_honest": round(true_gap, 4),
        "groups_with_3plus_honest_missing": missing,
        "coverage": w.metrics["coverage"],
        "redundancy": w.metrics["redundancy"],
        "coherence": w.metrics["coherence"],
        "arc_fit": w.metrics["arc_fit"],
        "adversarial_handling_by_kind": by_kind,
    }


def timed_weave(
    records: list[dict[str, Any]], featuriser: PrecomputedFeaturiser, params: WeaveParameters, repeats: int
) -> dict[str, float]:
    """Median wall and CPU seconds; CPU time is what the weave costs when the machine is not shared."""
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        weave(records, params, seed=7, featuriser=featuriser)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"wall_s": round(statistics.median(wall), 3), "cpu_s": round(statistics.median(cpu), 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="1k contributions only, one timing run")
    args = ap.parse_args()
    n = 1000 if args.quick else args.n
    params = WeaveParameters()
    pool = honest_pool(n + 300, seed=11)
    groups = (*GROUPS, DE_GROUP)
    attacks = generate_attacks(n // 2 + 300, seed=5, start=START, duration=DURATION, groups=groups)
    rng = np.random.default_rng(3)
    adv_order = rng.permutation(len(attacks))
    attacks = [attacks[int(i)] for i in adv_order]
    featuriser, feat_s, feat_name = featurise_all(pool + attacks)
    out: dict[str, Any] = {
        "featuriser": feat_name,
        "machine_cpus": os.cpu_count(),
        # Other jobs share this machine: the load average tells how far the timings are inflated.
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "featurise_texts_per_s": round(len(pool + attacks) / feat_s, 1),
        "params": params.to_dict(),
        "by_adversarial_share": {},
    }
    for share in (0.0, 0.1, 0.3, 0.5):
        n_adv = int(round(n * share))
        records = pool[: n - n_adv] + attacks[:n_adv]
        out["by_adversarial_share"][f"{int(share * 100)}%"] = evaluate(records, featuriser, params)
    n_adv_1k = 300
    records_1k = pool[:700] + attacks[:n_adv_1k]
    out["weave_time_1k"] = timed_weave(records_1k, featuriser, params, 1 if args.quick else 3)
    if not args.quick:
        records = pool[: n - int(0.3 * n)] + attacks[: int(0.3 * n)]
        out[f"weave_time_{n // 1000}k"] = timed_weave(records, featuriser, params, 3)
        t0 = time.perf_counter()
        live = IncrementalWeaver(params, seed=7, featuriser=featuriser, initial=records)
        out[f"incremental_build_{n // 1000}k_s"] = round(time.perf_counter() - t0, 3)
        extra = pool[n - int(0.3 * n) : n - int(0.3 * n) + 140] + attacks[int(0.3 * n) : int(0.3 * n) + 60]
        extra = [extra[int(i)] for i in rng.permutation(len(extra))]
        lat, lat_cpu = [], []
        for r in extra:
            t0, c0 = time.perf_counter(), time.process_time()
            live.add(r)
            lat.append((time.perf_counter() - t0) * 1000)
            lat_cpu.append((time.process_time() - c0) * 1000)
        t0 = time.perf_counter()
        w = live.weave()
        out["incremental_weave_render_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        out["incremental_update_ms"] = {
            "median": round(statistics.median(lat), 2),
            "p95": round(float(np.percentile(lat, 95)), 2),
            "max": round(max(lat), 2),
            "cpu_median": round(statistics.median(lat_cpu), 2),
            "cpu_p95": round(float(np.percentile(lat_cpu, 95)), 2),
            "updates": len(lat),
        }
        kind = {r["id"]: r.get("attack") for r in records + extra}
        adv_chars = sum(len(p.text) for p in w.passages if kind[p.sources[0].contribution_id] is not None)
        out["incremental_after_updates"] = {
            "adversarial_woven_share": round(adv_chars / max(1, sum(len(p.text) for p in w.passages)), 4),
            "representation_gap": w.metrics["representation_gap"],
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
