"""Live weaving: add contributions one at a time without re-weaving everything.

Each `add` runs the same content rules, a near-duplicate check against the live rows (one matrix-vector
product), the burst and off-topic checks against running sums, and then a local repair of the current
selection (fill, swap inside the group, or rebalance an under-represented group). Themes keep the
centroids of the last full weave; call `reweave()` now and then (e.g. every few hundred additions) to
refresh them and get exactly the result a batch weave would give.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from dreamnexus.weaving.content import check_text
from dreamnexus.weaving.engine import NO_GROUP, Prepared, assemble, prepare, span_of, weave_prepared
from dreamnexus.weaving.features import Features, Featuriser, default_featuriser
from dreamnexus.weaving.model import Contribution, Exclusion, Weave, parse_contribution
from dreamnexus.weaving.params import WeaveParameters
from dreamnexus.weaving.screening import rare_similarity
from dreamnexus.weaving.text import excerpt_span, word_count
from dreamnexus.weaving.themes import kmeans


@dataclass(frozen=True)
class Update:
    id: str
    status: str  # "excluded" | "downweighted" | "accepted" | "woven"
    reason: str = ""
    replaced: str | None = None  # contribution that left the weave to make room, if any
    changed: bool = False  # whether the weave's selection changed


class IncrementalWeaver:
    def __init__(
        self,
        params: WeaveParameters | None = None,
        seed: int = 0,
        featuriser: Featuriser | None = None,
        initial: Iterable[Any] = (),
    ) -> None:
        self.params = params or WeaveParameters()
        self.seed = seed
        self._featuriser = featuriser or default_featuriser()
        self._reset(list(initial))

    # --- state ---------------------------------------------------------------------------------------

    def _reset(self, contributions: list[Any]) -> None:
        p = self.params
        prepared, early = prepare(contributions, p, self._featuriser)
        base = weave_prepared(prepared, p, self.seed, early)
        self._rows: list[Contribution] = list(prepared.rows)
        self._ids = {c.id for c in self._rows} | {e.id for e in early}
        self._early = list(early)
        n = len(self._rows)
        cap = max(256, 2 * n)
        dim = prepared.x.shape[1]
        self._dim = dim
        self._x = np.zeros((cap, dim), dtype=np.float32)
        self._x[:n] = prepared.x
        self._valence = np.zeros(cap, np.float32)
        self._arousal = np.zeros(cap, np.float32)
        self._emotions = np.zeros((cap, 5), np.float32)
        self._valence[:n] = prepared.features.valence
        self._arousal[:n] = prepared.features.arousal
        self._emotions[:n] = prepared.features.emotions
        self._themes = list(prepared.features.themes)
        self._trust = np.zeros(cap, np.float64)
        self._trust[:n] = prepared.trust
        self._times = np.full(cap, np.nan)
        self._times[:n] = prepared.times
        self._spans = [span_of(prepared, i, p.max_excerpt_chars) for i in range(n)]
        self._lengths = np.zeros(cap, np.float64)
        self._words = np.zeros(cap, np.float64)
        for i, (s, e) in enumerate(self._spans):
            self._lengths[i] = e - s
            self._words[i] = word_count(self._rows[i].text[s:e])
        self._weights = np.zeros(cap, np.float64)
        self._labels = np.full(cap, -1, np.int64)
        self._centrality = np.zeros(cap, np.float32)
        self._excluded: dict[int, tuple[str, str]] = {}
        self._down: dict[int, tuple[str, float]] = {}
        by_id = {c.id: i for i, c in enumerate(self._rows)}
        for e in base.excluded:
            if e.id in by_id:
                self._excluded[by_id[e.id]] = (e.reason, e.detail)
        for d in base.downweighted:
            self._down[by_id[d["id"]]] = (d["reason"], float(d["weight"]))
        for i in range(n):
            if i in self._excluded:
                continue
            w = 0.5 + 0.5 * self._trust[i]
            if i in self._down:
                w = min(w, self._down[i][1])
            self._weights[i] = w
        self._n = n
        self._selected = [by_id[s.contribution_id] for p_ in base.passages for s in p_.sources]
        self._refresh_themes()
        live = np.flatnonzero(self._weights[:n] > 0)
        ref = live[self._trust[live] >= self.params.low_trust]
        ref = ref if ref.size >= 50 else live
        self._rare = rare_similarity(self._x[ref], self.params.coord_quantile, self.seed) if ref.size else 1.0
        low_times = self._times[:n]
        recent = [
            int(j)
            for j in live[np.argsort(low_times[live], kind="stable")]
            if self._trust[j] < self.params.low_trust
        ]
        self._recent_low: deque[int] = deque(recent[-2000:])
        self._sum = self._x[:n][self._weights[:n] > 0].sum(axis=0) if n else np.zeros(dim, np.float32)
        self._live = int((self._weights[:n] > 0).sum())

    def _refresh_themes(self) -> None:
        p = self.params
        n = self._n
        honest = np.flatnonzero(self._weights[:n] >= p.honest_weight)
        live = np.flatnonzero(self._weights[:n] > 0)
        basis = honest if honest.size else live
        self._k = max(1, min(p.n_themes, basis.size))
        if basis.size:
            _, self._centroids = kmeans(self._x[basis], self._k, self.seed, weights=self._weights[basis])
            sims = self._x[live] @ self._centroids.T
            self._labels[live] = np.argmax(sims, axis=1)
            self._centrality[live] = sims[np.arange(live.size), self._labels[live]]
        else:
            self._centroids = np.zeros((1, self._dim), np.float32)
        self._author_rows: dict[str, int] = {}
        self._group_authors: dict[str, set[str]] = {}
        self._honest_rows: Counter[tuple[str, str]] = Counter()
        self._mass = np.zeros(self._k, np.float64)
        for i in live:
            self._author_rows[self._rows[i].author] = self._author_rows.get(self._rows[i].author, 0) + 1
        for i in live:
            self._mass[self._labels[i]] += self._weights[i] / self._author_rows[self._rows[i].author]
            if self._weights[i] >= p.honest_weight:
                self._mark_honest(int(i))

    def _group(self, i: int) -> str:
        return self._rows[i].group or NO_GROUP

    def _grow(self) -> None:
        cap = self._x.shape[0] * 2
        for name in (
            "_x",
            "_valence",
            "_arousal",
            "_emotions",
            "_trust",
            "_times",
            "_lengths",
            "_words",
            "_weights",
            "_labels",
            "_centrality",
        ):
            old = getattr(self, name)
            fill = np.nan if name == "_times" else (-1 if name == "_labels" else 0)
            new = np.full((cap, *old.shape[1:]), fill, dtype=old.dtype)
            new[: old.shape[0]] = old
            setattr(self, name, new)

    # --- public API -----------------------------------------------------------------------------------

    def add(self, contribution: Any) -> Update:
        p = self.params
        c = parse_contribution(contribution)
        if c.id in self._ids:
            self._early.append(Exclusion(c.id, "duplicate_id", "id already used"))
            return Update(c.id, "excluded", "duplicate_id")
        self._ids.add(c.id)
        if self._n >= self._x.shape[0]:
            self._grow()
        i = self._n
        self._n += 1
        self._rows.append(c)
        self._themes.append([])
        span = excerpt_span(c.text, p.max_excerpt_chars)
        self._spans.append(span)
        self._lengths[i] = span[1] - span[0]
        self._words[i] = word_count(c.text[span[0] : span[1]])
        self._trust[i] = p.default_trust if c.trust is None else c.trust
        self._times[i] = np.nan if c.created_at is None else c.created_at
        finding = check_text(c.text, p.min_words)
        if finding is not None:
            self._excluded[i] = (finding.reason, finding.detail)
            return Update(c.id, "excluded", finding.reason)
        f = self._featuriser.featurise([c])
        if self._dim != f.embeddings.shape[1] and not self._x[: self._n].any():
            # Nothing embedded yet (empty start, or only excluded rows): adopt the featuriser's width.
            self._dim = f.embeddings.shape[1]
            self._x = np.zeros((self._x.shape[0], self._dim), np.float32)
            self._centroids = np.zeros((1, self._dim), np.float32)
            self._sum = np.zeros(self._dim, np.float32)
        x = f.embeddings[0]
        self._x[i] = x
        self._valence[i], self._arousal[i], self._emotions[i] = f.valence[0], f.arousal[0], f.emotions[0]
        self._themes[i] = f.themes[0]

        reason = self._duplicate(i)
        if reason is not None:
            return Update(c.id, "excluded", reason, *self._drop_excluded())
        self._weights[i] = 0.5 + 0.5 * self._trust[i]
        self._mark_honest(i)  # the checks below may take it back
        self._sum += x
        self._live += 1
        self._burst(i)
        self._off_topic(i)
        sims = self._centroids @ x
        label = int(np.argmax(sims))
        self._labels[i] = label
        self._centrality[i] = float(sims[label])
        author = c.author
        self._author_rows[author] = self._author_rows.get(author, 0) + 1
        self._mass[label] += self._weights[i] / self._author_rows[author]
        replaced, changed = self._repair(i)
        dropped_id, dropped = self._drop_excluded()
        status = "woven" if i in self._selected else ("downweighted" if i in self._down else "accepted")
        reason_out = self._down[i][0] if i in self._down else ""
        return Update(c.id, status, reason_out, replaced or dropped_id, changed or dropped)

    def weave(self) -> Weave:
        """The current weave (cheap: re-orders and renders the current selection)."""
        n = self._n
        feats = Features(
            self._x[:n], self._valence[:n], self._arousal[:n], self._emotions[:n], self._themes[:n]
        )
        groups = [self._group(i) for i in range(n)]
        contributors = {g: len(a) for g, a in sorted(self._group_authors.items())}
        mass = self._mass / self._mass.sum() if self._mass.sum() > 0 else self._mass
        exclusions = list(self._early) + [
            Exclusion(self._rows[i].id, r, d) for i, (r, d) in sorted(self._excluded.items())
        ]
        down = tuple(
            {"id": self._rows[i].id, "reason": r, "weight": w}
            for i, (r, w) in sorted(self._down.items())
            if i not in self._excluded
        )
        return assemble(
            rows=self._rows,
            spans=self._spans,
            x=self._x[:n],
            feats=feats,
            groups=groups,
            lengths=self._lengths[:n],
            labels=self._labels[:n],
            mass=mass,
            contributors=contributors,
            chosen=self._selected,
            exclusions=exclusions,
            downweighted=down,
            params=self.params,
            seed=self.seed,
            featuriser_name=self._featuriser.name,
        )

    def reweave(self) -> Weave:
        """Full batch weave over everything added so far (reuses computed features); resets the state."""
        n = self._n
        prepared = Prepared(
            rows=list(self._rows),
            excluded={i: v for i, v in self._excluded.items() if v[0] not in ("flood", "near_duplicate")},
            x=self._x[:n].copy(),
            features=Features(
                self._x[:n].copy(),
                self._valence[:n].copy(),
                self._arousal[:n].copy(),
                self._emotions[:n].copy(),
                list(self._themes),
            ),
            trust=self._trust[:n].copy(),
            times=self._times[:n].copy(),
            spans=list(self._spans),
            featuriser=self._featuriser.name,
        )
        return weave_prepared(prepared, self.params, self.seed, self._early)

    # --- steps of add ---------------------------------------------------------------------------------

    def _duplicate(self, i: int) -> str | None:
        p = self.params
        if i == 0:
            return None
        # Earlier copies already excluded as reposts still count towards a flood; rows excluded by the
        # content rules have zero vectors and never match.
        sims = self._x[:i] @ self._x[i]
        close = np.flatnonzero(sims >= p.dup_threshold)
        if close.size == 0:
            return None
        authors = {self._rows[j].author for j in close} | {self._rows[i].author}
        if len(authors) >= p.flood_min_authors:
            first = int(close[0])
            keep = first if self._trust[first] >= p.established_trust else -1
            detail = f"{close.size + 1} near-copies from {len(authors)} authors"
            for j in close:
                if int(j) != keep:
                    self._exclude(int(j), "flood", detail)
            self._excluded[i] = ("flood", detail)
            return "flood"
        self._excluded[i] = ("near_duplicate", f"of {self._rows[int(close[0])].id}")
        return "near_duplicate"

    def _exclude(self, j: int, reason: str, detail: str) -> None:
        if self._weights[j] >= self.params.honest_weight:
            self._unmark_honest(j)
        if self._weights[j] > 0:
            self._sum -= self._x[j]
            self._live -= 1
        self._weights[j] = 0.0
        self._excluded[j] = (reason, detail)

    def _drop_excluded(self) -> tuple[str | None, bool]:
        gone = [j for j in self._selected if j in self._excluded]
        if not gone:
            return None, False
        self._selected = [j for j in self._selected if j not in self._excluded]
        return self._rows[gone[0]].id, True

    def _mark_honest(self, j: int) -> None:
        key = (self._group(j), self._rows[j].author)
        self._honest_rows[key] += 1
        if self._honest_rows[key] == 1:
            self._group_authors.setdefault(key[0], set()).add(key[1])

    def _unmark_honest(self, j: int) -> None:
        """Row j stops counting as honest; its author leaves the group's count with their last such row."""
        key = (self._group(j), self._rows[j].author)
        self._honest_rows[key] -= 1
        if self._honest_rows[key] <= 0:
            del self._honest_rows[key]
            self._group_authors.get(key[0], set()).discard(key[1])

    def _downweight(self, j: int, reason: str, weight: float) -> None:
        was_honest = self._weights[j] >= self.params.honest_weight
        self._down.setdefault(j, (reason, weight))
        self._weights[j] = min(self._weights[j], weight)
        if was_honest and self._weights[j] < self.params.honest_weight:
            self._unmark_honest(j)

    def _burst(self, i: int) -> None:
        """Coordination check of one new low-trust row against the low-trust rows of its window."""
        p = self.params
        if self._trust[i] >= p.low_trust:
            return
        t = self._times[i]
        self._recent_low.append(i)
        if np.isfinite(t):
            while self._recent_low and t - self._times[self._recent_low[0]] > p.burst_window_s:
                self._recent_low.popleft()
        members = [j for j in self._recent_low if j != i and self._weights[j] > 0]
        if len(members) < p.coord_min_neighbours:
            return
        sims = self._x[members] @ self._x[i]
        close = [j for j, s in zip(members, sims, strict=True) if s >= self._rare]
        bar = max(p.coord_min_neighbours, 4.0 * (1.0 - p.coord_quantile) * len(members))
        if len(close) < bar:
            return
        for j in (*close, i):
            self._downweight(j, "coordinated_low_trust", p.coordinated_weight)
        self._selected = [j for j in self._selected if self._weights[j] >= p.honest_weight]

    def _off_topic(self, i: int) -> None:
        p = self.params
        if self._live < 20:
            return
        centre = self._sum / max(float(np.linalg.norm(self._sum)), 1e-12)
        if not hasattr(self, "_floor") or self._live % 64 == 0:
            # The floor moves slowly with the population: refresh it every 64 additions, not every one.
            live = np.flatnonzero(self._weights[: self._n] > 0)
            ref = live[self._trust[live] >= p.established_trust]
            sims = self._x[ref if ref.size >= 20 else live] @ centre
            q1, q3 = np.percentile(sims, [25, 75])
            self._floor = float(q1 - p.off_topic_iqr * (q3 - q1))
        if float(self._x[i] @ centre) < self._floor:
            self._downweight(i, "off_topic", p.off_topic_weight)

    def _score(self, j: int, covered: np.ndarray) -> float:
        lab = self._labels[j]
        mass = self._mass / self._mass.sum() if self._mass.sum() > 0 else self._mass
        gain = mass[lab] / (1.0 + 2.0 * covered[lab])
        length = min(self._words[j] / 25.0, 1.0) * 0.3 - (0.5 if self._words[j] < 6 else 0.0)
        return float(self._weights[j] * (4.0 * gain + 0.5 * self._centrality[j] + length))

    def _fits(self, i: int, without: int | None = None) -> bool:
        p = self.params
        others = [j for j in self._selected if j != without]
        if others and float(np.max(self._x[others] @ self._x[i])) >= p.dup_threshold:
            return False
        author = self._rows[i].author
        return sum(self._rows[j].author == author for j in others) < p.max_per_author

    def _repair(self, i: int) -> tuple[str | None, bool]:
        """Put row i into the selection when it fills a gap or beats a fragment of its own group."""
        p = self.params
        if self._weights[i] < p.honest_weight:
            return None, False
        if len(self._selected) < p.size:
            if self._fits(i):
                self._selected.append(i)
                return None, True
            return None, False
        g = self._group(i)
        contributors = {h: len(a) for h, a in self._group_authors.items()}
        total_c = sum(contributors.values()) or 1
        chars: dict[str, float] = {}
        for j in self._selected:
            chars[self._group(j)] = chars.get(self._group(j), 0.0) + self._lengths[j]
        total_w = sum(chars.values()) or 1.0
        gap = {
            h: chars.get(h, 0.0) / total_w - contributors.get(h, 0) / total_c
            for h in set(chars) | set(contributors)
        }
        covered = np.bincount(self._labels[self._selected], minlength=self._k)
        members: dict[str, list[int]] = {}
        for j in self._selected:
            members.setdefault(self._group(j), []).append(j)
        same = members.get(g, [])
        absent = not same and contributors.get(g, 0) >= p.min_group_contributors
        victims, cross = same, False
        if absent or gap.get(g, 0.0) < -0.05:
            # Under-represented: take the slot of the weakest fragment of the most over-represented group,
            # never the last fragment of a group.
            donors = [h for h, js in members.items() if h != g and len(js) >= 2]
            if donors:
                over = max(donors, key=lambda h: (gap.get(h, 0.0), h))
                if absent or gap.get(over, 0.0) > 0.05:
                    victims, cross = members[over], True
        if not victims:
            return None, False

        def without(j: int) -> np.ndarray:
            out = covered.copy()
            out[self._labels[j]] -= 1
            return out

        victim = min(victims, key=lambda j: (self._score(j, without(j)), j))
        if not cross and self._score(i, without(victim)) <= self._score(victim, without(victim)):
            return None, False
        if not self._fits(i, without=victim):
            return None, False
        self._selected[self._selected.index(victim)] = i
        return self._rows[victim].id, True
