"""The security baseline: the API contract, cookies and CSRF, session fixation, security headers."""

from __future__ import annotations

from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from dreamnexus.config import Settings
from dreamnexus.db.engine import Database
from dreamnexus.ratelimit import MemoryLimiter
from dreamnexus.tokens import digest
from dreamnexus.web.app import create_app

PASSWORD = "a long enough test passphrase"


def set_cookies(response) -> dict[str, SimpleCookie]:  # type: ignore[no-untyped-def]
    cookies: dict[str, SimpleCookie] = {}
    for header in response.headers.get_list("set-cookie"):
        parsed = SimpleCookie()
        parsed.load(header)
        for name in parsed:
            cookies[name] = parsed
    return cookies


def test_openapi_lists_the_contract(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "post" in paths["/api/v1/auth/register"]
    assert "post" in paths["/api/v1/auth/token"]
    assert {"get", "post"} <= set(paths["/api/v1/dreams"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/dreams/{dream_id}"])
    # HTML pages are not part of the API contract.
    assert not [p for p in paths if not p.startswith("/api/")]


def test_bearer_token_and_session_cookie_both_authenticate(
    client: TestClient, make_account, browser_sign_in
) -> None:
    account = make_account("dreamer")  # privileged roles sign in to a browser with a second factor
    by_token = client.get("/api/v1/me", headers=account.headers)
    browser = browser_sign_in(account.email)
    by_cookie = client.get("/api/v1/me", headers=browser.headers)
    assert by_token.status_code == by_cookie.status_code == 200
    assert by_token.json() == by_cookie.json()
    assert by_cookie.json()["email"] == account.email


def test_cookie_authenticated_json_writes_need_the_csrf_header(
    client: TestClient, make_account, browser_sign_in, expect_problem
) -> None:
    account = make_account("dreamer")
    browser = browser_sign_in(account.email)
    body = {"text": "Written from a browser."}
    expect_problem(client.post("/api/v1/dreams", json=body, headers=browser.headers), 403)
    expect_problem(
        client.post("/api/v1/dreams", json=body, headers={**browser.headers, "X-CSRF-Token": "forged"}), 403
    )
    # A token from another browser's seed does not fit this browser's cookie.
    other = browser_sign_in(account.email)
    expect_problem(
        client.post("/api/v1/dreams", json=body, headers={**browser.headers, "X-CSRF-Token": other.csrf}), 403
    )
    assert client.get("/api/v1/dreams", headers=account.headers).json()["total"] == 0

    created = client.post(
        "/api/v1/dreams", json=body, headers={**browser.headers, "X-CSRF-Token": browser.csrf}
    )
    assert created.status_code == 201, created.text
    dream_url = f"/api/v1/dreams/{created.json()['id']}"
    expect_problem(client.delete(dream_url, headers=browser.headers), 403)
    expect_problem(client.patch(dream_url, json={"title": "x"}, headers=browser.headers), 403)
    # Bearer tokens are not sent by browsers on their own, so they need no CSRF header.
    assert client.patch(dream_url, json={"title": "By token"}, headers=account.headers).status_code == 200


def test_html_forms_need_the_csrf_token(client: TestClient, make_account, browser_sign_in) -> None:
    account = make_account("dreamer")
    browser = browser_sign_in(account.email)
    form = {"text": "A dream from the form."}
    refused = client.post("/dreams/new", data=form, headers=browser.headers, follow_redirects=False)
    assert refused.status_code == 403
    accepted = client.post(
        "/dreams/new",
        data={**form, "csrf_token": browser.csrf},
        headers=browser.headers,
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert client.get("/api/v1/dreams", headers=account.headers).json()["total"] == 1
    # Signing in needs the token too, so that a login form on another site cannot sign a victim in.
    client.cookies.clear()
    forged = client.post(
        "/signin", data={"email": account.email, "password": PASSWORD}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert "dn_session" not in forged.cookies


def test_session_cookie_is_httponly_and_samesite_lax(client: TestClient, make_account) -> None:
    account = make_account("dreamer")
    page = client.get("/signin")
    csrf_cookie = set_cookies(page)["dn_csrf"]["dn_csrf"]
    assert csrf_cookie["httponly"] and csrf_cookie["samesite"].lower() == "lax"
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/signin",
        data={"email": account.email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session = set_cookies(response)["dn_session"]["dn_session"]
    assert session["httponly"] is True
    assert session["samesite"].lower() == "lax"
    assert not session["secure"]  # settings.secure_cookies is off for this app
    assert session["path"] == "/"


def test_cookies_are_secure_when_configured(tmp_path: Path, database: Database, make_account) -> None:
    account = make_account("dreamer")
    settings = Settings(data_dir=tmp_path, database_url=database.url, secret_key="k", secure_cookies=True)
    app = create_app(settings, database=database, limiter=MemoryLimiter())
    with TestClient(app, base_url="https://testserver") as client:
        page = client.get("/signin")
        assert set_cookies(page)["dn_csrf"]["dn_csrf"]["secure"]
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = client.post(
            "/signin",
            data={"email": account.email, "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 303
        session = set_cookies(response)["dn_session"]["dn_session"]
        assert session["secure"] and session["httponly"]
        assert "max-age=31536000" in response.headers["strict-transport-security"]


def test_every_sign_in_gets_a_new_session_id(
    client: TestClient, make_account, browser_sign_in, database: Database
) -> None:
    account = make_account("dreamer")
    planted = "attacker-chosen-session-id"
    client.cookies.clear()
    page = client.get("/signin", headers={"Cookie": f"dn_session={planted}"})
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    seed = page.cookies["dn_csrf"]
    response = client.post(
        "/signin",
        data={"email": account.email, "password": PASSWORD, "csrf_token": token},
        headers={"Cookie": f"dn_session={planted}; dn_csrf={seed}"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    issued = set_cookies(response)["dn_session"]["dn_session"].value
    assert issued != planted
    first, second = browser_sign_in(account.email), browser_sign_in(account.email)
    assert len({issued, first.session, second.session}) == 3
    # The planted id was never promoted to a session, and only hashes of session ids are stored.
    client.cookies.clear()
    assert client.get("/api/v1/me", headers={"Cookie": f"dn_session={planted}"}).status_code == 401
    with database.engine.connect() as connection:
        stored = {row[0] for row in connection.execute(text("SELECT token_hash FROM web_sessions"))}
    assert stored == {digest(issued), digest(first.session), digest(second.session)}


def test_signing_out_ends_the_session(client: TestClient, make_account, browser_sign_in) -> None:
    account = make_account("dreamer")
    browser = browser_sign_in(account.email)
    assert client.get("/api/v1/me", headers=browser.headers).status_code == 200
    response = client.post(
        "/signout", data={"csrf_token": browser.csrf}, headers=browser.headers, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/api/v1/me", headers=browser.headers).status_code == 401


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "text/html"),
        ("/signin", "text/html"),
        ("/api/v1/spaces", "application/json"),
        ("/api/v1/me", "application/json"),  # a 401 problem
        ("/api/v1/dreams/nope", "application/json"),
        ("/no-such-page", "text/html"),  # an HTML error page
        ("/openapi.json", "application/json"),
    ],
)
def test_security_headers_on_every_response(client: TestClient, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    headers = response.headers
    directives = {
        part.strip().split(" ", 1)[0]: part.strip() for part in headers["content-security-policy"].split(";")
    }
    script_src = directives.get("script-src") or directives["default-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}


def test_html_error_pages_do_not_leak_details(client: TestClient) -> None:
    response = client.get("/dreams/nope", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
