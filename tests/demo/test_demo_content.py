"""Validates the shipped demo content (dreamnexus/demo/content.json) against the rules the seeding relies on.

The checks live in one `validate` function that returns every problem found, so a failing run lists all
broken rules at once; the mutation tests prove each rule actually rejects bad content.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from dreamnexus.analysis.language import detect_language

ROLES = ("dreamer", "weaver", "researcher", "steward")
VISIBILITIES = ("private", "spaces", "public")
CONSENTS = ("weaving", "festival", "research", "exchange")
LANGUAGE_COUNTS = {"en": 48, "es": 10, "de": 8}
DREAM_COUNT = 66
MIN_WORDS, MAX_WORDS = 60, 250
MIN_CONTRIBUTIONS_PER_SPACE = 8
_TAG = re.compile(r"^[a-z][a-z-]*$")
_HTML = re.compile(r"<[a-zA-Z/!]")


def load_content() -> dict[str, Any]:
    # Read through the package so the test also proves the file ships as package data.
    text = resources.files("dreamnexus.demo").joinpath("content.json").read_text(encoding="utf-8")
    return json.loads(text)


def _check_users(users: list[dict[str, Any]], errors: list[str]) -> None:
    if not 9 <= len(users) <= 11:
        errors.append(f"expected 9-11 users, got {len(users)}")
    roles = Counter(u["role"] for u in users)
    for role in ("weaver", "researcher", "steward"):
        if roles[role] != 1:
            errors.append(f"expected exactly one {role}, got {roles[role]}")
    if not 6 <= roles["dreamer"] <= 8:
        errors.append(f"expected 6-8 dreamers (main one plus 5-7), got {roles['dreamer']}")
    unknown = set(roles) - set(ROLES)
    if unknown:
        errors.append(f"unknown roles {sorted(unknown)}")
    by_key = {u["key"]: u for u in users}
    if len(by_key) != len(users):
        errors.append("duplicate user keys")
    if len({u["email"] for u in users}) != len(users):
        errors.append("duplicate user emails")
    for role in ROLES:
        user = by_key.get(role)
        if user is None:
            errors.append(f"missing user with key {role!r}")
            continue
        if user["role"] != role:
            errors.append(f"user {role!r} has role {user['role']!r}")
        if user["email"] != f"{role}@demo.dreamnexus.org":
            errors.append(f"user {role!r} has email {user['email']!r}")
    for user in users:
        if not user["email"].endswith("@demo.dreamnexus.org"):
            errors.append(f"user {user['key']!r} email outside the demo domain")
        if not user.get("display_name", "").strip():
            errors.append(f"user {user['key']!r} has no display name")


def _check_spaces(spaces: list[dict[str, Any]], roles_by_key: dict[str, str], errors: list[str]) -> None:
    if len(spaces) != 2:
        errors.append(f"expected exactly 2 spaces, got {len(spaces)}")
    if sorted(bool(s["is_open"]) for s in spaces) != [False, True]:
        errors.append("expected one open and one invite-only space")
    if len({s["key"] for s in spaces}) != len(spaces):
        errors.append("duplicate space keys")
    for space in spaces:
        if roles_by_key.get(space["owner"]) != "weaver":
            errors.append(f"space {space['key']!r} is not owned by the weaver")
        for field in ("title", "description", "guidelines", "content_note"):
            if not str(space.get(field, "")).strip():
                errors.append(f"space {space['key']!r} has an empty {field}")


def _check_dream(dream: dict[str, Any], users: set[str], spaces: set[str], errors: list[str]) -> None:
    title = dream["title"]
    words = len(dream["text"].split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        errors.append(f"{title!r}: {words} words, outside {MIN_WORDS}-{MAX_WORDS}")
    if dream["owner"] not in users:
        errors.append(f"{title!r}: unknown owner {dream['owner']!r}")
    if not (isinstance(dream["mood"], int) and -2 <= dream["mood"] <= 2):
        errors.append(f"{title!r}: mood {dream['mood']!r} outside -2..2")
    if not (isinstance(dream["days_ago"], int) and 0 <= dream["days_ago"] <= 120):
        errors.append(f"{title!r}: days_ago {dream['days_ago']!r} outside 0..120")
    if not 1 <= len(dream["tags"]) <= 4 or not all(_TAG.match(t) for t in dream["tags"]):
        errors.append(f"{title!r}: tags must be 1-4 lowercase words, got {dream['tags']}")
    if dream["visibility"] not in VISIBILITIES:
        errors.append(f"{title!r}: bad visibility {dream['visibility']!r}")
    if set(dream["consents"]) != set(CONSENTS) or not all(
        isinstance(v, bool) for v in dream["consents"].values()
    ):
        errors.append(f"{title!r}: consents must be the four booleans {CONSENTS}")
    if not isinstance(dream["lucid"], bool):
        errors.append(f"{title!r}: lucid must be a boolean")
    detected = detect_language(dream["text"])
    if detected != dream["language"]:
        errors.append(f"{title!r}: declared {dream['language']!r} but detected {detected!r}")
    for field in ("title", "text"):
        if _HTML.search(dream[field]):
            errors.append(f"{title!r}: {field} contains markup")

    contributions = dream["contribute_to"]
    if contributions and dream["visibility"] == "private":
        errors.append(f"{title!r}: private dream contributed to a space")
    if len({c["space"] for c in contributions}) != len(contributions):
        errors.append(f"{title!r}: contributed twice to the same space")
    for contribution in contributions:
        if contribution["space"] not in spaces:
            errors.append(f"{title!r}: unknown space {contribution['space']!r}")
        excerpt = contribution["excerpt"]
        if excerpt is not None and (not excerpt.strip() or excerpt not in dream["text"]):
            errors.append(f"{title!r}: excerpt is not a substring of the text: {excerpt!r}")
        warning = contribution["content_warning"]
        if warning is not None and not 0 < len(warning.strip()) <= 40:
            errors.append(f"{title!r}: content warning must be short and non-empty")


def _check_dream_set(content: dict[str, Any], errors: list[str]) -> None:
    dreams = content["dreams"]
    if len(dreams) != DREAM_COUNT:
        errors.append(f"expected {DREAM_COUNT} dreams, got {len(dreams)}")
    languages = Counter(d["language"] for d in dreams)
    if dict(languages) != LANGUAGE_COUNTS:
        errors.append(f"language counts {dict(languages)} != {LANGUAGE_COUNTS}")
    if len({d["text"] for d in dreams}) != len(dreams) or len({d["title"] for d in dreams}) != len(dreams):
        errors.append("dream titles and texts must be unique")

    per_owner = Counter(d["owner"] for d in dreams)
    for user in content["users"]:
        if per_owner[user["key"]] < 3:
            errors.append(f"user {user['key']!r} has only {per_owner[user['key']]} dreams")
    if not 10 <= per_owner["dreamer"] <= 14:
        errors.append(f"main dreamer should have about 12 dreams, has {per_owner['dreamer']}")

    visibility = Counter(d["visibility"] for d in dreams)
    for name, (low, high) in {"private": (22, 28), "spaces": (17, 23), "public": (18, 24)}.items():
        if not low <= visibility[name] <= high:
            errors.append(f"{visibility[name]} {name} dreams, expected {low}-{high}")
    lucid = sum(d["lucid"] for d in dreams)
    if not 6 <= lucid <= 10:
        errors.append(f"{lucid} lucid dreams, expected about 8")
    if not {-2, -1, 0, 1, 2} <= {d["mood"] for d in dreams}:
        errors.append("every mood from -2 to 2 should occur")

    shared = [d for d in dreams if d["visibility"] != "private"]
    if sum(d["consents"]["weaving"] for d in shared) * 4 < len(shared) * 3:
        errors.append("most shared dreams should consent to weaving")
    for consent in ("festival", "research", "exchange"):
        if not any(d["consents"][consent] for d in shared):
            errors.append(f"no shared dream consents to {consent}")
    for dream in dreams:
        # Private dreams stay private: research is the only consent that makes sense without sharing.
        if dream["visibility"] == "private" and any(
            dream["consents"][c] for c in ("weaving", "festival", "exchange")
        ):
            errors.append(f"{dream['title']!r}: private dream with a sharing consent")

    contributions = Counter(c["space"] for d in dreams for c in d["contribute_to"])
    for space in content["spaces"]:
        if contributions[space["key"]] < MIN_CONTRIBUTIONS_PER_SPACE:
            errors.append(f"space {space['key']!r} has {contributions[space['key']]} contributions")
    if not any(c["content_warning"] for d in dreams for c in d["contribute_to"]):
        errors.append("no contribution carries a content warning")


def validate(content: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    _check_users(content["users"], errors)
    roles_by_key = {u["key"]: u["role"] for u in content["users"]}
    _check_spaces(content["spaces"], roles_by_key, errors)
    space_keys = {s["key"] for s in content["spaces"]}
    for dream in content["dreams"]:
        _check_dream(dream, set(roles_by_key), space_keys, errors)
    _check_dream_set(content, errors)
    return errors


@pytest.fixture(scope="module")
def content() -> dict[str, Any]:
    return load_content()


def test_shipped_content_is_valid(content: dict[str, Any]) -> None:
    assert validate(content) == []


def test_detector_agrees_with_every_declared_language(content: dict[str, Any]) -> None:
    mismatches = [
        (d["title"], d["language"], detect_language(d["text"]))
        for d in content["dreams"]
        if detect_language(d["text"]) != d["language"]
    ]
    assert mismatches == []


def _first(content: dict[str, Any], **where: Any) -> dict[str, Any]:
    return next(d for d in content["dreams"] if all(d[k] == v for k, v in where.items()))


def test_rejects_excerpt_not_in_text(content: dict[str, Any]) -> None:
    broken = copy.deepcopy(content)
    dream = next(d for d in broken["dreams"] if any(c["excerpt"] for c in d["contribute_to"]))
    dream["contribute_to"][0]["excerpt"] = "a sentence that appears in no dream"
    assert any("excerpt is not a substring" in e for e in validate(broken))


def test_rejects_contribution_from_private_dream(content: dict[str, Any]) -> None:
    broken = copy.deepcopy(content)
    _first(broken, visibility="private")["contribute_to"] = [
        {"space": "night-sea", "excerpt": None, "content_warning": None}
    ]
    assert any("private dream contributed" in e for e in validate(broken))


def test_rejects_mislabelled_language(content: dict[str, Any]) -> None:
    broken = copy.deepcopy(content)
    _first(broken, language="es")["language"] = "en"
    errors = validate(broken)
    assert any("declared 'en' but detected 'es'" in e for e in errors)
    assert any("language counts" in e for e in errors)


def test_rejects_unknown_owner_and_space(content: dict[str, Any]) -> None:
    broken = copy.deepcopy(content)
    dream = _first(broken, visibility="public")
    dream["owner"] = "nobody"
    dream["contribute_to"] = [{"space": "no-such-space", "excerpt": None, "content_warning": None}]
    errors = validate(broken)
    assert any("unknown owner 'nobody'" in e for e in errors)
    assert any("unknown space 'no-such-space'" in e for e in errors)


def test_rejects_mood_and_length_out_of_range(content: dict[str, Any]) -> None:
    broken = copy.deepcopy(content)
    dream = broken["dreams"][0]
    dream["mood"] = 3
    dream["text"] = "I was flying."
    errors = validate(broken)
    assert any("mood 3 outside" in e for e in errors)
    assert any("words, outside" in e for e in errors)


def test_rejects_space_with_too_few_contributions(content: dict[str, Any]) -> None:
    broken = copy.deepcopy(content)
    for dream in broken["dreams"]:
        dream["contribute_to"] = [c for c in dream["contribute_to"] if c["space"] != "dreams-of-home"]
    assert any("'dreams-of-home' has 0 contributions" in e for e in validate(broken))


def test_rejects_second_weaver_and_missing_steward(content: dict[str, Any]) -> None:
    broken = copy.deepcopy(content)
    next(u for u in broken["users"] if u["key"] == "steward")["role"] = "weaver"
    errors = validate(broken)
    assert "expected exactly one weaver, got 2" in errors
    assert "expected exactly one steward, got 0" in errors
