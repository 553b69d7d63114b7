"""Per-dream pseudonyms, so that a public dream never shows who wrote it nor links two dreams together."""

from __future__ import annotations

import secrets

ADJECTIVES = (
    "Amber Azure Bright Calm Cedar Coral Crimson Dawn Drifting Dusky Echoing Emerald Feathered Gentle Gilded "
    "Glass Hidden Hollow Indigo Ivory Jade Lantern Lunar Misty Moonlit Northern Opal Pale Quiet Rain Restless "
    "Rose Saffron Silent Silver Slate Solar Starry Still Swift Tidal Twilight Velvet Violet Wandering Willow "
    "Winter Woven"
).split()
NOUNS = (
    "Albatross Badger Bear Cormorant Crane Deer Dolphin Dove Falcon Fox Hare Heron Ibis Jaguar Kestrel Koi "
    "Lark Lynx Manta Marten Moth Narwhal Newt Nightjar Orca Otter Owl Panther Petrel Puffin Raven Salamander "
    "Seal Sparrow Starling Swan Tern Tortoise Turtle Weasel Whale Wolf Wren"
).split()


def new_pseudonym() -> str:
    return f"{secrets.choice(ADJECTIVES)} {secrets.choice(NOUNS)} {secrets.randbelow(900) + 100}"
