"""Secrets in files of the data directory, made on first run: written whole, once, whoever starts first.

`serve --workers N` starts its processes together, and on a fresh data directory each of them used to
make the secret key, the master keyring and the audit signing key for itself: a process could read a
file that another was still writing (an empty or half-written key, and a crash), or two could each make
a keyring and the one written last would hide the other, whose process had already sealed data with it.
Here a process writes its candidate under a name of its own and links it into place, which succeeds for
exactly one of them; every process then reads the file that won, complete.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path

# Filesystems without hard links (some network and FUSE mounts) answer link() with one of these.
_NO_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK})


def read_or_create(path: Path, make: Callable[[], bytes]) -> bytes:
    """The file's content; if there is no file yet, `make()`'s, written with 0600 permissions."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(make())
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(candidate, path)  # atomic, and refused if another process's file is already there
        except FileExistsError:
            pass
        except OSError as error:
            if error.errno not in _NO_LINKS:
                raise
            _create_exclusively(path, candidate.read_bytes())
    finally:
        candidate.unlink(missing_ok=True)
    return path.read_bytes()


def _create_exclusively(path: Path, content: bytes) -> None:
    """Without hard links: create the file only if it is absent (a reader may briefly see it short)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
