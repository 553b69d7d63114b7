"""Tamper-evident history: a hash-chained audit log, signed Merkle checkpoints, verification and repair.

Nothing here registers itself on import: call `install(settings)` (or build an `AuditLog`) explicitly.
"""

from dreamnexus.integrity.audit import AuditLog, install, installed, uninstall
from dreamnexus.integrity.checkpoints import (
    checkpoint_if_due,
    latest_checkpoint,
    make_checkpoint,
    public_key_info,
    published,
)
from dreamnexus.integrity.erasure import erase_snapshots_of

__all__ = [
    "AuditLog",
    "checkpoint_if_due",
    "erase_snapshots_of",
    "install",
    "installed",
    "latest_checkpoint",
    "make_checkpoint",
    "public_key_info",
    "published",
    "uninstall",
]
