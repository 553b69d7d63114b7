"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, an app, clients, accounts."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts.models import User
from dreamnexus.config import Settings
from dreamnexus.crypto import keyring
from dreamnexus.db import migrate
from dreamnexus.db.engine import Database
from dreamnexus.ratelimit import MemoryLimiter
from dreamnexus.spaces import manifest
from dreamnexus.web.app import create_app

IN_CI = os.environ.get("CI") == "true"
# One keyring for the whole run, in memory: private values in every test database are really sealed.
keyring.install(keyring.Keyring.generate())
manifest.install_signer(Ed25519PrivateKey.generate(), "http://testserver")
POSTGRES_ADMIN_URL = os.environ.get(
    "DREAMNEXUS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "a long enough test passphrase"


def unavailable(reason: str) -> None:
    """Skip on a user's machine; fail under CI, where every backend must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: a browser is never downloaded at test time
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def chromium_launch() -> dict[str, Any]:
    """The arguments of Playwright's `chromium.launch` for Debian's Chromium, headless."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own for this test run, migrated once, dropped at the end."""
    name = f"dreamnexus_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate.upgrade(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(database: Database) -> None:
    """Empty every table the database has, children first: far faster than TRUNCATE on small tables."""
    ordered = [name for name, _ in inspect(database.engine).get_sorted_table_and_fkc_names() if name]
    with database.engine.begin() as connection:
        for table in reversed(ordered):
            if table != "alembic_version":
                connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 (names from the catalog)
        # Ids start at 1 again, as after TRUNCATE ... RESTART IDENTITY.
        connection.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """A migrated, empty database; every test using it runs on both backends."""
    if request.param == "sqlite":
        path = tmp_path / "dreamnexus.db"
        shutil.copy(sqlite_template, path)
        db = Database(f"sqlite:///{path}")
        yield db
        db.dispose()
    else:
        url = request.getfixturevalue("postgres_url")
        db = Database(url)
        _truncate_postgres(db)
        yield db
        db.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """SQLite only, for tests about the web layer rather than storage."""
    path = tmp_path / "dreamnexus.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def make_settings(tmp_path: Path, database: Database) -> Settings:
    return Settings(data_dir=tmp_path, database_url=database.url, secret_key="test-secret-key")


@pytest.fixture
def app(tmp_path: Path, database: Database):  # type: ignore[no-untyped-def]
    return create_app(make_settings(tmp_path, database), database=database, limiter=MemoryLimiter())


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@dataclass
class Account:
    user: User
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_account(database: Database):  # type: ignore[no-untyped-def]
    """Create an account with a role and an API token."""
    counter = iter(range(1, 10_000))

    def factory(role: str = "dreamer", name: str | None = None) -> Account:
        email = f"{name or role}{next(counter)}@example.org"
        with database.session() as session:
            user = accounts.register(session, email=email, password=PASSWORD, role=role)
            _, raw = accounts.create_api_token(session, user, "tests")
        return Account(user, email, raw)

    return factory


@pytest.fixture(scope="session")
def pgvector_url() -> Iterator[str]:
    """A PostgreSQL with the pgvector extension (pgserver's bundled build), migrated, for the vector tests."""
    try:
        import pgserver
    except ImportError:
        unavailable("pgserver (PostgreSQL with pgvector) is not installed")
    # Under root, pgserver runs PostgreSQL as its own user, which cannot enter pytest's private temp dirs.
    data_dir = Path(tempfile.mkdtemp(prefix="dreamnexus-pgvector-"))
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    url = server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)
    migrate.upgrade(url)
    yield url
    server.cleanup()
    shutil.rmtree(data_dir, ignore_errors=True)
