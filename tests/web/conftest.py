"""A fresh app on a migrated SQLite file per test, and browser-like visitors that sign up and post forms."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts import totp, twofactor
from dreamnexus.config import Settings
from dreamnexus.db.migrate import upgrade
from dreamnexus.web.app import create_app

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a long enough pass phrase"


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


class Visitor:
    """One browser: its own cookie jar; posts forms the way a browser does, without following redirects."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app, headers={"accept": "text/html"}, follow_redirects=False)
        self._token: str | None = None
        self.email: str | None = None

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def token(self, form_page: str = "/signin") -> str:
        """The CSRF token from a form page's hidden input (the page also sets the dn_csrf cookie)."""
        if self._token is None:
            response = self.get(form_page)
            assert response.status_code == 200, response.text
            self._token = csrf_from(response.text)
        return self._token

    def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True) -> httpx.Response:
        fields = dict(data or {})
        if csrf:
            fields.setdefault("csrf_token", self.token())
        return self.client.post(path, data=fields)

    def signup(self, email: str, display_name: str = "") -> Visitor:
        response = self.post("/signup", {"email": email, "password": PASSWORD, "display_name": display_name})
        assert response.status_code == 303, response.text
        self.email = email
        return self

    def write_dream(self, text: str = "I was flying over the sea.", **fields: Any) -> str:
        """Posts the dream form; returns the new dream's public id."""
        response = self.post("/dreams/new", {"text": text, **fields})
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        assert location.startswith("/dreams/")
        return location.split("?")[0].removeprefix("/dreams/")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[FastAPI]:
    url = f"sqlite:///{tmp_path}/t.db"
    upgrade(url)
    application = create_app(Settings(data_dir=tmp_path, database_url=url, secret_key="test"))
    yield application
    application.state.db.dispose()


@pytest.fixture
def visitor(app: FastAPI) -> Callable[[], Visitor]:
    return lambda: Visitor(app)


@pytest.fixture
def dreamer(visitor: Callable[[], Visitor]) -> Visitor:
    return visitor().signup("dreamer@example.org", "Dora Dreamer")


@pytest.fixture
def weaver(app: FastAPI, visitor: Callable[[], Visitor]) -> Visitor:
    person = visitor().signup("weaver@example.org", "Wendy Weaver")
    with app.state.db.session() as session:
        user = accounts.grant_role(session, None, email="weaver@example.org", role="weaver")
        secret, _ = twofactor.begin_setup(session, user)  # the weaver role requires a second factor
        twofactor.enable(session, user, totp.code_at(secret, totp.current_step()))
    return person
