"""A corpus of XSS payloads, written into every user-controlled field, is rendered escaped on every page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from dreamnexus import wiring
from dreamnexus.accounts import service as accounts
from dreamnexus.accounts import totp, twofactor
from dreamnexus.db.engine import Database
from dreamnexus.journal import service as journal
from dreamnexus.journal.schemas import Consents, DreamCreate
from dreamnexus.moderation import service as moderation
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces import weaves
from dreamnexus.spaces.schemas import ContributionCreate, SpaceCreate
from tests.conftest import PASSWORD

PAYLOADS = (
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(2)>",
    "</textarea><script>alert(3)</script>",
    "'><iframe src=javascript:alert(4)>",
)
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg/onload", "<iframe src=javascript")
ATTACK = " ".join(PAYLOADS)
DREAM_TEXT = f"I walked through the old station at night and saw a sign that read {ATTACK} in red letters."

wiring.install()


def _sign_in(app, email: str) -> TestClient:  # type: ignore[no-untyped-def]
    client = TestClient(app)
    page = client.get("/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    client.post("/signin", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return client


@pytest.fixture
def poisoned(sqlite_database: Database, tmp_path, app_on):  # type: ignore[no-untyped-def]
    database = sqlite_database
    with database.session() as session:
        author = accounts.register(
            session, email="author@example.org", password=PASSWORD, display_name=PAYLOADS[1][:80]
        )
        weaver = accounts.register(
            session,
            email="weaver@example.org",
            password=PASSWORD,
            role="weaver",
            display_name=PAYLOADS[0][:80],
        )
        secret, _ = twofactor.begin_setup(session, weaver)
        twofactor.enable(session, weaver, totp.code_at(secret, totp.current_step()))
        accounts.create_api_token(session, author, PAYLOADS[2][:80])
        space = spaces.create_space(
            session,
            weaver,
            SpaceCreate(
                title=PAYLOADS[0][:120], description=ATTACK, guidelines=ATTACK, content_note=PAYLOADS[3][:300]
            ),
        )
        spaces.join_space(session, author, space.public_id)
        dreams = []
        for i in range(3):
            dream = journal.create_dream(
                session,
                author,
                DreamCreate(
                    text=DREAM_TEXT + f" Night {i}.",
                    title=PAYLOADS[i % len(PAYLOADS)][:200],
                    visibility="public",
                    consents=Consents(weaving=True),
                ),
            )
            dreams.append(dream)
            spaces.contribute(
                session,
                author,
                space.public_id,
                ContributionCreate(
                    dream_id=dream.public_id, content_warning=PAYLOADS[4][:120] if i == 0 else None
                ),
            )
        draft = weaves.create_draft(session, weaver, space.public_id, weaves.WeaveRequest(size=4), "k")
        published = weaves.publish(session, weaver, draft.public_id)
        ids = {"space": space.public_id, "dream": dreams[0].public_id, "weave": published.public_id}
    # Screening held the attack texts for review: a moderator's decision renders the reason too.
    with database.session() as session:
        weaver_row = accounts.get_user_by_email(session, "weaver@example.org")
        for case in moderation.queue(session, weaver_row):
            moderation.decide(session, weaver_row, case.public_id, action="clear", reason=PAYLOADS[1])
    return app_on(database), ids


@pytest.fixture
def app_on(tmp_path):  # type: ignore[no-untyped-def]
    from dreamnexus.ratelimit import MemoryLimiter
    from dreamnexus.web.app import create_app
    from tests.conftest import make_settings

    return lambda database: create_app(
        make_settings(tmp_path, database), database=database, limiter=MemoryLimiter()
    )


def _assert_escaped(html: str, page: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"{page} renders {marker!r} unescaped"


def test_every_page_escapes_user_text(poisoned) -> None:  # type: ignore[no-untyped-def]
    app, ids = poisoned
    author = _sign_in(app, "author@example.org")
    author_pages = [
        "/",
        "/journal",
        f"/dreams/{ids['dream']}",
        f"/dreams/{ids['dream']}/edit",
        "/spaces",
        f"/spaces/{ids['space']}",
        f"/spaces/{ids['space']}/weaves",
        f"/weaves/{ids['weave']}",
        "/account",
        "/account/data",
        "/notices",
        "/exchange",
        f"/discover?q={PAYLOADS[0]}",
        f"/journal?q={PAYLOADS[1]}",
        f"/dreams/{ids['dream']}/resonant",
    ]
    seen_escaped = 0
    for page in author_pages:
        response = author.get(page)
        assert response.status_code in (200, 409), (page, response.status_code)
        _assert_escaped(response.text, page)
        seen_escaped += "&lt;script&gt;" in response.text or "&lt;img src=x" in response.text
    assert seen_escaped >= 8  # the payloads really were on the pages, escaped
    anonymous = TestClient(app)
    for page in ("/", f"/dreams/{ids['dream']}", "/spaces", f"/discover?q={PAYLOADS[3]}", "/transparency"):
        _assert_escaped(anonymous.get(page).text, page)


def test_json_error_bodies_do_not_reflect_markup_as_html(poisoned) -> None:  # type: ignore[no-untyped-def]
    app, _ = poisoned
    client = TestClient(app)
    response = client.get(f"/api/v1/dreams/{PAYLOADS[0]}")
    assert response.headers["content-type"].startswith("application/problem+json")
    page = client.get(f"/dreams/{PAYLOADS[1]}", headers={"accept": "text/html"})
    _assert_escaped(page.text, "error page")
