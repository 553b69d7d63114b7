"""The evidence view: coded spans highlighted in the dream text, escaped, robust to bad offsets."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy import select

from dreamnexus.journal.models import Dream
from dreamnexus.journal.pages import highlight_evidence

XSS_TEXT = '<script>alert(1)</script> then "><img src=x onerror=alert(1)> & a wolf attacked me'


def _marks(html: str) -> list[str]:
    return re.findall(r"<mark [^>]*>(.*?)</mark>", html)


def test_spans_are_marked_and_every_piece_is_escaped() -> None:
    start = XSS_TEXT.index("a wolf")
    html, notes = highlight_evidence(
        XSS_TEXT,
        [
            {
                "code": "aggression",
                "label": 'attack <b>"physical"</b>',
                "start": start + 7,
                "end": len(XSS_TEXT),
            },
            {"code": "character", "label": "animal", "start": 0, "end": 7},
        ],
    )
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert _marks(html) == ["&lt;script", "attacked me"]
    assert 'title="aggression: attack &lt;b&gt;&#34;physical&#34;&lt;/b&gt;"' in html
    assert [n.code for n in notes] == ["character", "aggression"]  # in text order
    assert notes[0].quote == "<script"  # raw here; the template escapes it
    # Stripping the marks gives back exactly the escaped text, so nothing was lost or duplicated.
    stripped = re.sub(r"</?mark[^>]*>", "", html)
    assert stripped == str(highlight_evidence(XSS_TEXT, [])[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in stripped


def test_overlapping_spans_are_listed_but_not_nested() -> None:
    text = "The big dog chased a cat."
    html, notes = highlight_evidence(
        text,
        [
            {"code": "a", "label": "outer", "start": 4, "end": 11},
            {"code": "b", "label": "inner", "start": 8, "end": 11},
            {"code": "c", "label": "crossing", "start": 9, "end": 18},
            {"code": "d", "label": "after", "start": 21, "end": 24},
        ],
    )
    assert _marks(html) == ["big dog", "cat"]
    assert [(n.code, n.marked) for n in notes] == [("a", True), ("b", False), ("c", False), ("d", True)]
    assert "<mark" not in "".join(_marks(html))
    assert re.sub(r"</?mark[^>]*>", "", html) == text


def test_out_of_range_and_malformed_spans_are_clamped_or_skipped() -> None:
    text = "short text"
    html, notes = highlight_evidence(
        text,
        [
            {"code": "past-end", "label": "x", "start": 6, "end": 999},
            {"code": "negative", "label": "x", "start": -5, "end": 2},
            {"code": "reversed", "label": "x", "start": 8, "end": 3},
            {"code": "beyond", "label": "x", "start": 50, "end": 60},
            {"code": "junk", "label": "x", "start": "a", "end": None},
            {"code": "bool", "label": "x", "start": True, "end": 3},
            "not a dict",
        ],
    )
    assert _marks(html) == ["sh", "text"]
    assert {n.code for n in notes} == {"past-end", "negative"}
    assert highlight_evidence(text, None)[0] == text and highlight_evidence(text, "junk")[1] == []


def test_marks_carry_their_label_and_point_at_the_explanation() -> None:
    html, notes = highlight_evidence(
        "I ran away.", [{"code": "striving", "label": "escape", "start": 2, "end": 10}]
    )
    mark = re.search(r"<mark [^>]*>", html)
    assert mark is not None
    assert 'title="striving: escape"' in mark.group(0) and 'aria-describedby="why-1"' in mark.group(0)
    assert notes[0].number == 1


def test_the_owner_sees_the_analysis_and_why_each_code_was_given(app: FastAPI, dreamer) -> None:
    dream_id = dreamer.write_dream(XSS_TEXT, title='"><img src=x onerror=alert(1)>')
    start = XSS_TEXT.index("a wolf")
    with app.state.db.session() as session:
        dream = session.scalar(select(Dream).where(Dream.public_id == dream_id))
        dream.analysis_status = "done"
        dream.analysis = {
            "version": "hvdc-1.0",
            "valence": -0.62,
            "arousal": 0.8,
            "themes": ["chase", "<i>threat</i>"],
            "emotions": [{"emotion_class": "apprehension", "subject": "dreamer", "start": 0, "end": 3}],
            "characters": [
                {
                    "id": "c1",
                    "number": "individual",
                    "sex": "indefinite",
                    "identity": "stranger",
                    "kind": "animal",
                    "dead": False,
                    "familiar": False,
                    "head": "wolf",
                    "start": start + 2,
                    "end": start + 6,
                }
            ],
            "evidence": [
                {"code": "aggression", "label": "physical attack", "start": start, "end": len(XSS_TEXT)},
                {"code": "character", "label": "unfamiliar animal", "start": start + 2, "end": start + 6},
                {"code": "broken", "label": "stale offsets", "start": 10_000, "end": 10_010},
            ],
        }
    html = dreamer.get(f"/dreams/{dream_id}").text
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<i>threat" not in html
    assert "-0.62" in html and "0.80" in html and "apprehension" in html
    assert "unfamiliar animal (wolf)" in html and "&lt;i&gt;threat&lt;/i&gt;" in html
    assert _marks(html) == ["a wolf attacked me"]
    assert "Why was this coded?" in html
    assert 'id="why-1"' in html and "physical attack" in html and "“a wolf attacked me”" in html
    assert "unfamiliar animal" in html and "stale offsets" not in html
