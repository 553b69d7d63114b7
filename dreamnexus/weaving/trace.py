"""Provenance: where a contributor appears, and a check that every woven sentence maps to its sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dreamnexus.weaving.model import Contribution, Passage, Weave, parse_contribution
from dreamnexus.weaving.text import normalise, sentence_spans


def passages_of(
    weave: Weave, author: str | None = None, contribution_id: str | None = None
) -> list[tuple[int, Passage]]:
    """(index, passage) pairs that quote the given author and/or contribution."""
    if author is None and contribution_id is None:
        raise ValueError("give an author, a contribution_id or both")
    out = []
    for i, p in enumerate(weave.passages):
        for s in p.sources:
            if (author is None or s.author == author) and (
                contribution_id is None or s.contribution_id == contribution_id
            ):
                out.append((i, p))
                break
    return out


def verify_weave(
    weave: Weave, contributions: Iterable[Contribution | dict[str, Any]] | Mapping[str, Contribution]
) -> list[str]:
    """Problems found (empty when sound): each sentence after the connective must be the source's words,
    no excluded contribution may be a source, and authors and spans must match the input."""
    items = contributions.values() if isinstance(contributions, Mapping) else contributions
    by_id = {c.id: c for c in (parse_contribution(r) for r in items)}
    excluded = {e.id for e in weave.excluded}
    problems: list[str] = []
    for n, p in enumerate(weave.passages):
        if not p.text.startswith(p.connective):
            problems.append(f"passage {n}: text does not start with its connective")
            continue
        quoted = " ".join(
            by_id[s.contribution_id].text[s.span[0] : s.span[1]]
            for s in p.sources
            if s.contribution_id in by_id
        )
        for s in p.sources:
            c = by_id.get(s.contribution_id)
            if c is None:
                problems.append(f"passage {n}: unknown source {s.contribution_id!r}")
            elif c.author != s.author:
                problems.append(f"passage {n}: source {s.contribution_id!r} has author {c.author!r}")
            elif not 0 <= s.span[0] < s.span[1] <= len(c.text):
                problems.append(f"passage {n}: span {s.span} out of range")
            if s.contribution_id in excluded:
                problems.append(f"passage {n}: excluded contribution {s.contribution_id!r} woven")
        body = p.text[len(p.connective) :]
        target = normalise(quoted)
        if normalise(body) != target:
            problems.append(f"passage {n}: text differs from its sources beyond light adaptation")
            continue
        for start, end in sentence_spans(body):
            if normalise(body[start:end]) not in target:
                problems.append(f"passage {n}: sentence {body[start:end][:40]!r} not found in sources")
    return problems
