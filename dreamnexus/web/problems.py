"""Errors as RFC 9457 problem+json for the API, and as a readable page for browsers."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from dreamnexus.errors import RateLimited, ServiceError
from dreamnexus.i18n import negotiate, translations

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """RFC 9457 problem details, the body of every error."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "model": Problem, "content": {PROBLEM_JSON: {}}}


# Documented on every JSON route, so clients (and schema checkers) know what an error looks like.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_response("Malformed request (bad JSON or encoding)"),
    401: _problem_response("Not signed in, or the token is not valid"),
    403: _problem_response("Not allowed (or the form's CSRF token is missing)"),
    404: _problem_response("No such thing, or not one this account may see"),
    409: _problem_response("Conflicts with the current state"),
    422: _problem_response("Invalid input; `errors` names the fields"),
    429: _problem_response("Too many requests; see Retry-After"),
}


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=headers)


def wants_html(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return False
    return "text/html" in request.headers.get("accept", "")


def _html_error(
    request: Request, status: int, title: str, detail: str, headers: dict[str, str] | None
) -> Response:
    from dreamnexus.web.templating import render

    response = render(
        request, "error.html", {"status": status, "title": title, "detail": detail}, status=status
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _count_refusal(request: Request) -> None:
    from dreamnexus.mydata.transparency import bump_detached

    try:
        bump_detached(request.app.state.db, "rate_limited")
    except Exception:  # a counter must never turn a 429 into a 500
        logging.getLogger("dreamnexus.web").warning("could not count a refused request", exc_info=True)


def _translate(request: Request, message: str) -> str:
    """Service messages are English msgids; the reader gets them in their language where a catalog has it."""
    return translations(negotiate(request.headers.get("accept-language"))).gettext(message)


async def service_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    headers = None
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
        _count_refusal(request)
    title, detail = _translate(request, exc.title), _translate(request, exc.detail)
    if wants_html(request):
        return _html_error(request, exc.status, title, detail, headers)
    return problem(exc.status, title, detail, errors=exc.errors, headers=headers)


def _describe(error: dict[str, Any]) -> dict[str, Any]:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return {"field": ".".join(location) or None, "message": message}


def is_unencodable_text(exc: BaseException) -> bool:
    """A lone UTF-16 surrogate (a JSON escape or bad bytes) reached a text column: bad input, not a bug."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, UnicodeEncodeError):
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


async def unencodable_text_handler(request: Request, exc: Exception) -> Response:
    if not is_unencodable_text(exc):
        raise exc
    detail = "The text contains characters that are not valid Unicode (a lone surrogate); nothing was saved."
    if wants_html(request):
        return _html_error(request, 400, "Invalid text", detail, None)
    return problem(400, "Invalid text", detail)


async def validation_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in raw):
        return problem(400, "Malformed JSON", "The request body is not valid JSON (or not valid UTF-8).")
    errors = [_describe(e) for e in raw]
    unknown = [e["field"] for e, r in zip(errors, raw, strict=True) if r.get("type") == "extra_forbidden"]
    detail = (
        f"Unknown field(s): {', '.join(unknown)}."
        if unknown
        else "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    )
    return problem(422, "Invalid input", detail, errors=errors)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    title = {404: "Not found", 405: "Method not allowed", 401: "Not signed in", 403: "Forbidden"}.get(
        exc.status_code, "Error"
    )
    detail = exc.detail if isinstance(exc.detail, str) else title
    headers = dict(exc.headers or {})
    if wants_html(request):
        return _html_error(request, exc.status_code, title, detail, headers)
    return problem(exc.status_code, title, detail, headers=headers)
