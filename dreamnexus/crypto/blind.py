"""Blind search tokens: keyed hashes of words and word prefixes, so the full-text index never holds text.

A word becomes HMAC(search key, word) cut to 12 characters; prefixes of 2 or more letters get tokens of
their own, marked apart, so that the last word of a query can match as a prefix. Words are compared
after case folding and with diacritics removed, as the former plain index did. What the index reveals:
which dreams share a word, and word lengths roughly; never the words.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from dreamnexus.crypto import keyring

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORD = 40
MIN_PREFIX = 2


def fold(word: str) -> str:
    if word.isascii():  # nothing to decompose: most words of most dreams, at a tenth of the cost
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Base32 (RFC 4648) in lower case, two characters per 10 bits: the standard library's b32encode is written
# in Python and took as long as the HMAC itself.
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_B32_PAIRS = tuple(_B32[i >> 5] + _B32[i & 31] for i in range(1024))
_SHIFTS = tuple(range(70, -1, -10))


class _Hmac:
    """HMAC-SHA256 under one key (RFC 2104) with the padded key's hash states made once: a dream's
    index takes hundreds of tokens, and hmac.digest set the key up again for each."""

    def __init__(self, key: bytes) -> None:
        block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


@functools.lru_cache(maxsize=4)
def _hmac(key: bytes) -> _Hmac:
    return _Hmac(key)


# Words recur from dream to dream, and their prefixes even more: over 4,000 DreamBank reports indexed in
# turn, 93 % of the tokens a report needed had been made for a recent one (benchmarks/blind_tokens.py).
# A cached token costs a dictionary look-up instead of an HMAC and its encoding. What the cache holds
# (recent words beside their tokens) reveals nothing that the search key, in the same memory, does not.
TOKEN_CACHE_SIZE = 32_768


def _token(kind: str, value: str, key: bytes | None = None) -> str:
    return _cached_token(key if key is not None else keyring.current().search_key, kind, value)


@functools.lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _cached_token(search_key: bytes, kind: str, value: str) -> str:
    bits = int.from_bytes(_hmac(search_key).digest(f"{kind}:{value}".encode())[:10], "big")
    # Letters only, lower case, so that every tokenizer (FTS5 unicode61, tsvector 'simple') keeps it whole.
    return kind + "".join([_B32_PAIRS[(bits >> shift) & 1023] for shift in _SHIFTS])


def words(text: str) -> list[str]:
    return [fold(w)[:MAX_WORD] for w in _WORD.findall(text or "")]


def index_tokens(*texts: str) -> str:
    """Every token a document is found by: its words and their prefixes."""
    # Each distinct word and prefix is hashed once: a dream repeats most of its words and shares prefixes.
    key = keyring.current().search_key
    unique = {word for text in texts for word in words(text)}
    prefixes = {word[:end] for word in unique for end in range(MIN_PREFIX, len(word) + 1)}
    found = {_token("w", word, key) for word in unique} | {_token("p", prefix, key) for prefix in prefixes}
    return " ".join(sorted(found))


def query_tokens(query: str, limit: int = 12) -> list[str]:
    """Tokens to match: whole words, and the last word also as a prefix (typing as you search)."""
    terms = words(query)[:limit]
    if not terms:
        return []
    tokens = [_token("w", t) for t in terms[:-1]]
    last = terms[-1]
    tokens.append(_token("p", last) if len(last) >= MIN_PREFIX else _token("w", last))
    return tokens


def tag_token(tag: str) -> str:
    """The blind key of a tag, for filtering and uniqueness without storing the tag in clear."""
    return _token("t", fold(tag.strip()))
