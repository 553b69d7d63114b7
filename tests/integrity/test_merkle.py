"""RFC 9162 trees: roots, inclusion and consistency proofs for many sizes, and that forgeries fail."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from dreamnexus.integrity.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    largest_power_of_two_below,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)


def reference_root(leaves: list[bytes]) -> bytes:
    """The RFC's recursive definition, written out literally."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = largest_power_of_two_below(len(leaves))
    left, right = reference_root(leaves[:k]), reference_root(leaves[k:])
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaves_of(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def test_known_small_trees() -> None:
    a, b, c = b"a", b"b", b"c"
    assert MerkleTree([]).root() == EMPTY_ROOT
    assert MerkleTree([a]).root() == leaf_hash(a)
    assert MerkleTree([a, b, c]).root() == node_hash(node_hash(leaf_hash(a), leaf_hash(b)), leaf_hash(c))


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=300))
def test_root_matches_the_rfc_definition_for_every_prefix(n: int) -> None:
    leaves = leaves_of(n)
    tree = MerkleTree(leaves)
    assert tree.root() == reference_root(leaves)
    for m in {0, 1, n // 3, n // 2, n - 1} & set(range(n + 1)):
        assert tree.root(m) == reference_root(leaves[:m])


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_inclusion_proofs_verify_and_forgeries_fail(data: st.DataObject) -> None:
    size = data.draw(st.integers(min_value=1, max_value=200), label="size")
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="index")
    leaves = leaves_of(size)
    tree = MerkleTree(leaves)
    proof = tree.inclusion_proof(index)
    root = tree.root()
    assert verify_inclusion(leaves[index], index, size, proof, root)
    assert not verify_inclusion(b"forged", index, size, proof, root)
    if size > 1:
        assert not verify_inclusion(leaves[index], (index + 1) % size, size, proof, root)
    if proof:
        bad = list(proof)
        bad[0] = bytes(32)
        assert not verify_inclusion(leaves[index], index, size, bad, root)
        assert not verify_inclusion(leaves[index], index, size, proof[:-1], root)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_consistency_proofs_verify_and_forgeries_fail(data: st.DataObject) -> None:
    second = data.draw(st.integers(min_value=1, max_value=200), label="second")
    first = data.draw(st.integers(min_value=1, max_value=second), label="first")
    tree = MerkleTree(leaves_of(second))
    first_root, second_root = tree.root(first), tree.root()
    proof = tree.consistency_proof(first)
    assert verify_consistency(first, second, first_root, second_root, proof)
    if first < second:
        assert not verify_consistency(first, second, first_root, bytes(32), proof)
        assert not verify_consistency(first, second, bytes(32), second_root, proof)
        # A log that rewrote an old leaf cannot prove it extends the old root.
        rewritten = leaves_of(second)
        rewritten[first - 1] = b"rewritten"
        other = MerkleTree(rewritten)
        assert not verify_consistency(first, second, first_root, other.root(), other.consistency_proof(first))
    if proof:
        assert not verify_consistency(first, second, first_root, second_root, proof[:-1])


def test_every_pair_of_sizes_up_to_40() -> None:
    tree = MerkleTree(leaves_of(40))
    for second in range(1, 41):
        for first in range(0, second + 1):
            proof = tree.consistency_proof(first, second)
            assert verify_consistency(first, second, tree.root(first), tree.root(second), proof)
        for index in range(second):
            proof = tree.inclusion_proof(index, second)
            assert verify_inclusion(leaves_of(40)[index], index, second, proof, tree.root(second))


_text = st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=-(2**62), max_value=2**62),
    _text,
    st.none() | _text,
    _text,
    _text,
    _text,
    st.none() | _text,
    _text,
)
def test_fast_entry_hash_is_the_canonical_json_hash(
    seq: int,
    at: str,
    actor: str | None,
    action: str,
    object_type: str,
    object_id: str,
    digest: str | None,
    prev: str,
) -> None:
    from dreamnexus.integrity.chain import entry_fields, entry_hash, hash_entry

    fields = entry_fields(seq, at, actor, action, object_type, object_id, digest, prev)
    assert hash_entry(seq, at, actor, action, object_type, object_id, digest, prev) == entry_hash(fields)
