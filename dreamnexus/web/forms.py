"""Helpers shared by the HTML form routes: CSRF check, redirects, error messages."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from starlette.responses import RedirectResponse

from dreamnexus.web.deps import limit_writes
from dreamnexus.web.security import check_csrf


def guard_form(request: Request, submitted_token: str, *, user_id: int | None = None) -> None:
    """Every form post: a valid CSRF token, and the write rate limit for signed-in users."""
    check_csrf(request, submitted_token)
    if user_id is not None:
        limit_writes(request, f"user:{user_id}")


def redirect(url: str, notice: str | None = None) -> RedirectResponse:
    if notice:
        url += ("&" if "?" in url else "?") + "notice=" + quote(notice)
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    """Only same-site paths, so a sign-in link cannot send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/journal"
