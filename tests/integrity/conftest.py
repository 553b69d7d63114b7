"""Fixtures for the tamper-evident history: settings, an installed audit log, a small populated world."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts.models import User
from dreamnexus.cli.audit import audit_group
from dreamnexus.config import Settings
from dreamnexus.db.engine import Database
from dreamnexus.integrity import audit as audit_module
from dreamnexus.integrity import models as audit_models  # noqa: F401  (maps the audit tables)
from dreamnexus.integrity.audit import AuditLog
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import Consents, DreamCreate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate

PASSWORD = "a long enough test passphrase"
SECRET = "integrity-test-secret"


@pytest.fixture
def settings(tmp_path: Path, database: Database) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database.url, secret_key=SECRET)


@pytest.fixture
def audit(settings: Settings) -> Iterator[AuditLog]:
    log = audit_module.install(settings)
    yield log
    audit_module.uninstall()


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run `dreamnexus audit ...` against the test database, as an operator would."""
    monkeypatch.setenv("DREAMNEXUS_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DREAMNEXUS_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("DREAMNEXUS_SECRET_KEY", SECRET)
    monkeypatch.delenv("DREAMNEXUS_AUDIT_SIGNING_KEY", raising=False)

    def run(*args: str) -> Result:
        return CliRunner().invoke(audit_group, list(args), catch_exceptions=False)

    return run


@dataclass
class World:
    weaver: User
    dreamer: User
    dream_ids: list[str]
    space_id: str
    contribution_id: str


def make_user(database: Database, name: str, role: str = "dreamer") -> User:
    with database.session() as session:
        return accounts.register(session, email=f"{name}@example.org", password=PASSWORD, role=role)


@pytest.fixture
def world(database: Database, audit: AuditLog) -> World:
    """Two people, three dreams, a space, a contribution, a few edits: all through the services."""
    weaver = make_user(database, "weaver", "weaver")
    dreamer = make_user(database, "dreamer")
    dream_ids = []
    with database.session() as session:
        for i in range(3):
            dream = journal.create_dream(
                session,
                dreamer,
                DreamCreate(
                    text=f"I was flying over a city of glass, number {i}.",
                    title=f"Glass city {i}",
                    tags=["flying", f"city {i}"],
                    visibility="spaces",
                    consents=Consents(weaving=True),
                ),
            )
            dream_ids.append(dream.public_id)
    with database.session() as session:
        space = spaces.create_space(
            session, weaver, SpaceCreate(title="Night flights", description="Flying dreams")
        )
        space_id = space.public_id
    with database.session() as session:
        spaces.join_space(session, dreamer, space_id)
    with database.session() as session:
        contribution = spaces.contribute(
            session, dreamer, space_id, ContributionCreate(dream_id=dream_ids[0], content_warning="heights")
        )
        contribution_id = contribution.public_id
    return World(weaver, dreamer, dream_ids, space_id, contribution_id)
