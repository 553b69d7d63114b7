"""Signed weave manifests: what a published weave was made from, signed with the instance's Ed25519 key.

A signed weave document is `{"manifest": {...}, "signature": "<hex>", "weave": {...}}`. The signature
covers `MANIFEST_PREFIX + canonical JSON of the manifest`; the manifest holds the SHA-256 of the weave's
canonical JSON and of every source text it quotes, the engine version, parameters and seed. Anyone with
the instance's public key can check that a weave is the one the instance published, unaltered.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MANIFEST_FORMAT = "dreamnexus-weave-manifest/v1"
MANIFEST_PREFIX = b"dreamnexus-weave-manifest/v1\n"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(
    *,
    instance: str,
    space_id: str,
    weave_id: str,
    version: int,
    published_at: str,
    engine_version: str,
    parameters: dict[str, Any],
    seed: int,
    content: dict[str, Any],
    source_texts: dict[str, str],
    public_key_hex: str,
) -> dict[str, Any]:
    return {
        "format": MANIFEST_FORMAT,
        "instance": instance,
        "space": space_id,
        "weave": weave_id,
        "version": version,
        "published_at": published_at,
        "engine_version": engine_version,
        "parameters": parameters,
        "seed": seed,
        "content_sha256": sha256_hex(canonical(content)),
        "sources": [
            {"contribution_id": cid, "sha256": sha256_hex(text.encode("utf-8"))}
            for cid, text in sorted(source_texts.items())
        ],
        "public_key": public_key_hex,
    }


def sign(key: Ed25519PrivateKey, manifest: dict[str, Any]) -> str:
    return key.sign(MANIFEST_PREFIX + canonical(manifest)).hex()


def verify_document(document: Any, public_key_hex: str) -> list[str]:
    """Problems with a signed weave document (empty when it is authentic and unaltered)."""
    if not isinstance(document, dict) or not {"manifest", "signature", "weave"} <= set(document):
        return ["not a signed weave: expected the keys manifest, signature and weave"]
    manifest, signature, weave = document["manifest"], document["signature"], document["weave"]
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return [f"unknown manifest format (expected {MANIFEST_FORMAT})"]
    problems = []
    if manifest.get("public_key") != public_key_hex:
        problems.append("signed by another key than this instance's")
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        key.verify(bytes.fromhex(str(signature)), MANIFEST_PREFIX + canonical(manifest))
    except (InvalidSignature, ValueError):
        problems.append("the signature does not match the manifest (altered, or not signed by this instance)")
    if sha256_hex(canonical(weave)) != manifest.get("content_sha256"):
        problems.append("the weave's content differs from the one the manifest describes")
    quoted = (
        {s.get("contribution_id") for p in weave.get("passages", []) for s in p.get("sources", [])}
        if isinstance(weave, dict)
        else set()
    )
    listed = {s.get("contribution_id") for s in manifest.get("sources", [])}
    if not quoted <= listed:
        problems.append("the weave quotes sources the manifest does not list")
    return problems


_signer: tuple[Ed25519PrivateKey, str] | None = None


def install_signer(key: Ed25519PrivateKey, instance: str) -> None:
    global _signer
    _signer = (key, instance)


def installed_signer() -> tuple[Ed25519PrivateKey, str] | None:
    return _signer


def current_signer() -> tuple[Ed25519PrivateKey, str]:
    """The instance key (the audit checkpoint key) and its address; loaded from the settings once."""
    global _signer
    if _signer is None:
        from dreamnexus.config import get_settings
        from dreamnexus.integrity.signing import load_signing_key

        settings = get_settings()
        _signer = (load_signing_key(settings), settings.base_url)
    return _signer


def public_key_hex(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
