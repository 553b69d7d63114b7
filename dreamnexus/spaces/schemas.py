"""Validated input for spaces and contributions."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class SpaceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=5000)
    is_open: bool = True
    guidelines: str = Field(default="", max_length=5000)
    content_note: str = Field(default="", max_length=300)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("the title must not be empty")
        return value


class SpaceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=5000)
    is_open: bool | None = None
    guidelines: str | None = Field(default=None, max_length=5000)
    content_note: str | None = Field(default=None, max_length=300)


class ContributionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dream_id: str = Field(min_length=1, max_length=32)
    excerpt: str | None = Field(default=None, max_length=20_000)
    content_warning: str | None = Field(default=None, max_length=120)
