"""User text is escaped everywhere it is shown: journal, dream page, space page."""

from __future__ import annotations

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def _assert_escaped(html: str) -> None:
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_dream_text_and_title_are_escaped_on_every_page(weaver, dreamer, visitor) -> None:
    response = weaver.post(
        "/spaces/new",
        {
            "title": PAYLOADS[1],
            "description": PAYLOADS[0],
            "guidelines": PAYLOADS[1],
            "content_note": PAYLOADS[0],
        },
    )
    space_id = response.headers["location"].split("?")[0].removeprefix("/spaces/")
    dreamer.post(f"/spaces/{space_id}/join")
    dream_id = dreamer.write_dream(
        f"{PAYLOADS[0]} and {PAYLOADS[1]}", title=f"{PAYLOADS[0]}{PAYLOADS[1]}", visibility="public"
    )
    dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": dream_id, "content_warning": PAYLOADS[1]})

    _assert_escaped(dreamer.get("/journal").text)
    _assert_escaped(dreamer.get(f"/dreams/{dream_id}").text)
    _assert_escaped(visitor().get(f"/dreams/{dream_id}").text)
    _assert_escaped(weaver.get(f"/spaces/{space_id}").text)
    _assert_escaped(dreamer.get("/spaces").text)


def test_re_rendered_forms_escape_what_was_typed(dreamer) -> None:
    response = dreamer.post("/dreams/new", {"text": PAYLOADS[0], "title": PAYLOADS[1], "mood": "9"})
    assert response.status_code == 422
    html = response.text
    assert "<img src=x" not in html and "<script>alert(1)" not in html
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
