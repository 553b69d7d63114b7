"""The demo seed: idempotent, one account per role, enough dreams, two spaces with contributions."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from sqlalchemy import func, select

from dreamnexus.accounts.models import User
from dreamnexus.accounts.passwords import verify_password
from dreamnexus.db.engine import Database
from dreamnexus.demo.seed import CREDENTIALS_FILE, seed_demo
from dreamnexus.journal.models import Dream
from dreamnexus.spaces.models import Contribution, Membership, Space


def counts(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {
            model.__tablename__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (User, Dream, Space, Membership, Contribution)
        }


def test_the_demo_has_every_role_enough_dreams_and_two_spaces(database: Database, tmp_path: Path) -> None:
    accounts = seed_demo(database, tmp_path)
    seeded = counts(database)
    assert {a["role"] for a in accounts} == {"dreamer", "weaver", "researcher", "steward"}
    assert len(accounts) == 4
    assert seeded["dreams"] >= 60
    assert seeded["spaces"] == 2
    with database.session() as session:
        assert set(session.scalars(select(User.role))) == {"dreamer", "weaver", "researcher", "steward"}
        per_space = dict(
            session.execute(
                select(Contribution.space_id, func.count())
                .where(Contribution.withdrawn_at.is_(None))
                .group_by(Contribution.space_id)
            )
            .tuples()
            .all()
        )
        assert len(per_space) == 2 and all(n > 0 for n in per_space.values())
        for account in accounts:
            user = session.scalar(select(User).where(User.email == account["email"]))
            assert user is not None and user.role == account["role"]
            assert verify_password(user.password_hash, account["password"])
    path = tmp_path / CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {a["password"] for a in accounts} <= set(json.loads(path.read_text()).values())


def test_seeding_twice_gives_the_same_demo(database: Database, tmp_path: Path) -> None:
    first_accounts = seed_demo(database, tmp_path)
    first = counts(database)
    second_accounts = seed_demo(database, tmp_path)
    assert second_accounts == first_accounts  # the same passwords are printed again
    assert counts(database) == first
