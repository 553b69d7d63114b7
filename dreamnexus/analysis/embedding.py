"""Fast static sentence embeddings for dream reports.

The shipped model (built offline by ``tools/distill_embeddings.py``, described in ``docs/embeddings.md``)
approximates Google's multilingual Universal Sentence Encoder v3: the teacher sums contextual per-token
features and passes the sum through a small MLP. Here each token's feature is replaced by a fixed vector
(its expectation over random contexts, PCA-compressed, 4-bit), so the run-time work is a whitespace split,
a cached segmentation of each chunk into the teacher's subword pieces, one gather-and-sum per text, and
a few small matrix products for the whole batch: thousands of reports per second with numpy alone. The
output lives in the teacher's 512-d space.

The model files ship inside the package and are checked against the sha256 sums of their manifest on
load, so a corrupted or swapped table fails loudly instead of silently returning other vectors.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_MODEL_DIR",
    "ModelIntegrityError",
    "StaticEmbedder",
    "default_embedder",
]

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "static_use_m3"
MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1

# SentencePiece marks a word start with U+2581 instead of a space; the table's pieces use the same mark.
_WORD_START = "\u2581"
_CHUNK = re.compile(r"\S+")
# Chunks longer than this are rare (URLs, runs of symbols) and not worth keeping in the cache.
_CACHE_MAX_CHUNK = 48
# Bounds the chunk cache of a long-running process; ~200k short tuples stay in the tens of MB.
_CACHE_MAX_ENTRIES = 200_000
_MODEL_FILES = ("tokens.json", "vectors.npy", "scales.npy", "head.npz")
_HEAD_KEYS = ("d0", "d1", "d2", "d3", "p1", "p3", "basis", "mean", "edges")


class ModelIntegrityError(RuntimeError):
    """The embedding model files are missing, malformed or do not match their manifest."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_manifest(model_dir: Path) -> dict[str, Any]:
    manifest_path = model_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        raise ModelIntegrityError(f"embedding model manifest not found: {manifest_path}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelIntegrityError(f"unreadable embedding model manifest {manifest_path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise ModelIntegrityError(f"{manifest_path}: unsupported manifest (expected format {FORMAT_VERSION})")
    files = manifest.get("files")
    if not isinstance(files, dict) or not set(_MODEL_FILES) <= files.keys():
        raise ModelIntegrityError(f"{manifest_path}: 'files' must list {', '.join(_MODEL_FILES)}")
    return manifest


def _verify_files(model_dir: Path, files: dict[str, str]) -> None:
    for name, expected in files.items():
        path = model_dir / name
        if Path(name).name != name or not path.is_file():
            raise ModelIntegrityError(f"embedding model file missing: {path}")
        actual = _sha256(path)
        if actual != expected:
            raise ModelIntegrityError(
                f"embedding model file {path} fails its hash check "
                f"(manifest sha256 {expected}, file sha256 {actual}); reinstall the package or rebuild "
                "the model with tools/distill_embeddings.py"
            )


class _PieceSegmenter:
    """Unigram (Viterbi) segmentation of a word into the table's pieces, as SentencePiece does it.

    The kept vocabulary is a subset of the teacher's, so a word whose teacher pieces were dropped falls
    back to smaller pieces that were kept; characters with no piece at all are skipped.
    """

    def __init__(self, pieces: Sequence[str], scores: Sequence[float]) -> None:
        self._scores = [float(s) for s in scores]
        # One flat dict for pieces and their proper prefixes: value id+1 for a piece, 0 for "keep walking".
        prefixes: dict[str, int] = {}
        for pid, piece in enumerate(pieces):
            for k in range(1, len(piece)):
                prefixes.setdefault(piece[:k], 0)
            prefixes[piece] = pid + 1
        self._prefixes = prefixes
        self._max_len = max((len(p) for p in pieces), default=1)
        # Skipping a character must cost more than any chain of real pieces covering it.
        self._skip_score = min(self._scores, default=0.0) - 10.0
        self._cache: dict[str, tuple[int, ...]] = {}

    def segment(self, chunk: str) -> tuple[int, ...]:
        cached = self._cache.get(chunk)
        if cached is not None:
            return cached
        ids = self._viterbi(_WORD_START + chunk)
        if len(chunk) <= _CACHE_MAX_CHUNK:
            if len(self._cache) >= _CACHE_MAX_ENTRIES:
                self._cache.clear()
            self._cache[chunk] = ids
        return ids

    def _viterbi(self, text: str) -> tuple[int, ...]:
        n = len(text)
        best = [0.0] + [-1e38] * n
        back = [0] * (n + 1)
        piece_at = [-1] * (n + 1)
        get = self._prefixes.get
        scores = self._scores
        for i in range(n):
            base = best[i]
            stop = min(n, i + self._max_len)
            for j in range(i + 1, stop + 1):
                value = get(text[i:j])
                if value is None:
                    break
                if value:
                    score = base + scores[value - 1]
                    if score > best[j]:
                        best[j], back[j], piece_at[j] = score, i, value - 1
            skip = base + self._skip_score
            if skip > best[i + 1]:
                best[i + 1], back[i + 1], piece_at[i + 1] = skip, i, -1
        ids: list[int] = []
        pos = n
        while pos > 0:
            if piece_at[pos] >= 0:
                ids.append(piece_at[pos])
            pos = back[pos]
        ids.reverse()
        return tuple(ids)


def _unpack_nibbles(packed: np.ndarray) -> np.ndarray:
    """4-bit codes stored two per byte as code + 8, even column in the low nibble."""
    unpacked = np.empty((packed.shape[0], packed.shape[1] * 2), dtype=np.int8)
    unpacked[:, 0::2] = (packed & 0x0F).astype(np.int8) - 8
    unpacked[:, 1::2] = (packed >> 4).astype(np.int8) - 8
    return unpacked


class StaticEmbedder:
    """Sentence embeddings from a distilled static token table (see module docstring)."""

    def __init__(self, model_dir: str | Path = DEFAULT_MODEL_DIR) -> None:
        model_dir = Path(model_dir)
        manifest = _load_manifest(model_dir)
        _verify_files(model_dir, manifest["files"])
        try:
            tokens = json.loads((model_dir / "tokens.json").read_text(encoding="utf-8"))
            vectors = np.load(model_dir / "vectors.npy", allow_pickle=False)
            scales = np.load(model_dir / "scales.npy", allow_pickle=False)
            with np.load(model_dir / "head.npz", allow_pickle=False) as archive:
                head = {key: np.asarray(archive[key], dtype=np.float32) for key in _HEAD_KEYS}
            pieces = [str(p) for p in tokens["pieces"]]
            scores = [float(s) for s in tokens["scores"]]
            dim = int(manifest["dim"])
            name = str(manifest["name"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelIntegrityError(f"malformed embedding model in {model_dir}: {exc}") from exc
        coefficients = head["basis"].shape[0]
        if manifest.get("table_bits") != 4 or vectors.dtype != np.uint8 or coefficients % 2:
            raise ModelIntegrityError(f"embedding model in {model_dir}: expected a packed 4-bit table")
        if (
            vectors.shape != (len(pieces), coefficients // 2)
            or scales.shape != (len(pieces),)
            or len(scores) != len(pieces)
            or head["basis"].shape[1] != head["mean"].shape[0]
            or head["d3"].shape[1] != dim
        ):
            raise ModelIntegrityError(f"embedding model in {model_dir} has inconsistent shapes")
        self.name: str = name
        self.dim: int = dim
        self.manifest: dict[str, Any] = manifest
        # Unpacked to int8 once (a quarter of float32's memory) and scaled per text, where rows are few.
        self._vectors = _unpack_nibbles(vectors)
        self._scales = scales.astype(np.float32)
        self._head = head
        self._segmenter = _PieceSegmenter(pieces, scores)

    @property
    def vocab_size(self) -> int:
        return int(self._vectors.shape[0])

    def token_ids(self, text: str) -> list[int]:
        """The table rows that ``text`` is made of, in order (useful for debugging and tests)."""
        ids: list[int] = []
        segment = self._segmenter.segment
        for chunk in _CHUNK.findall(unicodedata.normalize("NFKC", text)):
            ids.extend(segment(chunk))
        return ids

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` into float32 rows of unit length; a text without known pieces gives zeros."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts; wrap a single text in a list")
        sums = np.zeros((len(texts), self._vectors.shape[1]), dtype=np.float32)
        counts = np.zeros(len(texts), dtype=np.float32)
        vectors, scales = self._vectors, self._scales
        for row, text in enumerate(texts):
            ids = self.token_ids(text)
            if ids:
                index = np.asarray(ids, dtype=np.intp)
                # One small matmul per text is far faster than a batched np.add.reduceat over axis 0.
                sums[row] = scales[index] @ vectors[index]
                counts[row] = len(ids)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        rows = np.flatnonzero(counts)
        if rows.size:
            out[rows] = self._pool_and_project(sums[rows], counts[rows])
        return out

    def _pool_and_project(self, sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """The teacher's pooling (sum / sqrt(n), with <s> and </s> counted) and MLP head, L2-normalised."""
        w = self._head
        pooled = sums @ w["basis"] + counts[:, None] * w["mean"] + w["edges"]
        pooled /= np.sqrt(counts + 2.0)[:, None]
        y0 = np.maximum(pooled @ w["d0"], 0.0)
        y1 = np.maximum(pooled @ w["p1"] + y0 @ w["d1"], 0.0)
        y2 = np.maximum(y1 @ w["d2"], 0.0)
        z = np.tanh(y1 @ w["p3"] + y2 @ w["d3"])
        norms = np.linalg.norm(z, axis=1, keepdims=True)
        # An all-zero z is degenerate but possible in float32; such rows stay zero instead of NaN.
        return np.divide(z, norms, out=np.zeros_like(z), where=norms > 0)


@lru_cache(maxsize=1)
def default_embedder() -> StaticEmbedder:
    """The shipped embedder, loaded once per process."""
    return StaticEmbedder(DEFAULT_MODEL_DIR)
