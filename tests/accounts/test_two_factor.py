"""TOTP two-factor authentication: the RFC's vectors, enrolment, replay, recovery codes, and enforcement."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dreamnexus.accounts import service as accounts
from dreamnexus.accounts import totp, twofactor
from dreamnexus.accounts.models import User
from dreamnexus.db.engine import Database
from dreamnexus.errors import InvalidInput, PermissionDenied
from tests.conftest import PASSWORD

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of the RFC 6238 SHA-1 seed "12345678901234567890"


@pytest.mark.parametrize(
    ("unix_time", "eight_digits"),
    [(59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")],
)
def test_rfc_6238_vectors(unix_time: int, eight_digits: str) -> None:
    assert totp.code_at(RFC_SECRET, unix_time // 30, digits=8) == eight_digits
    assert totp.code_at(RFC_SECRET, unix_time // 30) == eight_digits[-6:]


def test_codes_match_within_one_step_of_drift_only() -> None:
    now = 1_700_000_000.0
    code = totp.code_at(RFC_SECRET, totp.current_step(now) - 1)
    assert totp.matching_step(RFC_SECRET, code, now=now) == totp.current_step(now) - 1
    stale = totp.code_at(RFC_SECRET, totp.current_step(now) - 3)
    assert totp.matching_step(RFC_SECRET, stale, now=now) is None
    assert totp.matching_step(RFC_SECRET, "12ab56", now=now) is None


def _enrol(database: Database, user_id: int) -> tuple[str, list[str]]:
    with database.session() as session:
        user = session.get(User, user_id)
        secret, uri = twofactor.begin_setup(session, user)
        assert uri.startswith("otpauth://totp/") and secret in uri
        with pytest.raises(InvalidInput):
            twofactor.enable(
                session, user, "000000" if totp.code_at(secret, totp.current_step()) != "000000" else "111111"
            )
        codes = twofactor.enable(session, user, totp.code_at(secret, totp.current_step()))
    return secret, codes


def test_a_code_works_once_and_recovery_codes_once(database: Database, make_account) -> None:  # type: ignore[no-untyped-def]
    account = make_account("weaver")
    secret, codes = _enrol(database, account.user.id)
    assert len(codes) == 10
    with database.session() as session:
        user = session.get(User, account.user.id)
        # The step used to enable cannot be used again (replay).
        with pytest.raises(InvalidInput):
            twofactor.verify_second_factor(session, user, totp.code_at(secret, totp.current_step()))
        twofactor.verify_second_factor(session, user, codes[0])
        with pytest.raises(InvalidInput):
            twofactor.verify_second_factor(session, user, codes[0])
        assert twofactor.remaining_recovery_codes(session, user) == 9
        with pytest.raises(PermissionDenied):
            twofactor.disable(session, user, PASSWORD, codes[1])  # a weaver cannot turn it off


def _csrf(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_privileged_roles_must_enrol_before_anything_else(database: Database, make_account, app) -> None:  # type: ignore[no-untyped-def]
    account = make_account("steward")
    with TestClient(app) as browser:
        signed_in = browser.post(
            "/signin",
            data={"email": account.email, "password": PASSWORD, "csrf_token": _csrf(browser, "/signin")},
            follow_redirects=False,
        )
        assert signed_in.headers["location"] == "/account/2fa"
        assert browser.get("/journal", headers={"accept": "text/html"}).status_code == 403
        assert browser.get("/api/v1/me").status_code == 403
        page = browser.get("/account/2fa")
        assert page.status_code == 200
        secret = re.search(r'<code class="token">([A-Z2-7]{32})</code>', page.text).group(1)
        enabled = browser.post(
            "/account/2fa/enable",
            data={
                "code": totp.code_at(secret, totp.current_step()),
                "csrf_token": _csrf(browser, "/account/2fa"),
            },
        )
        assert enabled.status_code == 200 and "recovery codes" in enabled.text
        assert browser.get("/api/v1/me").status_code == 200
    with TestClient(app) as browser:
        first = browser.post(
            "/signin",
            data={"email": account.email, "password": PASSWORD, "csrf_token": _csrf(browser, "/signin")},
            follow_redirects=False,
        )
        assert first.headers["location"].startswith("/signin/2fa")
        assert "dn_session" not in browser.cookies  # no session before the second factor
        wrong = browser.post(
            "/signin/2fa",
            data={"code": "000000", "next": "/journal", "csrf_token": _csrf(browser, "/signin/2fa")},
        )
        assert wrong.status_code in (400, 200) and "not right" in wrong.text
        code = totp.code_at(secret, totp.current_step() + 1)
        done = browser.post(
            "/signin/2fa",
            data={"code": code, "next": "/journal", "csrf_token": _csrf(browser, "/signin/2fa")},
            follow_redirects=False,
        )
        assert done.status_code == 303 and "dn_session" in browser.cookies


def test_api_tokens_need_the_second_factor(database: Database, make_account, client) -> None:  # type: ignore[no-untyped-def]
    account = make_account("researcher")
    body = {"email": account.email, "password": PASSWORD}
    assert client.post("/api/v1/auth/token", json=body).status_code == 403
    secret, _ = _enrol(database, account.user.id)
    assert client.post("/api/v1/auth/token", json=body).status_code == 401
    with_code = client.post(
        "/api/v1/auth/token", json=body | {"totp": totp.code_at(secret, totp.current_step() + 1)}
    )
    assert with_code.status_code == 201


def test_promotion_revokes_tokens_made_without_a_second_factor(
    database: Database, make_account, client
) -> None:  # type: ignore[no-untyped-def]
    dreamer = make_account("dreamer")
    assert client.get("/api/v1/me", headers=dreamer.headers).status_code == 200
    with database.session() as session:
        accounts.grant_role(session, None, email=dreamer.email, role="weaver")
    assert client.get("/api/v1/me", headers=dreamer.headers).status_code == 401
