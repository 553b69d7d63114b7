"""Seed the demo (idempotent): one account per role, dreams written for the project, two spaces."""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts.models import User
from dreamnexus.db.base import utcnow
from dreamnexus.db.engine import Database
from dreamnexus.journal import service as journal
from dreamnexus.journal.models import Dream
from dreamnexus.journal.schemas import Consents, DreamCreate
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.models import Space
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate

CREDENTIALS_FILE = "demo-credentials.json"
DEMO_HISTORY_DAYS = 150


def load_content() -> dict[str, Any]:
    return json.loads(files("dreamnexus.demo").joinpath("content.json").read_text(encoding="utf-8"))


def _credentials(data_dir: Path, keys: list[str]) -> dict[str, str]:
    """Demo passwords, made once and kept (0600) so that reseeding prints the same ones."""
    path = data_dir / CREDENTIALS_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [k for k in keys if k not in stored]
    if missing:
        for key in missing:
            stored[key] = "-".join(secrets.token_hex(3) for _ in range(4))
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(stored, handle)
        tmp.replace(path)
    return stored


def _user(session: Session, spec: dict[str, Any], password: str) -> User:
    existing = session.scalar(select(User).where(User.email == spec["email"]))
    if existing is not None:
        return existing
    # The demo journals span months, so the accounts have that history too (and the trust it earns).
    return accounts.register(
        session,
        email=spec["email"],
        password=password,
        display_name=spec["display_name"],
        role=spec["role"],
        joined=utcnow() - timedelta(days=DEMO_HISTORY_DAYS),
    )


def seed_demo(database: Database, data_dir: Path) -> list[dict[str, str]]:
    """Create whatever of the demo is missing; return the demo accounts with their passwords."""
    content = load_content()
    passwords = _credentials(data_dir, [u["key"] for u in content["users"]])
    today = utcnow().date()
    with database.session() as session:
        users = {spec["key"]: _user(session, spec, passwords[spec["key"]]) for spec in content["users"]}
        space_ids: dict[str, str] = {}
        for spec in content["spaces"]:
            owner = users[spec["owner"]]
            space = session.scalar(
                select(Space).where(Space.title == spec["title"], Space.created_by == owner.id)
            )
            if space is None:
                fields = {
                    k: spec[k] for k in ("title", "description", "is_open", "guidelines", "content_note")
                }
                space = spaces.create_space(session, owner, SpaceCreate(**fields))
            space_ids[spec["key"]] = space.public_id
        titles: dict[int, set[str]] = {}
        for spec in content["dreams"]:
            owner = users[spec["owner"]]
            # Titles are sealed with a random nonce, so they are compared after decryption, not in SQL.
            if owner.id not in titles:
                titles[owner.id] = {
                    d.title for d in session.scalars(select(Dream).where(Dream.owner_id == owner.id))
                }
            if spec["title"] in titles[owner.id]:
                continue
            titles[owner.id].add(spec["title"])
            dream = journal.create_dream(
                session,
                owner,
                DreamCreate(
                    text=spec["text"],
                    title=spec["title"],
                    dreamt_on=today - timedelta(days=spec["days_ago"]),
                    tags=spec["tags"],
                    lucid=spec["lucid"],
                    mood=spec["mood"],
                    language=spec["language"],
                    visibility=spec["visibility"],
                    consents=Consents(**spec["consents"]),
                ),
            )
            for target in spec.get("contribute_to", []):
                space_id = space_ids[target["space"]]
                space = spaces.visible_space(session, users["weaver"], space_id)
                if spaces.membership(session, space, owner) is None:
                    if space.is_open:
                        spaces.join_space(session, owner, space_id)
                    else:
                        spaces.accept_invite(
                            session, owner, spaces.create_invite(session, users["weaver"], space_id)
                        )
                spaces.contribute(
                    session,
                    owner,
                    space_id,
                    ContributionCreate(
                        dream_id=dream.public_id,
                        excerpt=target.get("excerpt"),
                        content_warning=target.get("content_warning"),
                    ),
                )
    role_accounts = {}
    for spec in content["users"]:
        role_accounts.setdefault(spec["role"], spec)
    return [
        {"role": role, "email": spec["email"], "password": passwords[spec["key"]]}
        for role, spec in role_accounts.items()
    ]
