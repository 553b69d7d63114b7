"""The instance's master keys and the envelope scheme that seals every private value.

Each value gets its own random 256-bit data key; the value is sealed with AES-GCM under that key, and
the key is sealed under the current master key (the envelope). Rotating the master key re-seals only
the small data keys, never the values. A sealed value reads

    dnx1.<base64url( master key id (8) | nonce (12) | sealed data key (48) | nonce (12) | sealed value )>

The keyring lives in `<data dir>/master.keys` (created on first run, mode 0600), or comes from
DREAMNEXUS_MASTER_KEY (base64 of 32 bytes). A separate search key makes the blind index tokens; it is
not rotated with the master key, so rotation needs no re-indexing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pybase64
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dreamnexus.secret_files import read_or_create

PREFIX = "dnx1."
KEY_BYTES = 32
ID_BYTES = 8
NONCE = 12
SEALED_KEY = KEY_BYTES + 16
# Values opened lately, per process (OpenedValues). A journal page, a space's page or a weave opens the
# same values again and again, each time two AES-GCM operations (about 4.5 µs for a 1 KB text; a page
# of 20 dreams opens about 60 values).
OPENED_CACHE_BYTES = 16 * 1024 * 1024
# What an entry costs besides its two strings: the key tuple, the dict slot, the object headers.
_ENTRY_OVERHEAD = 200


class KeyringError(RuntimeError):
    pass


def _b64(data: bytes) -> str:
    return pybase64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    """Base64url as this module writes it (sealed values, the keyring file), checked strictly."""
    # pybase64 (SIMD): a list of dreams opens dozens of sealed values, and the standard library's decoder
    # was half the cost of opening one. Its urlsafe_b64decode is slower than b64decode with the URL-safe
    # alphabet and validation, and silently drops characters outside that alphabet.
    try:
        if "+" in text or "/" in text:  # the standard alphabet's; pybase64 still takes them, with a warning
            raise ValueError("not base64url")
        return pybase64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError("A sealed value or key is not valid base64url (damaged or truncated).") from None


def _key_from_environment(text: str) -> bytes:
    """A key given by a person: standard base64 or base64url, padded or not."""
    cleaned = text.strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError("DREAMNEXUS_MASTER_KEY and DREAMNEXUS_SEARCH_KEY must be base64.") from None


class OpenedValues:
    """The plaintexts of recently opened values, by purpose and sealed text, within a byte budget
    (first in, first out). A sealed text names its value exactly (its own random data key and nonces,
    authenticated when first opened), so a hit returns what opening would; a value that was altered, or
    is presented for another column, is another key and is opened, and refused, as before."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        # A plain dict keeps insertion order, and its get needs no lock: a look-up costs ~0.1 µs, where
        # an LRU's lock and reordering cost more than a tenth of the opening they save.
        self._entries: dict[tuple[str, str], bytes] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, purpose: str, token: str) -> bytes | None:
        return self._entries.get((purpose, token))

    def put(self, purpose: str, token: str, value: bytes) -> None:
        size = len(token) + len(value) + _ENTRY_OVERHEAD
        if size > self.max_bytes // 64:  # a very large value would push out many others
            return
        with self._lock:
            if (purpose, token) in self._entries:
                return
            self._entries[(purpose, token)] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                oldest = next(iter(self._entries))
                old = self._entries.pop(oldest)
                self._bytes -= len(oldest[1]) + len(old) + _ENTRY_OVERHEAD

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        return self._bytes


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"dreamnexus master key id" + key).digest()[:ID_BYTES]


