"""The application factory: one place that assembles settings, database, routes and middleware."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from dreamnexus import __version__, integrity, wiring
from dreamnexus.accounts.service import LoginThrottle
from dreamnexus.config import Settings, get_settings
from dreamnexus.crypto import keyring
from dreamnexus.db.engine import Database
from dreamnexus.discovery.index import DreamIndex
from dreamnexus.errors import ServiceError
from dreamnexus.integrity.signing import load_signing_key
from dreamnexus.moderation.trust import StandingCache
from dreamnexus.ratelimit import Limiter, MemoryLimiter
from dreamnexus.spaces import manifest
from dreamnexus.web import problems
from dreamnexus.web.admission import ConcurrencyLimitMiddleware
from dreamnexus.web.hotpath import HotPath
from dreamnexus.web.security import SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).parent / "static"


def create_app(
    settings: Settings | None = None, database: Database | None = None, limiter: Limiter | None = None
) -> FastAPI:
    settings = settings or get_settings()
    wiring.install()
    integrity.install(settings)
    if keyring.installed() is None:
        keyring.install(keyring.Keyring.load(settings.data_dir))
    if manifest.installed_signer() is None:
        manifest.install_signer(load_signing_key(settings), settings.base_url)
    app = FastAPI(
        title="Dream Nexus",
        version=__version__,
        description="Share dreams, choose dream by dream who sees them, weave them into shared narratives.",
        # The interactive UI would load scripts from elsewhere; /api/docs renders the spec server-side.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.db = database or Database(settings.database_url)
    app.state.limiter = limiter or MemoryLimiter()
    app.state.dream_index = DreamIndex()
    app.state.standings = StandingCache()
    app.state.throttle = LoginThrottle(
        app.state.limiter, settings.login_attempts_per_hour, settings.login_attempts_per_ip_hour
    )

    app.add_exception_handler(ServiceError, problems.service_error_handler)
    app.add_exception_handler(RequestValidationError, problems.validation_error_handler)
    app.add_exception_handler(StarletteHTTPException, problems.http_error_handler)
    app.add_exception_handler(UnicodeEncodeError, problems.unencodable_text_handler)
    app.add_exception_handler(StatementError, problems.unencodable_text_handler)
    app.add_middleware(HotPath)  # added first: the innermost layer, inside admission and security headers
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.secure_cookies)
    app.add_middleware(ConcurrencyLimitMiddleware)  # added last: the outermost layer
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    from dreamnexus.accounts import api as accounts_api
    from dreamnexus.accounts import pages as accounts_pages
    from dreamnexus.discovery import api as discovery_api
    from dreamnexus.discovery import pages as discovery_pages
    from dreamnexus.festival import transport as festival_transport
    from dreamnexus.integrity import api as integrity_api
    from dreamnexus.journal import api as journal_api
    from dreamnexus.journal import pages as journal_pages
    from dreamnexus.moderation import api as moderation_api
    from dreamnexus.moderation import pages as moderation_pages
    from dreamnexus.mydata import api as mydata_api
    from dreamnexus.mydata import pages as mydata_pages
    from dreamnexus.spaces import api as spaces_api
    from dreamnexus.spaces import pages as spaces_pages
    from dreamnexus.spaces import weaves_api, weaves_pages
    from dreamnexus.web import pages as site_pages

    for module in (
        accounts_api,
        journal_api,
        spaces_api,
        weaves_api,
        discovery_api,
        mydata_api,
        integrity_api,
        festival_transport,
        moderation_api,
        site_pages,
        accounts_pages,
        journal_pages,
        spaces_pages,
        weaves_pages,
        discovery_pages,
        mydata_pages,
        moderation_pages,
    ):
        json_api = any(str(getattr(r, "path", "")).startswith("/api/") for r in module.router.routes)
        app.include_router(module.router, responses=problems.PROBLEM_RESPONSES if json_api else None)
    return app
