"""A real browser takes part in a festival: a guest pass, a fragment over WebSocket, the live weave."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

DREAM = "I was riding a blue bicycle across a frozen lake while lanterns floated up from under the ice"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_guest_joins_and_sees_their_words_woven_live(
    live: Any, scene: Any, chromium_launch: dict[str, Any]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(**chromium_launch)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{live.http}/festivals/{scene.festival_id}")
            page.get_by_role("button", name="Join as a guest").click()
            expect(page.locator("#fest-status")).to_contain_text(
                "Live:", timeout=10_000
            )  # the WebSocket is up
            page.fill("#fest-text", DREAM)
            page.get_by_role("button", name="Offer it to the weave").click()
            expect(page.locator("#fest-status")).to_contain_text("Received as #1", timeout=10_000)
            # The tick brings the new weave; the guest's own words are marked as theirs.
            expect(page.locator("#fest-weave li.mine")).to_contain_text("blue bicycle", timeout=15_000)
        finally:
            browser.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
