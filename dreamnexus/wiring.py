"""Connects the features that react to each other's changes, explicitly and once per process.

The app factory and every CLI command call `install()`; nothing registers itself at import time.
"""

from __future__ import annotations

import threading

from dreamnexus import events

_installed = False
_lock = threading.Lock()


def install() -> None:
    """Register the in-transaction listeners (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        from dreamnexus.moderation.service import screen_on_change
        from dreamnexus.mydata.transparency import count_change
        from dreamnexus.spaces.weaves import revise_on_revocation

        events.on_change(revise_on_revocation)
        events.on_change(count_change)
        events.on_change(screen_on_change)
        _installed = True
