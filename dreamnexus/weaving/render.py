"""Compose passages (engine-written connective + the contributor's excerpt) and render Markdown or HTML.

The connective phrases are the only words the engine writes; everything after a passage's connective is
the contributor's excerpt with whitespace collapsed, a sentence-initial function word lowered and a
closing full stop added. Renderers escape every piece of user-controlled text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np

from dreamnexus.weaving.arc import STAGES
from dreamnexus.weaving.model import Passage, Source, Weave
from dreamnexus.weaving.text import adapt

CONNECTIVES: dict[str, dict[str, tuple[str, ...]]] = {
    "setting": {
        "open": ("It began like this:", "Our night opened here:", "First there was this:"),
        "next": ("Not far away,", "In another corner of the night,", "At the same time,", "Elsewhere,"),
    },
    "encounters": {
        "open": ("Then the meetings began:", "Soon, someone appeared:", "Then,"),
        "next": ("Another dreamer met this:", "Meanwhile,", "Somewhere else,", "And then,"),
    },
    "crisis": {
        "open": ("Then the night darkened:", "But fear arrived:", "Then things went wrong:"),
        "next": ("Another dreamer felt it too:", "Worse still,", "At the same moment,", "Elsewhere,"),
    },
    "resilience": {
        "open": ("Still, we held on:", "And yet,", "Slowly, we found our footing:"),
        "next": ("Someone else kept going:", "Meanwhile,", "Beside them,", "And still,"),
    },
    "resolution": {
        "open": ("At last, the night turned:", "Then came the morning:", "In the end,"),
        "next": ("And another dreamer saw this:", "Then,", "Together,", "Finally,"),
    },
}


def choose_connectives(stages: Sequence[str], seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    out: list[str] = []
    prev: str | None = None
    for stage in stages:
        kind = "open" if stage != prev else "next"
        options = CONNECTIVES[stage][kind]
        phrase = options[int(rng.integers(len(options)))]
        if out and phrase == out[-1]:
            phrase = options[(options.index(phrase) + 1) % len(options)]
        out.append(phrase)
        prev = stage
    return out


def compose_passage(connective: str, excerpt: str, stage: str, source: Source) -> Passage:
    body = adapt(excerpt, after_connective=connective.endswith(","))
    return Passage(text=f"{connective} {body}", sources=(source,), stage=stage, connective=connective)


_THEME = re.compile(r"^[^\W\d_]{3,}(?: [^\W\d_]{3,})?$", re.UNICODE)


def title_for(themes: Sequence[str]) -> str:
    """A title from the most shared themes: letters only, at most two words, shared by two fragments."""
    counts: dict[str, int] = {}
    for t in themes:
        key = t.strip().lower()
        if _THEME.match(key):
            counts[key] = counts.get(key, 0) + 1
    ranked = sorted((k for k, c in counts.items() if c >= 2), key=lambda k: (-counts[k], k))
    picked = [t.title() for t in ranked[:3]]
    if not picked:
        return "A Night of Shared Dreams"
    if len(picked) == 1:
        return f"A Night of Shared Dreams: {picked[0]}"
    return f"A Night of Shared Dreams: {', '.join(picked[:-1])} and {picked[-1]}"


# Emphasis, code, links/images ("[" and "]"), tables and strike-through; the line-start syntax (#, -, +,
# 1.) cannot occur because every passage starts with an engine-written connective.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def escape_markdown(text: str) -> str:
    """Neutralise Markdown syntax and raw HTML in user text (renderers pass inline HTML through)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(weave: Weave) -> str:
    lines = [f"# {escape_markdown(weave.title)}", ""]
    stage = None
    for n, p in enumerate(weave.passages, start=1):
        if p.stage != stage:
            stage = p.stage
            lines += [f"## {stage.capitalize()}", ""]
        refs = ", ".join(escape_markdown(s.contribution_id) for s in p.sources)
        lines += [f"{escape_markdown(p.text)} \\[{n}: {refs}\\]", ""]
    lines += ["## Sources", ""]
    for n, p in enumerate(weave.passages, start=1):
        for s in p.sources:
            lines.append(
                f"{n}\\. {escape_markdown(s.contribution_id)} by {escape_markdown(s.author)}, "
                f"characters {s.span[0]}–{s.span[1]}"
            )
    return "\n".join(lines).rstrip() + "\n"


def render_html(weave: Weave) -> str:
    e = html.escape
    parts = ['<article class="weave">', f"<h1>{e(weave.title)}</h1>"]
    stage = None
    for n, p in enumerate(weave.passages, start=1):
        if p.stage != stage:
            if stage is not None:
                parts.append("</section>")
            stage = p.stage
            parts.append(f'<section data-stage="{e(stage)}"><h2>{e(stage.capitalize())}</h2>')
        body = p.text[len(p.connective) :].lstrip()
        ids = " ".join(e(s.contribution_id) for s in p.sources)
        parts.append(
            f'<p class="passage" id="passage-{n}" data-sources="{ids}">'
            f'<span class="connective">{e(p.connective)}</span> '
            f'<span class="fragment">{e(body)}</span> <sup>[{n}]</sup></p>'
        )
    if stage is not None:
        parts.append("</section>")
    parts.append('<ol class="sources">')
    for p in weave.passages:
        for s in p.sources:
            parts.append(
                f"<li>{e(s.contribution_id)} by {e(s.author)}, characters {s.span[0]}–{s.span[1]}</li>"
            )
    parts += ["</ol>", "</article>"]
    return "\n".join(parts) + "\n"


__all__ = ["STAGES", "choose_connectives", "compose_passage", "render_html", "render_markdown", "title_for"]
