"""Schemathesis against the OpenAPI document: generated requests never get a 5xx or break the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from dreamnexus.db.engine import Database
from dreamnexus.ratelimit import MemoryLimiter
from dreamnexus.web.app import create_app
from tests.conftest import make_settings


class GenerousLimiter(MemoryLimiter):
    """Generated traffic is far faster than people; the limits themselves are tested elsewhere."""

    def hit(self, key: str, limit: int, window_s: float) -> float | None:
        return super().hit(key, limit * 1000, window_s)

    def peek(self, key: str, limit: int, window_s: float) -> float | None:
        return super().peek(key, limit * 1000, window_s)


@pytest.fixture
def api_schema(tmp_path: Path, sqlite_database: Database, make_account_on):  # type: ignore[no-untyped-def]
    app = create_app(
        make_settings(tmp_path, sqlite_database), database=sqlite_database, limiter=GenerousLimiter()
    )
    account = make_account_on(sqlite_database, "dreamer")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.headers = {"Authorization": f"Bearer {account.token}"}  # type: ignore[attr-defined]
    return schema


@pytest.fixture
def make_account_on():  # type: ignore[no-untyped-def]
    from dreamnexus.accounts import service as accounts
    from tests.conftest import PASSWORD, Account

    def factory(database: Database, role: str) -> Account:
        with database.session() as session:
            user = accounts.register(
                session, email=f"{role}-schema@example.org", password=PASSWORD, role=role
            )
            _, raw = accounts.create_api_token(session, user, "schemathesis")
        return Account(user, user.email, raw)

    return factory


@pytest.mark.slow
def test_no_server_error_and_responses_match_the_schema(api_schema) -> None:  # type: ignore[no-untyped-def]
    """Every operation, with generated valid and invalid inputs, as a signed-in dreamer."""
    headers = api_schema.config.headers
    failures: list[str] = []
    checked = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            # "Schema-valid data accepted" is left out on purpose: rules such as "not a common password" or
            # "an excerpt copied from the dream" cannot be written in a JSON schema, and are tested by hand.
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        try:
            exercise()
        except Exception as error:  # collect every operation's failure, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:400]}")
        checked += 1
    assert checked >= 40
    assert not failures, "\n\n".join(failures)