@dataclass
class Keyring:
    keys: dict[bytes, bytes]  # id -> master key
    current: bytes
    search_key: bytes
    path: Path | None = field(default=None, repr=False)
    _ciphers: dict[bytes, AESGCM] = field(default_factory=dict, init=False, repr=False, compare=False)
    opened: OpenedValues = field(
        default_factory=lambda: OpenedValues(OPENED_CACHE_BYTES), init=False, repr=False, compare=False
    )

    def _master_cipher(self, master_id: bytes) -> AESGCM | None:
        cipher = self._ciphers.get(master_id)
        if cipher is None:
            master = self.keys.get(master_id)
            if master is None:
                return None
            cipher = self._ciphers[master_id] = AESGCM(master)
        return cipher

    @classmethod
    def generate(cls, path: Path | None = None) -> Keyring:
        master = secrets.token_bytes(KEY_BYTES)
        return cls({key_id(master): master}, key_id(master), secrets.token_bytes(KEY_BYTES), path)

    @classmethod
    def from_secret(cls, master: bytes, search_key: bytes | None = None) -> Keyring:
        if len(master) != KEY_BYTES:
            raise KeyringError("The master key must be 32 bytes (base64-encoded in DREAMNEXUS_MASTER_KEY).")
        derived = search_key or hashlib.sha256(b"dreamnexus search key" + master).digest()
        return cls({key_id(master): master}, key_id(master), derived)

    @classmethod
    def load(cls, data_dir: Path) -> Keyring:
        """From the environment, else from the keyring file, made on first run."""
        from_env = os.environ.get("DREAMNEXUS_MASTER_KEY")
        if from_env:
            search = os.environ.get("DREAMNEXUS_SEARCH_KEY")
            search_key = _key_from_environment(search) if search else None
            return cls.from_secret(_key_from_environment(from_env), search_key)
        path = data_dir / "master.keys"
        # Server processes starting together on a fresh data directory all end up with the one keyring
        # that was written first (secret_files.py), never each with its own.
        raw = json.loads(read_or_create(path, lambda: json.dumps(cls.generate(path)._body()).encode()))
        keys = {_unb64(k): _unb64(v) for k, v in raw["keys"].items()}
        return cls(keys, _unb64(raw["current"]), _unb64(raw["search_key"]), path)

    def _body(self) -> dict[str, Any]:
        return {
            "current": _b64(self.current),
            "keys": {_b64(k): _b64(v) for k, v in self.keys.items()},
            "search_key": _b64(self.search_key),
        }

    def save(self) -> None:
        if self.path is None:
            raise KeyringError("This keyring came from the environment; it has no file to save to.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(self._body(), handle)
        tmp.replace(self.path)

    def seal(self, plaintext: bytes, purpose: str) -> str:
        data_key = AESGCM.generate_key(bit_length=256)
        n1, n2 = secrets.token_bytes(NONCE), secrets.token_bytes(NONCE)
        master = self._master_cipher(self.current)
        assert master is not None  # the current key is always in the ring
        sealed_key = master.encrypt(n1, data_key, b"data key|" + purpose.encode())
        sealed = AESGCM(data_key).encrypt(n2, plaintext, purpose.encode())
        return PREFIX + _b64(self.current + n1 + sealed_key + n2 + sealed)

    def _parts(self, token: str) -> tuple[bytes, bytes, bytes, bytes, bytes]:
        raw = _unb64(token[len(PREFIX) :])
        head = ID_BYTES + NONCE + SEALED_KEY + NONCE
        if len(raw) < head + 16:
            raise KeyringError("A sealed value is truncated.")
        return (
            raw[:ID_BYTES],
            raw[ID_BYTES : ID_BYTES + NONCE],
            raw[ID_BYTES + NONCE : ID_BYTES + NONCE + SEALED_KEY],
            raw[ID_BYTES + NONCE + SEALED_KEY : head],
            raw[head:],
        )

    def _data_key(self, master_id: bytes, n1: bytes, sealed_key: bytes, purpose: str) -> bytes:
        master = self._master_cipher(master_id)
        if master is None:
            raise KeyringError("A value is sealed under a master key this keyring does not hold.")
        try:
            return master.decrypt(n1, sealed_key, b"data key|" + purpose.encode())
        except InvalidTag:
            raise KeyringError(
                "A sealed data key does not authenticate (tampered, or another column's)."
            ) from None

    def open(self, token: str, purpose: str) -> bytes:
        value = self.opened.get(purpose, token)
        if value is not None:
            return value
        master_id, n1, sealed_key, n2, sealed = self._parts(token)
        data_key = self._data_key(master_id, n1, sealed_key, purpose)
        try:
            value = AESGCM(data_key).decrypt(n2, sealed, purpose.encode())
        except InvalidTag:
            raise KeyringError(
                "A sealed value does not authenticate (tampered, or another column's)."
            ) from None
        self.opened.put(purpose, token, value)
        return value

    def rewrap(self, token: str, purpose: str) -> str:
        """The same value with its data key sealed under the current master key (the value is untouched)."""
        master_id, n1, sealed_key, n2, sealed = self._parts(token)
        if master_id == self.current:
            return token
        data_key = self._data_key(master_id, n1, sealed_key, purpose)
        n1 = secrets.token_bytes(NONCE)
        resealed = AESGCM(self.keys[self.current]).encrypt(n1, data_key, b"data key|" + purpose.encode())
        return PREFIX + _b64(self.current + n1 + resealed + n2 + sealed)

    def add_master(self) -> bytes:
        master = secrets.token_bytes(KEY_BYTES)
        self.keys[key_id(master)] = master
        self.current = key_id(master)
        self._ciphers.clear()
        return self.current

    def retire_others(self) -> None:
        self.keys = {self.current: self.keys[self.current]}
        self._ciphers.clear()
        self.opened.clear()  # a value sealed under a retired key must no longer open


_installed: Keyring | None = None


def install(keyring: Keyring) -> None:
    global _installed
    _installed = keyring


def installed() -> Keyring | None:
    return _installed


def current() -> Keyring:
    """The process's keyring: the installed one, else the configured instance's (loaded once)."""
    global _installed
    if _installed is None:
        from dreamnexus.config import get_settings

        _installed = Keyring.load(get_settings().data_dir)
    return _installed
