"""Helpers for the API tests: problem+json checks, dream creation, browser sign-in with CSRF."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts.models import User
from dreamnexus.accounts.passwords import hash_password
from dreamnexus.db.engine import Database

PROBLEM_JSON = "application/problem+json"
PASSWORD = "a long enough test passphrase"  # the password tests/conftest.py gives every account
_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """tests/conftest.py's fixture, emptying the tables the database has (rather than every mapped one,
    which breaks at TRUNCATE while a model's migration is not written yet) and faster.
    """
    if request.param == "sqlite":
        path = tmp_path / "dreamnexus.db"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        empty_postgres(db)
    yield db
    db.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Database]:
    """A database shared by one module's tests (no test in that module may use `database` as well)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("module") / "dreamnexus.db"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
    else:
        db = Database(request.getfixturevalue("postgres_url"))
        empty_postgres(db)
    yield db
    db.dispose()


def empty_postgres(db: Database) -> None:
    """DELETE children before parents: on a near-empty database it is ~50x faster than TRUNCATE."""
    ordered = [name for name, _ in inspect(db.engine).get_sorted_table_and_fkc_names() if name]
    with db.engine.begin() as connection:
        for table in reversed(ordered):
            if table != "alembic_version":
                connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class Account:
    user: User
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_account(
    database: Database, password_hash: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Account]:
    """tests/conftest.py's factory, hashing the shared password once per run instead of once per account.

    Argon2id at OWASP cost is slow by design (tens of ms, far more on a busy machine); the tests that are
    about hashing register through the API, which still hashes for real.
    """
    counter = iter(range(1, 10_000))

    def factory(role: str = "dreamer", name: str | None = None) -> Account:
        email = f"{name or role}{next(counter)}@example.org"
        with monkeypatch.context() as patch, database.session() as session:
            patch.setattr(accounts, "hash_password", lambda _password: password_hash)
            user = accounts.register(session, email=email, password=PASSWORD, role=role)
            _, raw = accounts.create_api_token(session, user, "tests")
        return Account(user, email, raw)

    return factory


def csrf_from_html(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    assert match, "the page has no hidden csrf_token input"
    return match.group(1)


@pytest.fixture
def expect_problem() -> Callable[..., dict[str, Any]]:
    """Assert that a response is an RFC 9457 problem with the given status; return its body."""

    def check(response: httpx.Response, status: int) -> dict[str, Any]:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].split(";")[0] == PROBLEM_JSON
        body = response.json()
        assert body["status"] == status
        assert body["title"] and body["detail"]
        return body

    return check


@pytest.fixture
def create_dream(client: TestClient) -> Callable[..., dict[str, Any]]:
    """POST a dream for an account (anything with .headers) and return the created dream's JSON."""

    def create(
        account: Any, text: str = "I walked through a quiet house full of clocks.", **fields: Any
    ) -> dict:
        response = client.post("/api/v1/dreams", json={"text": text, **fields}, headers=account.headers)
        assert response.status_code == 201, response.text
        return response.json()

    return create


@dataclass
class Browser:
    """A signed-in browser: the session cookie plus the CSRF token its pages carry."""

    session: str
    csrf: str
    csrf_seed: str

    @property
    def headers(self) -> dict[str, str]:
        """The Cookie header a browser sends; an explicit header beats the client's own cookie jar."""
        return {"Cookie": f"dn_session={self.session}; dn_csrf={self.csrf_seed}"}


@pytest.fixture
def browser_sign_in(client: TestClient) -> Callable[[str, str], Browser]:
    """Sign in through the HTML form exactly as a browser does: GET /signin, then POST with its token."""

    def sign_in(email: str, password: str = PASSWORD) -> Browser:
        client.cookies.clear()
        page = client.get("/signin")
        assert page.status_code == 200
        token = csrf_from_html(page.text)
        seed = page.cookies.get("dn_csrf")
        assert seed, "GET /signin must set the dn_csrf cookie"
        response = client.post(
            "/signin",
            data={"email": email, "password": password, "csrf_token": token, "next": "/journal"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        session = response.cookies.get("dn_session")
        assert session
        client.cookies.clear()
        return Browser(session=session, csrf=token, csrf_seed=seed)

    return sign_in


@pytest.fixture
def contribute(database: Database) -> Callable[..., str]:
    """Contribute through the service (for tests whose subject is not the contribution API itself)."""
    from dreamnexus.spaces import service as spaces
    from dreamnexus.spaces.schemas import ContributionCreate

    def add(account: Account, space_id: str, dream_id: str, **fields: Any) -> str:
        with database.session() as session:
            user = session.get(User, account.user.id)
            assert user is not None
            contribution = spaces.contribute(
                session, user, space_id, ContributionCreate(dream_id=dream_id, **fields)
            )
            return contribution.public_id

    return add
