"""`dreamnexus db upgrade`, `users create`, `users grant`, `serve` on an unmigrated database, the script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, select

from dreamnexus.accounts.models import User
from dreamnexus.accounts.passwords import verify_password
from dreamnexus.cli import main
from dreamnexus.db import migrate

PASSWORD = "a long enough test passphrase"


def test_db_upgrade_creates_a_fresh_database(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    env = {"DREAMNEXUS_DATABASE_URL": f"sqlite:///{path}", "DREAMNEXUS_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert "head" in result.output
    url = f"sqlite:///{path}"
    assert migrate.current_heads(url) and len(migrate.current_heads(url)) == 1
    engine = create_engine(url)
    try:
        assert {"users", "dreams", "spaces", "contributions"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    again = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert again.exit_code == 0, again.output


def test_users_create_reads_the_password_from_stdin(cli, db) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        ["users", "create", "Weaver@Example.org", "--role", "weaver", "--name", "Wendy"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "weaver@example.org" in result.output
    assert PASSWORD not in result.output
    with db.session() as session:
        user = session.scalar(select(User).where(User.email == "weaver@example.org"))
        assert user is not None
        assert (user.role, user.display_name) == ("weaver", "Wendy")
        assert verify_password(user.password_hash, PASSWORD)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["users", "create", "not-an-email"], PASSWORD, "e-mail"),
        (["users", "create", "common@example.org"], "password123", "common"),
        (["users", "create", "short@example.org"], "short", "8"),
        (["users", "create", "wizard@example.org", "--role", "wizard"], PASSWORD, "wizard"),
        (["users", "create", "nopassword@example.org"], "", "password"),
    ],
    ids=["bad-email", "common-password", "short-password", "unknown-role", "no-password"],
)
def test_users_create_refuses_bad_input_plainly(cli, db, no_traceback, args, password, message) -> None:  # type: ignore[no-untyped-def]
    result = cli(args, input=password + "\n" if password else "")
    assert result.exit_code != 0
    assert message.lower() in result.output.lower()
    no_traceback(result)
    with db.session() as session:
        assert session.scalar(select(User.id)) is None


def test_users_create_refuses_a_duplicate(cli, no_traceback) -> None:  # type: ignore[no-untyped-def]
    assert cli(["users", "create", "twin@example.org"], input=PASSWORD + "\n").exit_code == 0
    result = cli(["users", "create", "TWIN@example.org"], input=PASSWORD + "\n")
    assert result.exit_code != 0
    assert "already exists" in result.output
    no_traceback(result)


def test_users_grant(cli, db, no_traceback) -> None:  # type: ignore[no-untyped-def]
    assert cli(["users", "create", "dreamer@example.org"], input=PASSWORD + "\n").exit_code == 0
    result = cli(["users", "grant", "dreamer@example.org", "steward"])
    assert result.exit_code == 0, result.output
    assert "steward" in result.output
    with db.session() as session:
        assert session.scalar(select(User.role).where(User.email == "dreamer@example.org")) == "steward"

    unknown_role = cli(["users", "grant", "dreamer@example.org", "wizard"])
    assert unknown_role.exit_code != 0
    assert "wizard" in unknown_role.output and "steward" in unknown_role.output  # names the choices
    no_traceback(unknown_role)
    unknown_user = cli(["users", "grant", "ghost@example.org", "weaver"])
    assert unknown_user.exit_code != 0
    assert "ghost@example.org" in unknown_user.output
    no_traceback(unknown_user)
    with db.session() as session:
        assert session.scalar(select(User.role).where(User.email == "dreamer@example.org")) == "steward"


def test_serve_on_an_unmigrated_database_says_to_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_traceback
) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    def must_not_start(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server started on an unmigrated database")

    monkeypatch.setattr(uvicorn, "run", must_not_start)
    env = {
        "DREAMNEXUS_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "DREAMNEXUS_DATA_DIR": str(tmp_path),
    }
    result = CliRunner().invoke(main, ["serve"], env=env)
    assert result.exit_code != 0
    assert "dreamnexus db upgrade" in result.output
    no_traceback(result)


def test_the_installed_console_script_runs() -> None:
    script = Path(sys.executable).parent / "dreamnexus"
    if not script.exists():
        pytest.fail(f"the console script is not installed at {script}: pip install -e .")
    completed = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    for command in ("serve", "db", "users", "import", "export"):
        assert command in completed.stdout
