"""A real browser walks the main journey: sign up, write, search, join a space, share, read it there."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select

from dreamnexus.accounts import service as accounts
from dreamnexus.config import Settings
from dreamnexus.db.migrate import upgrade
from dreamnexus.journal.models import Dream
from dreamnexus.spaces import service as spaces
from dreamnexus.spaces.schemas import SpaceCreate
from dreamnexus.web.app import create_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOT = Path("/tmp/dreamnexus-dream.png")
MOBILE_SCREENSHOT = Path("/tmp/dreamnexus-dream-mobile.png")
DREAM = (
    "I was walking with my mother by the sea when a stranger attacked me. "
    "I felt scared and ran away across the dunes, and a heron watched us."
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, object]]:
    url = f"sqlite:///{tmp_path}/journey.db"
    upgrade(url)
    app = create_app(Settings(data_dir=tmp_path, database_url=url, secret_key="journey"))
    with app.state.db.session() as session:
        weaver = accounts.register(
            session,
            email="weaver@example.org",
            password="a weaver's long phrase",
            display_name="Wanda",
            role="weaver",
        )
        spaces.create_space(
            session,
            weaver,
            SpaceCreate(
                title="Tidal Circle",
                description="Dreams of the sea.",
                guidelines="Be gentle with each other.",
            ),
        )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # an already bound socket: no race for a "free" port
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.db.dispose()


def _analyse_like_the_worker(app: object, dream_id: str) -> None:
    """Store an analysis when nothing ran one yet, so that the dream page shows its evidence view."""
    from dreamnexus.analysis import analyze

    with app.state.db.session() as session:  # type: ignore[attr-defined]
        dream = session.scalar(select(Dream).where(Dream.public_id == dream_id))
        if dream.analysis is None:
            dream.analysis = analyze(dream.text).to_dict()
            dream.analysis_status = "done"


def test_a_dreamer_shares_a_dream_into_a_space(
    server: tuple[str, object], chromium_launch: dict[str, Any]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, app = server
    with sync_playwright() as p:
        browser = p.chromium.launch(**chromium_launch)
        page = browser.new_page(viewport={"width": 900, "height": 900})
        page.set_default_timeout(15_000)
        try:
            page.goto(base + "/signup")
            page.keyboard.press("Tab")
            expect(page.locator(".skip-link")).to_be_focused()  # the first stop for keyboard users
            page.get_by_label("E-mail address").fill("sam@example.org")
            page.get_by_label("Display name (optional)").fill("Sam Sleeper")
            page.get_by_label("Password").fill("correct horse battery staple")
            page.get_by_role("button", name="Sign up").click()
            expect(page).to_have_url(re.compile(r"/journal$"))

            page.get_by_role("link", name="Write a dream").first.click()
            page.get_by_label("What did you dream?").fill(DREAM)
            page.get_by_label("Title (optional)").fill("The heron on the dunes")
            page.get_by_label("Tags (optional)").fill("sea, heron")
            page.get_by_label("How did you feel on waking?").select_option("-1")
            page.get_by_label("Members of the spaces I share it in").check()
            page.get_by_label("Weaving").check()
            page.get_by_role("button", name="Save the dream").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("The heron on the dunes")
            expect(page.locator(".notice")).to_contain_text("Your dream is saved.")
            dream_url = page.url.split("?")[0]
            dream_id = dream_url.rsplit("/", 1)[1]

            page.goto(base + "/journal")
            page.get_by_label("Search my dreams").fill("dunes")
            page.get_by_role("button", name="Search").click()
            expect(page).to_have_url(re.compile(r"q=dunes"))
            expect(page.get_by_role("link", name="The heron on the dunes")).to_be_visible()
            page.get_by_label("Search my dreams").fill("volcano")
            page.get_by_role("button", name="Search").click()
            expect(page.get_by_text("No dream matches.")).to_be_visible()

            page.get_by_role("link", name="Spaces").first.click()
            page.get_by_role("link", name="Tidal Circle").click()
            page.get_by_role("button", name="Join this space").click()
            expect(page.locator(".notice")).to_contain_text("You joined the space.")

            page.goto(dream_url)
            page.get_by_label("Space", exact=True).select_option(label="Tidal Circle")
            page.get_by_label("Content warning (optional)").fill("an attack")
            page.get_by_role("button", name="Contribute").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Tidal Circle")
            warning = page.locator("details.content-warning")
            expect(warning.locator("summary")).to_contain_text("Content warning: an attack")
            expect(warning.locator(".dream-text")).to_be_hidden()  # hidden until opened, without scripts
            warning.locator("summary").click()
            expect(warning.locator(".dream-text")).to_contain_text("a heron watched us")
            expect(page.locator("main")).not_to_contain_text("Sam Sleeper")
            expect(page.locator("main")).not_to_contain_text("sam@example.org")

            _analyse_like_the_worker(app, dream_id)
            page.goto(dream_url)
            expect(page.get_by_role("heading", name="Why was this coded?")).to_be_visible()
            expect(page.locator("mark.evidence").first).to_be_visible()
            expect(page.get_by_role("link", name="Tidal Circle")).to_be_visible()
            page.screenshot(path=str(SCREENSHOT), full_page=True)
            page.set_viewport_size({"width": 375, "height": 800})
            page.screenshot(path=str(MOBILE_SCREENSHOT), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, "the dream page scrolls sideways on a phone"
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
