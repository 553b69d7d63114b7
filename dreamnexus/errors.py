"""Errors raised by service functions; the web layer turns them into problem+json, the CLI into messages."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class InvalidInput(ServiceError):
    status = 422
    title = "Invalid input"


class NotAuthenticated(ServiceError):
    status = 401
    title = "Not signed in"


class PermissionDenied(ServiceError):
    status = 403
    title = "Forbidden"


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class RateLimited(ServiceError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = max(1, int(retry_after))


def validation_messages(error: Any) -> list[str]:
    """A pydantic ValidationError as readable "field: message" lines, for forms, the CLI and the API."""
    messages = []
    for item in error.errors():
        field = ".".join(str(p) for p in item.get("loc", ()))
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        messages.append(f"{field}: {message}" if field else message)
    return messages
