"""Evidence: one human-readable line per coded item, with the character span that triggered it."""

from __future__ import annotations

from dreamnexus.analysis.result import DreamAnalysis, Evidence


def _party(analysis: DreamAnalysis, party: str) -> str:
    if party == "dreamer":
        return "the dreamer"
    char = analysis.character(party)
    if char is None:
        return "an unidentified character"
    if char.kind != "human":
        return f"{'an' if char.kind == 'animal' else 'a'} {char.kind} ({char.head})"
    return f"a {char.identity} ({char.head})"


def build_evidence(analysis: DreamAnalysis) -> list[Evidence]:
    out: list[Evidence] = []
    for char in analysis.characters:
        out.append(Evidence("character", char.label, char.start, char.end))
    for inter in analysis.interactions:
        if inter.kind == "aggression":
            nature = "physical aggression" if inter.physical else "non-physical aggression"
        else:
            nature = "friendliness" if inter.kind == "friendliness" else "sexual interaction"
        link = "between" if inter.reciprocal else "by"
        who = (
            f"{_party(analysis, inter.initiator)} and {_party(analysis, inter.recipient)}"
            if inter.reciprocal
            else f"{_party(analysis, inter.initiator)} {'against' if inter.kind == 'aggression' else 'to'} "
            f"{_party(analysis, inter.recipient)}"
        )
        label = f"{nature} {link} {who} (intensity {inter.intensity})"
        out.append(Evidence(inter.kind, label, inter.start, inter.end))
    for emo in analysis.emotions:
        out.append(
            Evidence(
                "emotion", f"{emo.emotion_class} felt by {_party(analysis, emo.subject)}", emo.start, emo.end
            )
        )
    for setting in analysis.settings:
        if setting.location == "none":
            continue
        out.append(
            Evidence(
                "setting", f"{setting.familiarity} {setting.location} setting", setting.start, setting.end
            )
        )
    for outcome in analysis.outcomes:
        who = (
            "involving the dreamer" if outcome.dreamer_involved else f"of {_party(analysis, outcome.subject)}"
        )
        out.append(
            Evidence(outcome.kind, f"{outcome.kind.replace('_', ' ')} {who}", outcome.start, outcome.end)
        )
    for part in analysis.body_parts:
        out.append(
            Evidence("body_part", f"body part: {part.category.replace('_', ' ')}", part.start, part.end)
        )
    return out
