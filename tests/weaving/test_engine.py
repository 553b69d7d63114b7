"""The batch weave: provenance, proportionality, caps, arc, renderers, determinism."""

from __future__ import annotations

import json
import random

import pytest

from dreamnexus.weaving import (
    WeaveParameters,
    parse_contribution,
    passages_of,
    render_html,
    render_markdown,
    verify_weave,
    weave,
)
from dreamnexus.weaving.arc import STAGES


def test_weave_has_the_documented_shape(make_corpus, featuriser) -> None:
    records = make_corpus(80)
    w = weave(records, WeaveParameters(size=12), seed=3, featuriser=featuriser)
    d = json.loads(json.dumps(w.to_dict()))
    assert set(d) >= {
        "title",
        "passages",
        "excluded",
        "representation",
        "metrics",
        "engine_version",
        "parameters",
        "seed",
    }
    assert len(d["passages"]) == 12
    assert d["seed"] == 3 and d["parameters"]["size"] == 12
    assert set(d["metrics"]) == {"coverage", "redundancy", "coherence", "arc_fit", "representation_gap"}
    for p in d["passages"]:
        (src,) = p["sources"]
        assert set(src) == {"contribution_id", "author", "span"}
    for g in d["representation"].values():
        assert set(g) == {"contributor_share", "woven_share"}


def test_every_passage_quotes_its_source(make_corpus, featuriser) -> None:
    records = make_corpus(60)
    w = weave(records, featuriser=featuriser)
    by_id = {r["id"]: r for r in records}
    assert verify_weave(w, [parse_contribution(r) for r in records]) == []
    for p in w.passages:
        s = p.sources[0]
        quoted = by_id[s.contribution_id]["text"][s.span[0] : s.span[1]]
        assert p.text.startswith(p.connective)
        assert p.text[len(p.connective) :].strip().lower().rstrip(".") == quoted.lower().rstrip(".")
        assert by_id[s.contribution_id]["author"] == s.author


def test_verify_weave_detects_tampering(make_corpus, featuriser) -> None:
    from dataclasses import replace

    records = make_corpus(30)
    w = weave(records, WeaveParameters(size=6), featuriser=featuriser)
    first = w.passages[0]
    forged = replace(first, text=first.text + " And then I won the lottery.")
    bad = replace(w, passages=(forged, *w.passages[1:]))
    assert verify_weave(bad, [parse_contribution(r) for r in records])


def test_same_input_and_seed_give_the_same_weave_in_any_order(make_corpus, featuriser) -> None:
    records = make_corpus(90)
    a = weave(records, seed=5, featuriser=featuriser).to_dict()
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    b = weave(shuffled, seed=5, featuriser=featuriser).to_dict()
    assert a == b


def test_per_author_cap_holds(make_corpus, featuriser) -> None:
    records = make_corpus(40)
    for i, r in enumerate(records):
        r["author"] = f"a{i % 4}"
    w = weave(records, WeaveParameters(size=10, max_per_author=2), featuriser=featuriser)
    counts: dict[str, int] = {}
    for p in w.passages:
        counts[p.sources[0].author] = counts.get(p.sources[0].author, 0) + 1
    assert max(counts.values()) <= 2
    assert len(w.passages) == 8  # 4 authors x cap 2


def test_loud_group_does_not_take_over(make_corpus, featuriser) -> None:
    records = make_corpus(120, groups=("big",))
    small = make_corpus(12, seed=7, groups=("small",))
    for i, r in enumerate(small):
        r.update(id=f"s{i}", author=f"small{i}")
    # The big group posts many times per author: one person, one voice.
    for i, r in enumerate(records):
        r["author"] = f"big{i % 12}"
    w = weave(records + small, WeaveParameters(size=10, max_per_author=3), featuriser=featuriser)
    rep = w.representation
    assert rep["small"]["contributor_share"] == pytest.approx(0.5, abs=0.05)
    assert abs(rep["small"]["woven_share"] - rep["small"]["contributor_share"]) <= 0.1
    assert w.metrics["representation_gap"] <= 0.1


