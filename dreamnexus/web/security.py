"""Security headers on every response, and CSRF tokens for cookie-authenticated writes."""

from __future__ import annotations

import secrets

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dreamnexus.errors import PermissionDenied
from dreamnexus.tokens import constant_time_equal, sign

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
CSRF_COOKIE = "dn_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "dn_session"


class SecurityHeadersMiddleware:
    """Plain ASGI (not BaseHTTPMiddleware) so that it costs next to nothing per request."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = list(HEADERS)
        if hsts:
            self.headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {name.lower() for name, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in self.headers if k not in existing
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_seed(request: Request) -> str:
    """The browser's random CSRF seed, from its cookie or newly made (set on the response by render())."""
    seed = request.cookies.get(CSRF_COOKIE)
    if not seed or len(seed) > 100:
        seed = getattr(request.state, "new_csrf_seed", None) or secrets.token_urlsafe(24)
        request.state.new_csrf_seed = seed
    return seed


def csrf_token(request: Request) -> str:
    """The token a form carries: bound to the browser's seed by the instance's secret key."""
    return sign(request.app.state.settings.secret_key, "csrf:" + csrf_seed(request))


def check_csrf(request: Request, submitted: str | None) -> None:
    seed = request.cookies.get(CSRF_COOKIE)
    expected = sign(request.app.state.settings.secret_key, "csrf:" + seed) if seed else None
    if not submitted or expected is None or not constant_time_equal(submitted, expected):
        raise PermissionDenied(
            "The form expired or did not come from this site. Reload the page and try again."
        )
