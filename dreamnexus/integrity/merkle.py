"""RFC 9162 Merkle tree hashes, inclusion proofs and consistency proofs (§2.1), with their verification.

Leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right), split at the largest power
of two smaller than the size. `MerkleTree` keeps every complete aligned subtree, so a root or a proof for
any size up to the tree's size costs O(log n) hashes after one O(n) build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

_sha256 = hashlib.sha256
EMPTY_ROOT = _sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    return _sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162: the largest power of two strictly smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    def __init__(self, leaves: Iterable[bytes]) -> None:
        level = [_sha256(b"\x00" + leaf).digest() for leaf in leaves]
        self.levels: list[list[bytes]] = [level]
        while len(level) > 1:
            level = [_sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def _check(self, n: int) -> None:
        if not 0 <= n <= self.size:
            raise ValueError(f"tree size {n} is outside 0..{self.size}")

    def subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end])."""
        width = end - start
        if width == 1:
            return self.levels[0][start]
        if width & (width - 1) == 0 and start % width == 0:
            return self.levels[width.bit_length() - 1][start // width]
        k = largest_power_of_two_below(width)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))

    def root(self, n: int | None = None) -> bytes:
        n = self.size if n is None else n
        self._check(n)
        return EMPTY_ROOT if n == 0 else self.subtree(0, n)

    def inclusion_proof(self, index: int, n: int | None = None) -> list[bytes]:
        n = self.size if n is None else n
        self._check(n)
        if not 0 <= index < n:
            raise ValueError(f"leaf {index} is not in a tree of size {n}")
        return self._path(index, 0, n)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = largest_power_of_two_below(n)
        if m < k:
            return [*self._path(m, start, start + k), self.subtree(start + k, end)]
        return [*self._path(m - k, start + k, end), self.subtree(start, start + k)]

    def consistency_proof(self, m: int, n: int | None = None) -> list[bytes]:
        n = self.size if n is None else n
        self._check(n)
        if not 0 <= m <= n:
            raise ValueError(f"cannot prove size {m} consistent with size {n}")
        if m == 0 or m == n:
            return []
        return self._subproof(m, 0, n, True)

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if complete else [self.subtree(start, end)]
        k = largest_power_of_two_below(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, complete), self.subtree(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self.subtree(start, start + k)]


def root_of(leaves: Sequence[bytes]) -> bytes:
    return MerkleTree(leaves).root()


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2 (size 0 is trivially consistent with anything)."""
    if not 0 <= first <= second:
        return False
    if first == 0:
        return not proof
    if first == second:
        return not proof and first_root == second_root
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0