def test_groups_with_three_honest_contributors_appear(make_corpus, featuriser) -> None:
    records = make_corpus(100, groups=("a", "b", "c", "d"))
    tiny = make_corpus(3, seed=11, groups=("tiny",))
    for i, r in enumerate(tiny):
        r.update(id=f"t{i}", author=f"tiny{i}")
    w = weave(records + tiny, WeaveParameters(size=8), featuriser=featuriser)
    assert "tiny" in {
        r["group"] for r in records + tiny if r["id"] in {p.sources[0].contribution_id for p in w.passages}
    }


def test_passages_follow_the_arc_stage_order(make_corpus, featuriser) -> None:
    w = weave(make_corpus(80), WeaveParameters(size=15), featuriser=featuriser)
    stages = [STAGES.index(p.stage) for p in w.passages]
    assert stages == sorted(stages)
    assert len(set(stages)) == len(STAGES)


def test_passages_of_finds_a_contributor(make_corpus, featuriser) -> None:
    records = make_corpus(40)
    w = weave(records, WeaveParameters(size=8), featuriser=featuriser)
    target = w.passages[3].sources[0]
    found = passages_of(w, author=target.author)
    assert [i for i, _ in found] == [3]
    assert passages_of(w, contribution_id=target.contribution_id)[0][1] is w.passages[3]
    woven = {p.sources[0].author for p in w.passages}
    absent = next(r["author"] for r in records if r["author"] not in woven)
    assert passages_of(w, author=absent) == []
    with pytest.raises(ValueError):
        passages_of(w)


def test_renderers_escape_user_text(make_corpus, featuriser) -> None:
    records = make_corpus(20)
    evil = '<script>alert("x")</script> I was in a [link](javascript:go) *garden* of <b>roses</b> & thorns.'
    for r in records:
        r["text"] = f"I was in a garden number {r['id']} with my aunt. " + evil
        r["author"] = r["author"] + "<img src=x onerror=alert(1)>"
    w = weave(records, WeaveParameters(size=5, max_excerpt_chars=400), featuriser=featuriser)
    assert any("<script>" in p.text for p in w.passages)
    page = render_html(w)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page
    md = render_markdown(w)
    assert "<script>" not in md and "<img" not in md
    assert "\\[link\\](javascript" in md  # the link syntax is neutralised
    assert w.title.split(":")[0] in md


def test_empty_and_all_excluded_inputs(featuriser) -> None:
    w = weave([], featuriser=featuriser)
    assert w.passages == () and w.metrics["coverage"] == 0.0
    w = weave([{"id": "1", "author": "a", "text": "buy now, click here www.x.com"}], featuriser=featuriser)
    assert w.passages == () and w.excluded[0].reason == "spam_link"


def test_duplicate_ids_and_extra_fields(make_corpus, featuriser) -> None:
    records = make_corpus(10)
    records.append(dict(records[0], text="I was somewhere else entirely, on a boat at night."))
    records[1]["colour"] = "blue"
    w = weave(records, featuriser=featuriser)
    assert [e.reason for e in w.excluded if e.id == records[0]["id"]] == ["duplicate_id"]


def test_selection_falls_back_to_downweighted_rows_when_nobody_is_honest(make_corpus, featuriser) -> None:
    import numpy as np

    from dreamnexus.weaving.selection import Pool, effective_contributors, select

    rows = make_corpus(20)
    x = featuriser.featurise([parse_contribution(r) for r in rows]).embeddings
    n = len(rows)
    pool = Pool(
        x,
        np.full(n, 0.05),
        [r["group"] for r in rows],
        [r["author"] for r in rows],
        np.zeros(n, dtype=np.int64),
        np.ones(n, dtype=np.float32),
        np.full(n, 100.0),
        np.full(n, 20.0),
    )
    params = WeaveParameters(size=4)
    assert sum(effective_contributors(pool, params).values()) == n
    chosen = select(pool, params, 1)
    assert len(chosen) == 4 and len(set(chosen)) == 4
