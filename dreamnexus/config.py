"""One Settings object, read once from DREAMNEXUS_* environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dreamnexus.secret_files import read_or_create


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    secure_cookies: bool = False
    analysis_mode: str = "inprocess"  # inprocess | worker | off
    exchange_every_hours: float = 0.0  # 0: exchange rounds only by command
    mail_backend: str = "console"  # console | smtp | outbox (kept in the outbox table only)
    smtp_url: str = ""  # smtp://user:password@host:port, or smtps://...
    mail_from: str = "Dream Nexus <no-reply@localhost>"
    base_url: str = "http://127.0.0.1:8000"
    login_attempts_per_hour: int = 20
    login_attempts_per_ip_hour: int = 100
    session_days: int = 30
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _secret_key(data_dir: Path) -> str:
    """The signing key: from the environment, else a file generated on first run with 0600 permissions."""
    from_env = os.environ.get("DREAMNEXUS_SECRET_KEY")
    if from_env:
        return from_env
    made = read_or_create(data_dir / "secret_key", lambda: secrets.token_urlsafe(48).encode())
    return made.decode().strip()


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("DREAMNEXUS_DATA_DIR", "var")).resolve()
    default_db = f"sqlite:///{data_dir / 'dreamnexus.db'}"
    database_url = os.environ.get("DREAMNEXUS_DATABASE_URL") or default_db
    if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=_secret_key(data_dir),
        secure_cookies=_bool(os.environ.get("DREAMNEXUS_SECURE_COOKIES")),
        analysis_mode=os.environ.get("DREAMNEXUS_ANALYSIS_MODE", "inprocess"),
        exchange_every_hours=float(os.environ.get("DREAMNEXUS_EXCHANGE_EVERY_HOURS", "0") or 0),
        mail_backend=os.environ.get("DREAMNEXUS_MAIL_BACKEND", "console"),
        smtp_url=os.environ.get("DREAMNEXUS_SMTP_URL", ""),
        mail_from=os.environ.get("DREAMNEXUS_MAIL_FROM", "Dream Nexus <no-reply@localhost>"),
        base_url=os.environ.get("DREAMNEXUS_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
