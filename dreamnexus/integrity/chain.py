"""The exact form of a chain entry and its hash; shared by the writer, the verifier and outside tools."""

from __future__ import annotations

import hashlib
import hmac
import json.encoder
from typing import Any

from dreamnexus.integrity.canonical import canonical_str

FORMAT_VERSION = 1
# The quoting json.dumps(ensure_ascii=False) uses (the C version when available).
_quote = json.encoder.encode_basestring


def entry_fields(
    seq: int,
    at: str,
    actor: str | None,
    action: str,
    object_type: str,
    object_id: str,
    digest: str | None,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "v": FORMAT_VERSION,
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "digest": digest,
        "prev": prev_hash,
    }


def entry_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the entry, whose `prev` is the previous entry's hash."""
    return hashlib.sha256(canonical_str(fields).encode()).hexdigest()


def _json_str(value: str | None) -> str:
    return "null" if value is None else _quote(value)


def hash_entry(
    seq: int,
    at: str,
    actor: str | None,
    action: str,
    object_type: str,
    object_id: str,
    digest: str | None,
    prev_hash: str,
) -> str:
    """`entry_hash(entry_fields(...))` without building a dict: the verifier's inner loop.

    The keys are written in sorted order with the encoder's own string quoting, so the bytes are the
    canonical JSON exactly (a property test holds the two to each other).
    """
    text = (
        f'{{"action":{_quote(action)},"actor":{_json_str(actor)},"at":{_quote(at)},'
        f'"digest":{_json_str(digest)},"object_id":{_quote(object_id)},"object_type":{_quote(object_type)},'
        f'"prev":{_quote(prev_hash)},"seq":{int(seq)},"v":{FORMAT_VERSION}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def entry_mac(key: bytes, hash_hex: str) -> str:
    """A keyed seal: someone who can write the database but not read the instance key cannot forge entries."""
    return hmac.digest(key, bytes.fromhex(hash_hex), "sha256").hex()


def derive_key(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode(), f"dreamnexus-audit/{purpose}/v1".encode(), hashlib.sha256).digest()


def actor_pseudonym(key: bytes, actor_id: int | None) -> str | None:
    """HMAC of the user id: stable per user on this instance, meaningless without the instance key."""
    if actor_id is None:
        return None
    return hmac.digest(key, str(actor_id).encode(), "sha256").hex()[:32]
