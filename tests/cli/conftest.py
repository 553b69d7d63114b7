"""The `dreamnexus` command run in-process against a migrated SQLite file of the test's own."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dreamnexus.cli import main
from dreamnexus.db.engine import Database


@dataclass
class Cli:
    env: dict[str, str]
    data_dir: Path
    database_url: str

    def __call__(self, args: Sequence[str], input: str | bytes | None = None) -> Result:
        return CliRunner().invoke(main, list(args), input=input, env=self.env, catch_exceptions=True)

    def database(self) -> Database:
        return Database(self.database_url)


@pytest.fixture
def cli(tmp_path: Path, sqlite_template: Path) -> Cli:
    path = tmp_path / "dreamnexus.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    data_dir = tmp_path / "data"
    env = {"DREAMNEXUS_DATABASE_URL": url, "DREAMNEXUS_DATA_DIR": str(data_dir)}
    return Cli(env=env, data_dir=data_dir, database_url=url)


@pytest.fixture
def db(cli: Cli) -> Iterator[Database]:
    database = cli.database()
    yield database
    database.dispose()


@pytest.fixture
def no_traceback() -> Callable[[Result], None]:
    def check(result: Result) -> None:
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)

    return check
