"""Blind search tokens: the fast HMAC and base32 in crypto/blind.py give exactly the textbook tokens."""

from __future__ import annotations

import base64
import hmac

from hypothesis import given
from hypothesis import strategies as st

from dreamnexus.crypto import blind, keyring


def textbook(kind: str, value: str, key: bytes) -> str:
    digest = hmac.digest(key, f"{kind}:{value}".encode(), "sha256")
    return kind + base64.b32encode(digest[:10]).decode("ascii").lower()


@given(kind=st.sampled_from("wpt"), value=st.text(max_size=60), key=st.binary(min_size=1, max_size=130))
def test_a_token_is_hmac_sha256_in_lower_case_base32(kind: str, value: str, key: bytes) -> None:
    assert blind._token(kind, value, key) == textbook(kind, value, key)


def test_tokens_are_letters_and_depend_on_the_key() -> None:
    first, second = blind._token("w", "lighthouse", b"k" * 32), blind._token("w", "lighthouse", b"j" * 32)
    assert first != second
    assert first.isalnum() and first == first.lower() and len(first) == 17


def test_the_index_holds_each_word_and_prefix_once() -> None:
    search_key = keyring.current().search_key  # the key index_tokens uses
    tokens = blind.index_tokens("Sea sea SEA", "seal").split()
    words = {textbook("w", w, search_key) for w in ("sea", "seal")}
    prefixes = {textbook("p", p, search_key) for p in ("se", "sea", "seal")}
    assert sorted(tokens) == sorted(words | prefixes)


def slow_fold(word: str) -> str:
    """The folding every word once went through: case folding, then diacritics removed."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# ASCII words take the short cut; the others go the same way as slow_fold (the examples below check them).
@given(word=st.text(st.characters(max_codepoint=127), max_size=40))
def test_folding_takes_a_short_cut_for_ascii_words_only_when_it_changes_nothing(word: str) -> None:
    assert blind.fold(word) == slow_fold(word)


def test_folding_still_removes_diacritics_and_folds_case() -> None:
    assert [blind.fold(w) for w in ("Mädchen", "CORAZÓN", "Straße", "RIVER")] == [
        "madchen",
        "corazon",
        "strasse",
        "river",
    ]


def test_a_remembered_token_belongs_to_its_key() -> None:
    blind._cached_token.cache_clear()
    first = blind._token("w", "harbour", b"a" * 32)
    assert blind._token("w", "harbour", b"b" * 32) == textbook("w", "harbour", b"b" * 32) != first
    assert blind._token("w", "harbour", b"a" * 32) == first == textbook("w", "harbour", b"a" * 32)
    assert blind._cached_token.cache_info().hits == 1


def test_the_token_cache_is_bounded() -> None:
    blind._cached_token.cache_clear()
    for number in range(blind.TOKEN_CACHE_SIZE + 10):
        blind._token("w", f"w{number}", b"k" * 32)
    assert blind._cached_token.cache_info().currsize == blind.TOKEN_CACHE_SIZE
