"""Blind search tokens: keyed hashes of words and word prefixes, so the full-text index never holds text.

A word becomes HMAC(search key, word) cut to 12 characters; prefixes of 2 or more letters get tokens of
their own, marked apart, so that the last word of a query can match as a prefix. Words are compared
after case folding and with diacritics removed, as the former plain index did. What the index reveals:
which dreams share a word, and word lengths roughly; never the words.
"""

from __future__ import annotations

import base64
import hmac
import re
import unicodedata

from dreamnexus.crypto import keyring

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORD = 40
MIN_PREFIX = 2


def fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _token(kind: str, value: str, key: bytes | None = None) -> str:
    search_key = key if key is not None else keyring.current().search_key
    digest = hmac.digest(search_key, f"{kind}:{value}".encode(), "sha256")
    # Letters only, lower case, so that every tokenizer (FTS5 unicode61, tsvector 'simple') keeps it whole.
    return kind + base64.b32encode(digest[:10]).decode("ascii").lower()


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
