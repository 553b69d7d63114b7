"""Accounts through the JSON API: sign up, sign in, sign out, roles, password policy, hashing, throttling."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from dreamnexus.accounts.models import ApiToken, User
from dreamnexus.config import Settings
from dreamnexus.db.engine import Database
from dreamnexus.ratelimit import MemoryLimiter
from dreamnexus.tokens import digest
from dreamnexus.web.app import create_app

PASSWORD = "a long enough test passphrase"


def register(client: TestClient, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/register", json={"email": email, "password": password, **extra})


def sign_in(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/auth/token", json={"email": email, "password": password})


def test_sign_up_sign_in_and_sign_out(client: TestClient, expect_problem) -> None:
    created = register(client, "Ada@Example.org", display_name="Ada")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == "ada@example.org"
    assert body["role"] == "dreamer"
    assert body["display_name"] == "Ada"
    assert "password" not in created.text and PASSWORD not in created.text

    signed_in = sign_in(client, "ada@example.org")
    assert signed_in.status_code == 201, signed_in.text
    token = signed_in.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json()["id"] == body["id"]

    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    expect_problem(client.get("/api/v1/me", headers=headers), 401)
    expect_problem(client.delete("/api/v1/auth/token", headers=headers), 401)


def test_wrong_password_and_unknown_email_get_the_same_answer(client: TestClient, make_account) -> None:
    account = make_account("dreamer")
    wrong = sign_in(client, account.email, "not the right passphrase")
    unknown = sign_in(client, "nobody@example.org", "not the right passphrase")
    assert wrong.status_code == unknown.status_code == 422
    assert wrong.json() == unknown.json()


def test_duplicate_email_is_a_conflict(client: TestClient, expect_problem) -> None:
    assert register(client, "twin@example.org").status_code == 201
    expect_problem(register(client, "TWIN@example.org"), 409)


def test_register_rejects_a_bad_email(client: TestClient, expect_problem) -> None:
    expect_problem(register(client, "not-an-address"), 422)


def test_revoking_a_token_by_id_makes_it_unusable(client: TestClient, make_account, expect_problem) -> None:
    account = make_account("dreamer")
    second = sign_in(client, account.email).json()
    second_headers = {"Authorization": f"Bearer {second['token']}"}
    listed = client.get("/api/v1/tokens", headers=account.headers).json()
    assert second["id"] in {t["id"] for t in listed}
    assert all("token" not in t for t in listed)  # the secret is shown once, never listed

    assert client.delete(f"/api/v1/tokens/{second['id']}", headers=account.headers).status_code == 204
    expect_problem(client.get("/api/v1/me", headers=second_headers), 401)
    assert client.get("/api/v1/me", headers=account.headers).status_code == 200


def test_a_made_up_bearer_token_is_refused(client: TestClient, expect_problem) -> None:
    expect_problem(client.get("/api/v1/me", headers={"Authorization": "Bearer dnx_made-up"}), 401)


@pytest.mark.parametrize("role", ["dreamer", "weaver", "researcher", "steward"])
def test_steward_grants_roles_and_nobody_else_can(
    client: TestClient, make_account, expect_problem, database: Database, role: str
) -> None:
    actor = make_account(role)
    target = make_account("dreamer", name="target")
    response = client.post(
        "/api/v1/users/grant", json={"email": target.email, "role": "weaver"}, headers=actor.headers
    )
    with database.session() as session:
        stored = session.scalar(select(User.role).where(User.email == target.email))
    if role == "steward":
        assert response.status_code == 200, response.text
        assert response.json()["role"] == "weaver"
        assert stored == "weaver"
    else:
        expect_problem(response, 403)
        assert stored == "dreamer"


def test_grant_unknown_role_and_unknown_account(client: TestClient, make_account, expect_problem) -> None:
    steward = make_account("steward")
    target = make_account("dreamer")
    problem = expect_problem(
        client.post(
            "/api/v1/users/grant", json={"email": target.email, "role": "wizard"}, headers=steward.headers
        ),
        422,
    )
    assert "wizard" in problem["detail"]
    expect_problem(
        client.post(
            "/api/v1/users/grant",
            json={"email": "ghost@example.org", "role": "weaver"},
            headers=steward.headers,
        ),
        404,
    )
    expect_problem(client.post("/api/v1/users/grant", json={"email": target.email, "role": "weaver"}), 401)


def test_only_stewards_list_accounts(client: TestClient, make_account, expect_problem) -> None:
    steward = make_account("steward")
    dreamer = make_account("dreamer")
    listed = client.get("/api/v1/users", headers=steward.headers)
    assert listed.status_code == 200
    assert {u["email"] for u in listed.json()} == {steward.email, dreamer.email}
    expect_problem(client.get("/api/v1/users", headers=dreamer.headers), 403)


# --- password policy (ASVS: length, no composition rules, common passwords refused) ----------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("seven77", False),  # shorter than 8
        ("correct horse battery staple " * 3 + "and more", True),  # 90+ characters, lowercase only
        ("a" + "bcdefghij" * 11, True),  # 100 characters
        ("the quiet lake at the end of summer", True),  # no digits, no capitals, no symbols
        ("password123", False),
        ("Password123", False),  # common passwords are refused whatever the case
    ],
)
def test_password_policy(client: TestClient, expect_problem, password: str, accepted: bool) -> None:
    response = register(client, "policy@example.org", password)
    if accepted:
        assert response.status_code == 201, response.text
        assert sign_in(client, "policy@example.org", password).status_code == 201
    else:
        expect_problem(response, 422)


def test_password_of_exactly_eight_characters_is_enough(client: TestClient) -> None:
    assert register(client, "eight@example.org", "k7#mq2vz").status_code == 201


def test_passwords_are_stored_as_argon2id_with_owasp_parameters(
    client: TestClient, database: Database
) -> None:
    assert register(client, "hash@example.org").status_code == 201
    with database.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT password_hash FROM users WHERE email = 'hash@example.org'")
        ).scalar_one()
    assert PASSWORD not in stored
    _, algorithm, version, parameters, salt, digest_part = stored.split("$")
    assert algorithm == "argon2id"
    assert version == "v=19"
    values = dict(item.split("=") for item in parameters.split(","))
    assert int(values["m"]) >= 19456
    assert int(values["t"]) >= 2
    assert int(values["p"]) >= 1
    assert salt and digest_part


def test_api_tokens_are_stored_hashed(client: TestClient, make_account, database: Database) -> None:
    account = make_account("dreamer")
    raw = sign_in(client, account.email).json()["token"]
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM api_tokens")).all()
    assert len(rows) == 2
    every_value = " ".join(str(value) for row in rows for value in row)
    for secret in (raw, account.token):
        assert secret not in every_value
        assert secret[10:] not in every_value  # no column keeps the secret part, only a short prefix
    with database.session() as session:
        hashes = set(session.scalars(select(ApiToken.token_hash)))
    assert hashes == {digest(raw), digest(account.token)}


# --- sign-in throttling ----------------------------------------------------------------------------------


def _throttled_app(tmp_path: Path, database: Database, *, per_account: int, per_ip: int):  # type: ignore[no-untyped-def]
    settings = Settings(
        data_dir=tmp_path,
        database_url=database.url,
        secret_key="test-secret-key",
        login_attempts_per_hour=per_account,
        login_attempts_per_ip_hour=per_ip,
    )
    return create_app(settings, database=database, limiter=MemoryLimiter())


def test_the_default_throttle_is_twenty_failures_per_account_per_hour(app) -> None:  # type: ignore[no-untyped-def]
    assert (
        Settings(data_dir=Path("."), database_url="sqlite://", secret_key="k").login_attempts_per_hour == 20
    )
    assert app.state.throttle.per_account == app.state.settings.login_attempts_per_hour == 20
    assert app.state.throttle.per_ip == app.state.settings.login_attempts_per_ip_hour


def test_sign_in_is_throttled_per_account(
    tmp_path: Path, database: Database, make_account, expect_problem
) -> None:
    victim = make_account("dreamer")
    bystander = make_account("dreamer")
    app = _throttled_app(tmp_path, database, per_account=4, per_ip=1000)
    limit = app.state.throttle.per_account
    with TestClient(app) as client:
        for _ in range(limit):
            expect_problem(sign_in(client, victim.email, "wrong guess at the password"), 422)
        blocked = sign_in(client, victim.email, "wrong guess at the password")
        expect_problem(blocked, 429)
        assert int(blocked.headers["retry-after"]) > 0
        # Once locked, even the right password waits: otherwise guessing could go on.
        expect_problem(sign_in(client, victim.email, PASSWORD), 429)
        # The e-mail's case does not open a second budget.
        expect_problem(sign_in(client, victim.email.upper(), PASSWORD), 429)
        assert sign_in(client, bystander.email).status_code == 201


def test_sign_in_is_throttled_per_ip(
    tmp_path: Path, database: Database, make_account, expect_problem
) -> None:
    account = make_account("dreamer")
    app = _throttled_app(tmp_path, database, per_account=1000, per_ip=3)
    with TestClient(app) as client:
        for number in range(app.state.throttle.per_ip):
            expect_problem(sign_in(client, f"guess{number}@example.org", "wrong guess at the password"), 422)
        blocked = sign_in(client, account.email)
        expect_problem(blocked, 429)
        assert int(blocked.headers["retry-after"]) > 0


def test_html_sign_in_is_throttled_too(tmp_path: Path, database: Database, make_account) -> None:
    account = make_account("dreamer")
    app = _throttled_app(tmp_path, database, per_account=2, per_ip=1000)
    with TestClient(app) as client:
        page = client.get("/signin")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {"email": account.email, "password": "wrong guess at the password", "csrf_token": token}
        for _ in range(2):
            assert client.post("/signin", data=form, follow_redirects=False).status_code == 400
        blocked = client.post("/signin", data={**form, "password": PASSWORD}, follow_redirects=False)
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        assert "dn_session" not in blocked.cookies
