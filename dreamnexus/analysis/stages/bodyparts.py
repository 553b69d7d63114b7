"""Body parts in the HVdC groups: head, extremities, torso, anatomy, sex organs.

Words that are often not body parts ("go back", "ten feet", "on the other hand") count only with an
owner ("my back", "his hand").
"""

from __future__ import annotations

from dreamnexus.analysis.doc import Doc
from dreamnexus.analysis.lexicon.base import words
from dreamnexus.analysis.result import BodyPart

_NUMBERS = words("one two three four five six seven eight nine ten twenty hundred few several")


def code_body_parts(doc: Doc) -> None:
    lex = doc.lex
    toks = doc.tokens
    for i, tok in enumerate(toks):
        if not tok.is_word:
            continue
        category = lex.body_parts.get(tok.base)
        if category is None:
            continue
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and (prev.base in _NUMBERS or prev.text.isdigit()):
            continue
        if tok.base in lex.body_part_needs_owner:
            if prev is None or not (prev.base in lex.owner_words and prev.base != "the" or prev.possessive):
                continue
            if prev.base == "the" and tok.base in ("back", "side", "rear"):
                continue
        doc.body_parts.append(BodyPart(category, tok.base, tok.start, tok.end))
