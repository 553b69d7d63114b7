"""Password reset through the outbox, and the list of signed-in browsers."""

from __future__ import annotations

import re

from sqlalchemy import select

from dreamnexus.accounts.models import OutboxMessage, PasswordReset, WebSession
from dreamnexus.db.engine import Database

NEW_PASSWORD = "a brand new passphrase for tests"


def _reset_token(database: Database, email: str) -> str:
    with database.session() as session:
        messages = list(session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)))
    assert len(messages) == 1
    match = re.search(r"/password/reset/(\S+)", messages[0].body)
    assert match, messages[0].body
    return match.group(1)


def test_reset_flow_changes_the_password_once_and_signs_out_everywhere(
    database: Database, make_account, client
) -> None:  # type: ignore[no-untyped-def]
    account = make_account("dreamer")
    with database.session() as session:
        session.add(
            WebSession(
                token_hash="x" * 64,
                user_id=account.user.id,
                expires_at=account.user.created_at.replace(year=2100),
            )
        )
    answer = client.post("/api/v1/auth/password/forgot", json={"email": account.email})
    assert answer.status_code == 202
    token = _reset_token(database, account.email)
    with database.session() as session:
        stored = session.scalars(select(PasswordReset.token_hash)).one()
    assert token not in stored  # only the hash is kept
    assert (
        client.post("/api/v1/auth/password/reset", json={"token": token, "password": "short"}).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD}
        ).status_code
        == 204
    )
    assert (
        client.post(
            "/api/v1/auth/password/reset", json={"token": token, "password": NEW_PASSWORD + "!"}
        ).status_code
        == 404
    )
    ok = client.post("/api/v1/auth/token", json={"email": account.email, "password": NEW_PASSWORD})
    assert ok.status_code == 201
    with database.session() as session:
        assert session.scalars(select(WebSession).where(WebSession.user_id == account.user.id)).all() == []


def test_unknown_address_gets_the_same_answer_and_no_mail(database: Database, client) -> None:  # type: ignore[no-untyped-def]
    known_shape = client.post("/api/v1/auth/password/forgot", json={"email": "nobody@example.org"})
    assert known_shape.status_code == 202
    assert known_shape.json() == {"detail": "If an account has this address, a reset link is on its way."}
    with database.session() as session:
        assert session.scalars(select(OutboxMessage)).all() == []


def test_reset_requests_are_rate_limited_per_address(database: Database, make_account, client) -> None:  # type: ignore[no-untyped-def]
    account = make_account("dreamer")
    codes = [
        client.post("/api/v1/auth/password/forgot", json={"email": account.email}).status_code
        for _ in range(4)
    ]
    assert codes[:3] == [202, 202, 202]
    assert codes[3] == 429


def test_a_bad_reset_link_page_is_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/password/reset/not-a-token", headers={"accept": "text/html"}).status_code == 404


def _sign_in(client, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/signin", data={"email": email, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def test_sessions_are_listed_and_revocable(database: Database, make_account, app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from tests.conftest import PASSWORD

    account = make_account("dreamer")
    with TestClient(app) as first, TestClient(app) as second:
        _sign_in(first, account.email, PASSWORD)
        _sign_in(second, account.email, PASSWORD)
        listed = first.get("/api/v1/sessions").json()
        assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
        other = next(s for s in listed if not s["current"])
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', first.get("/account").text).group(1)
        revoked = first.delete(f"/api/v1/sessions/{other['id']}", headers={"x-csrf-token": csrf})
        assert revoked.status_code == 204
        assert second.get("/api/v1/me").status_code == 401
        assert first.get("/api/v1/me").status_code == 200
        # Another person's session id is not found.
        stranger = make_account("dreamer")
        current = next(s for s in first.get("/api/v1/sessions").json() if s["current"])
        assert (
            TestClient(app).delete(f"/api/v1/sessions/{current['id']}", headers=stranger.headers).status_code
            == 404
        )
