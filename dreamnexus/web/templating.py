"""Jinja2 templates with autoescaping, gettext and the per-request context every page needs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from dreamnexus.i18n import negotiate, translations
from dreamnexus.web.security import CSRF_COOKIE, CSRF_FIELD, csrf_token

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [
    PACKAGE / "web" / "templates",
    PACKAGE / "accounts" / "templates",
    PACKAGE / "journal" / "templates",
    PACKAGE / "spaces" / "templates",
    PACKAGE / "discovery" / "templates",
    PACKAGE / "mydata" / "templates",
    PACKAGE / "moderation" / "templates",
    PACKAGE / "festival" / "templates",
]


LOADER = ChoiceLoader([FileSystemLoader(str(d)) for d in TEMPLATE_DIRS])


@lru_cache(maxsize=16)
def environment(locale: str) -> Environment:
    """One environment per locale, so gettext is bound without per-request mutation."""
    env = Environment(
        loader=LOADER,
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    return env


def add_template_dir(path: Path) -> None:
    """Let a feature added later (festival, integrity) ship its own templates."""
    LOADER.loaders = [*LOADER.loaders, FileSystemLoader(str(path))]


def page_locale(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    locale = page_locale(request)
    values = {
        "request": request,
        "current_user": getattr(request.state, "viewer", None),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "locale": locale,
        "flash": request.query_params.get("notice"),
        **(context or {}),
    }
    html = environment(locale).get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    new_seed = getattr(request.state, "new_csrf_seed", None)
    if new_seed:
        response.set_cookie(
            CSRF_COOKIE,
            new_seed,
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.secure_cookies,
            max_age=60 * 60 * 24 * 30,
        )
    return response
