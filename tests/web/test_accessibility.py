"""Every form control on the journal and space pages has a label, ids are unique, buttons have names."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_targets: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.buttons: list[str] = []
        self._button: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        if tag == "label" and values.get("for"):
            self.label_targets.add(values["for"] or "")
        if tag in ("input", "select", "textarea") and values.get("type") != "hidden":
            self.controls.append(values)
        if tag == "button":
            self._button = []

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None:
            self.buttons.append("".join(self._button).strip())
            self._button = None


def _check(html: str) -> None:
    parsed = _Controls()
    parsed.feed(html)
    duplicates = [i for i, n in Counter(parsed.ids).items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for control in parsed.controls:
        labelled = control.get("id") in parsed.label_targets or control.get("aria-label")
        assert labelled, f"unlabelled control: {control}"
    assert all(parsed.buttons), "a button without a name"
    assert re.search(r'<html lang="[a-z]+"', html) and '<main id="main"' in html


def test_journal_and_dream_pages_label_every_control(dreamer, weaver) -> None:
    space = (
        weaver.post("/spaces/new", {"title": "Open sea", "access": "open"}).headers["location"].split("?")[0]
    )
    dreamer.post(space + "/join")
    dream_id = dreamer.write_dream("Sailing on a paper boat.", title="Boat", tags="sea", visibility="spaces")
    for path in (
        "/journal",
        "/journal?q=boat",
        "/dreams/new",
        f"/dreams/{dream_id}",
        f"/dreams/{dream_id}/edit",
        f"/dreams/{dream_id}/delete",
    ):
        response = dreamer.get(path)
        assert response.status_code == 200, path
        _check(response.text)
    assert 'id="space_id"' in dreamer.get(f"/dreams/{dream_id}").text  # the contribute form was checked too


def test_space_pages_label_every_control(weaver, dreamer) -> None:
    space = (
        weaver.post("/spaces/new", {"title": "Open sea", "access": "open"}).headers["location"].split("?")[0]
    )
    invite = weaver.post(space + "/invites").text
    token_path = re.search(r"http://testserver(/invites/[^<]+)</code>", invite).group(1)
    for person, paths in (
        (weaver, ("/spaces", "/spaces/new", space, space + "/edit")),
        (dreamer, ("/spaces", space, token_path)),
    ):
        for path in paths:
            response = person.get(path)
            assert response.status_code == 200, path
            _check(response.text)
    _check(invite)
