"""Validated input for dreams, shared by the API, the web forms and the importer."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dreamnexus.db.base import utcnow
from dreamnexus.journal.models import Visibility

MAX_TEXT = 20_000
MAX_TAGS = 20
_TAG = re.compile(r"^[\w][\w \-']{0,39}$", re.UNICODE)
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _normalise_tags(tags: list[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        value = " ".join(str(tag).strip().lower().lstrip("#").split())
        if not value:
            continue
        if not _TAG.match(value):
            raise ValueError(f"tag {tag!r} must be 1-40 letters, digits, spaces or dashes")
        if value not in cleaned:
            cleaned.append(value)
    if len(cleaned) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    return cleaned


class Consents(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weaving: bool = False
    festival: bool = False
    research: bool = False
    exchange: bool = False


class ConsentsPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weaving: bool | None = None
    festival: bool | None = None
    research: bool | None = None
    exchange: bool | None = None


class _DreamFieldsMixin:
    @field_validator("text", check_fields=False)
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = value.replace("\r\n", "\n").replace("\x00", "")
        if not value.strip():
            raise ValueError("the dream's text must not be empty")
        if len(value) > MAX_TEXT:
            raise ValueError(f"the dream's text can have at most {MAX_TEXT:,} characters")
        return value

    @field_validator("title", check_fields=False)
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return " ".join(value.split()) if value is not None else None

    @field_validator("tags", check_fields=False)
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return _normalise_tags(value) if value is not None else None

    @field_validator("dreamt_on", check_fields=False)
    @classmethod
    def _dreamt_on(cls, value: date | None) -> date | None:
        if value is None:
            return value
        if value > utcnow().date() + timedelta(days=1):
            raise ValueError("a dream cannot be dated in the future")
        if value.year < 1900:
            raise ValueError("the date is too far in the past")
        return value

    @field_validator("language", check_fields=False)
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        value = value.strip().lower()
        if not _LANGUAGE.match(value):
            raise ValueError("language must be an ISO 639 code such as en, es or de")
        return value


class DreamCreate(_DreamFieldsMixin, BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    text: str
    title: str = Field(default="", max_length=200)
    dreamt_on: date | None = None
    tags: list[str] = Field(default_factory=list)
    lucid: bool = False
    mood: int | None = Field(default=None, ge=-2, le=2)
    language: str | None = None
    visibility: Visibility = Visibility.private
    consents: Consents = Field(default_factory=Consents)


class DreamUpdate(_DreamFieldsMixin, BaseModel):
    """Partial update: a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = None
    title: str | None = Field(default=None, max_length=200)
    dreamt_on: date | None = None
    tags: list[str] | None = None
    lucid: bool | None = None
    mood: int | None = Field(default=None, ge=-2, le=2)
    language: str | None = None
    visibility: Visibility | None = None
    consents: ConsentsPatch | None = None


class DreamFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = Field(default=None, max_length=200)
    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=20, ge=1, le=100)


class JournalQuery(BaseModel):
    """The query string of `GET /api/v1/dreams`, read by the FastAPI route and by web/hotpath.py alike.
    Parameters it does not name are ignored, as query parameters usually are."""

    tag: str | None = Field(default=None, max_length=40)
    date_from: date | None = Field(default=None, alias="from")
    date_to: date | None = Field(default=None, alias="to")
    q: str | None = Field(default=None, max_length=200, description="full-text search")
    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=20, ge=1, le=100)

    def filters(self) -> DreamFilters:
        return DreamFilters(**self.model_dump())  # the same fields, by name
