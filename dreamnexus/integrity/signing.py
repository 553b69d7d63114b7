"""The instance's Ed25519 checkpoint key: from DREAMNEXUS_AUDIT_SIGNING_KEY, else a 0600 file in data_dir."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from dreamnexus.config import Settings
from dreamnexus.secret_files import read_or_create

ENV_VAR = "DREAMNEXUS_AUDIT_SIGNING_KEY"  # base64 of the 32-byte Ed25519 seed
KEY_FILE = "audit_signing_key.pem"
CHECKPOINT_PREFIX = b"dreamnexus-audit-checkpoint/v1\n"


def _from_env(value: str) -> Ed25519PrivateKey:
    seed = base64.b64decode(value.strip(), validate=True)
    if len(seed) != 32:
        raise ValueError(f"{ENV_VAR} must be the base64 of a 32-byte Ed25519 seed")
    return Ed25519PrivateKey.from_private_bytes(seed)


def load_signing_key(settings: Settings) -> Ed25519PrivateKey:
    """The private key; generated on first use, written once with 0600 permissions."""
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return _from_env(from_env)
    path = Path(settings.data_dir) / KEY_FILE

    def make() -> bytes:
        return Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    # Of server processes starting together, one writes the key and all read it whole (secret_files.py).
    key = serialization.load_pem_private_key(read_or_create(path, make), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def checkpoint_message(tree_size: int, root_hex: str, at: str) -> bytes:
    """The exact bytes that are signed (documented in docs/integrity.md)."""
    return CHECKPOINT_PREFIX + f"{tree_size}\n{root_hex}\n{at}\n".encode()


def sign_checkpoint(key: Ed25519PrivateKey, tree_size: int, root_hex: str, at: str) -> str:
    return key.sign(checkpoint_message(tree_size, root_hex, at)).hex()


def verify_checkpoint_signature(
    public_hex: str, tree_size: int, root_hex: str, at: str, signature_hex: str
) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        public.verify(bytes.fromhex(signature_hex), checkpoint_message(tree_size, root_hex, at))
    except (InvalidSignature, ValueError):
        return False
    return True
