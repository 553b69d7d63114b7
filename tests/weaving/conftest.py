"""Fixtures of the weaving tests: a deterministic featuriser and a synthetic honest corpus."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from dreamnexus.weaving import HashingFeaturiser

PLACES = (
    "an old lighthouse",
    "my grandmother's kitchen",
    "a flooded subway station",
    "a desert market",
    "the school gym",
    "a glass elevator",
    "a forest of white birches",
    "an empty airport",
    "a rooftop garden",
    "a hospital corridor",
    "a wooden sailboat",
    "the attic of our first house",
    "a snowy mountain pass",
    "a crowded night train",
    "an underground library",
    "a carnival at dusk",
    "a frozen lake",
    "a hotel lobby",
    "a cave full of crystals",
    "a bakery at dawn",
    "a cathedral without a roof",
    "a parking garage",
)
PEOPLE = (
    "my brother",
    "a stranger in a red coat",
    "my old teacher",
    "a talking fox",
    "my best friend Ana",
    "a crowd of children",
    "my father",
    "a tall woman with silver hair",
    "two police officers",
    "my cousin",
    "a singing fisherman",
    "my neighbour's dog",
    "a nurse",
    "an astronaut",
    "my late uncle",
    "a baby owl",
)
ACTIONS = (
    "we were searching for a lost key",
    "the floor started to tilt",
    "someone was chasing us",
    "we painted the walls blue",
    "the water kept rising",
    "I could suddenly fly",
    "we shared warm bread",
    "the lights went out one by one",
    "a door opened onto the sea",
    "I forgot how to speak",
    "we danced until the music stopped",
    "the clocks ran backwards",
    "my teeth were falling out",
    "we found a box of old letters",
    "the walls whispered my name",
    "I was late for an exam",
)
FEELINGS = (
    "I felt calm and safe",
    "I was terrified",
    "I was so happy",
    "I felt confused and lost",
    "I was angry at everyone",
    "I felt a deep sadness",
    "I laughed with relief",
    "I was strangely peaceful",
)


def honest_text(rng: random.Random) -> str:
    return (
        f"I was in {rng.choice(PLACES)} with {rng.choice(PEOPLE)}. Then {rng.choice(ACTIONS)} "
        f"and {rng.choice(ACTIONS)}. {rng.choice(FEELINGS)}."
    )


def honest_corpus(n: int, seed: int = 0, groups: tuple[str, ...] = ("north", "south", "east")) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i in range(n):
        out.append(
            {
                "id": f"h{i}",
                "author": f"author{i}",
                "text": honest_text(rng),
                "group": groups[i % len(groups)],
                "trust": round(0.4 + 0.6 * rng.random(), 3),
                "created_at": f"2026-06-01T{(i // 60) % 24:02d}:{i % 60:02d}:00Z",
            }
        )
    return out


@pytest.fixture
def featuriser() -> HashingFeaturiser:
    return HashingFeaturiser()


@pytest.fixture
def make_corpus() -> Callable[..., list[dict]]:
    return honest_corpus
