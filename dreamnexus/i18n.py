"""Gettext for every user-facing string (Babel catalogs under dreamnexus/locale)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LOCALE = "en"


@lru_cache(maxsize=1)
def available_locales() -> tuple[str, ...]:
    found = {p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.mo")}
    return tuple(sorted(found | {DEFAULT_LOCALE}))


@lru_cache(maxsize=16)
def translations(locale: str) -> NullTranslations:
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [locale], domain="messages")


def negotiate(accept_language: str | None) -> str:
    """The best of our locales for an Accept-Language header."""
    if not accept_language:
        return DEFAULT_LOCALE
    choices: list[tuple[float, str]] = []
    for part in accept_language.split(",")[:20]:
        piece, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        choices.append((weight, piece.split("-")[0].lower()))
    for _, lang in sorted(choices, key=lambda c: -c[0]):
        if lang in available_locales():
            return lang
    return DEFAULT_LOCALE


def gettext(message: str, locale: str = DEFAULT_LOCALE) -> str:
    return translations(locale).gettext(message)


_ = gettext
