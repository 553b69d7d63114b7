"""Characters: people, animals and creatures, each coded once per dream; the dreamer is not a character.

HVdC codes number, sex, identity and age of each character; here number, sex, identity, dead and
familiarity. Coreference is heuristic: "a man" starts a new character, "the man" reuses the latest man,
"my mother" and "mom" are one character, a name is one character, and "he"/"she" resolve to the latest
character of that sex (or give an indefinite-sex character its sex).
"""

from __future__ import annotations

from dataclasses import dataclass

from dreamnexus.analysis.doc import Doc, Mention, Token
from dreamnexus.analysis.lexicon.base import Lexicon, PersonNoun, words
from dreamnexus.analysis.result import Character
from dreamnexus.analysis.stages.roles import find_subject

_FAMILIAR_IDENTITIES = frozenset({"family", "relative", "known", "prominent"})
_UNFAMILIAR_IDENTITIES = frozenset({"occupational", "ethnic", "stranger"})
# Words that are people or animals only with a determiner ("a judge", but "judge for yourself").
_NEEDS_DET = words(
    "bear bears fly flies bat bats duck ducks seal seals fish bug bugs crow crows cook judge guard "
    "general partner minister pupil pupils principal conductor agent spirit spirits date dates kid "
    "mum pal ex officer worm worms ant ants bee bees pig wolf fox star"
)
_QUANTIFIERS = words("couple group crowd bunch family number lot")
_CHILD_WORDS = words("child children kid kids baby babies infant")
_NAME_CUES_AFTER = words(
    "said says told asked was is came comes went who had looked walked saw wanted gave took "
    "started seemed would could did kissed hugged were has ran called kept got drove"
)
_NAME_CUES_BEFORE = words("with told saw asked met called named friend me")


@dataclass(slots=True)
class _Phrase:
    det: str  # "indef" | "def" | "mine" | "other" | "" (none)
    first: int
    group: bool
    ethnic: bool
    dead: bool
    prominent: bool
    stranger: bool
    modifier_sex: str | None
    modifier_identity: str | None
    possessor: int | None  # token index of another owner ("his", "John's")
    simile: bool


class _Registry:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.chars: list[Character] = []
        self.keys: dict[tuple[str, ...], str] = {}
        self.last_seen: dict[str, int] = {}
        self.canonical: dict[str, str] = {}
        # other nouns a character was described by: "a man who was a gangster ... this gangster"
        self.aliases: dict[str, set[str]] = {}
        # known people first met as "a friend", whom a later "my friend" names again
        self.unowned: set[str] = set()

    def new(
        self, key: tuple[str, ...] | None, canonical: str, tok: Token, first: Token, **fields: object
    ) -> str:
        cid = f"c{len(self.chars) + 1}"
        char = Character(id=cid, head=tok.text, start=first.start, end=tok.end, **fields)  # type: ignore[arg-type]
        self.chars.append(char)
        self.canonical[cid] = canonical
        if key is not None:
            self.keys[key] = cid
        return cid

    def get(self, cid: str) -> Character:
        return self.chars[int(cid[1:]) - 1]

    def latest(self, canonical: str, group: bool, kind: str) -> str | None:
        best: tuple[int, str] | None = None
        for char in self.chars:
            if (
                (self.canonical[char.id] == canonical or canonical in self.aliases.get(char.id, ()))
                and (char.number == "group") == group
                and char.kind == kind
                and (best is None or self.last_seen.get(char.id, -1) > best[0])
            ):
                best = (self.last_seen.get(char.id, -1), char.id)
        return best[1] if best else None


def _scan_phrase(doc: Doc, i: int, lex: Lexicon) -> _Phrase:
    toks = doc.tokens
    ph = _Phrase("", i, False, False, False, False, False, None, None, None, False)
    j = i - 1
    while j >= 0 and i - j <= 4:
        t = toks[j]
        if not t.is_word or t.sent != toks[i].sent:
            break
        b = t.base
        if t.possessive and b not in lex.dreamer_subject:
            ph.det, ph.possessor, ph.first = "other", j, j
            break
        if b in lex.indefinite_determiners:
            ph.det, ph.first = "indef", j
            break
        if b in lex.definite_determiners:
            ph.det, ph.first = "def", j
            if j > 0 and toks[j - 1].base in lex.group_determiners:
                ph.first = j - 1  # "all the people"
            break
        if b in lex.dreamer_possessive or (b in lex.dreamer_group and _next_to_noun(toks, j, i)):
            ph.det, ph.first = "mine", j  # "we girls", "three of us boys": the dreamer's own companions
            break
        if b in lex.other_possessives:
            ph.det, ph.possessor, ph.first = "other", j, j
            break
        if b in lex.group_determiners:
            ph.group, ph.first = True, j
            if b not in ("some", "these", "those", "all", "both"):
                ph.det = ph.det or "indef"
            j -= 1
            continue
        if b in lex.known_modifiers and j == i - 1:
            ph.modifier_identity, ph.first = "known", j  # "fraternity brother", "team mates"
            j -= 1
            continue
        noun = lex.person_nouns.get(b)
        if noun is not None and j == i - 1:
            ph.modifier_sex = noun.sex if noun.sex in ("male", "female") else None
            ph.modifier_identity = noun.identity
            ph.first = j
            j -= 1
            continue
        if b in lex.ethnic:
            ph.ethnic = True
        elif b in lex.dead_markers:
            ph.dead = True
        elif b in lex.prominent_markers:
            ph.prominent = True
        elif b in lex.stranger_markers:
            ph.stranger = True
        elif (
            b in lex.person_nouns
            or b in lex.subject_pronouns
            or b in lex.dreamer_object
            or b in lex.negations
            or b in lex.clause_openers
            or b in lex.interaction_verbs
        ):
            break
        j -= 1
    before = ph.first - 1
    if before >= 0 and toks[before].base in lex.simile_markers:
        ph.simile = True
    return ph


def _next_to_noun(toks: list[Token], j: int, i: int) -> bool:
    """ "us girls", "us two girls": the dreamer's group word right before the noun (a number between)."""
    return j == i - 1 or (j == i - 2 and toks[i - 1].lower in _NUMBERS)


_NUMBERS = words("two three four five six 2 3 4 5 6")


def _identity(noun: PersonNoun, ph: _Phrase, reg: _Registry, doc: Doc, lex: Lexicon) -> str:
    ident = noun.identity
    if ph.modifier_identity in ("known", "occupational") and ident in ("family", "stranger"):
        ident = ph.modifier_identity
    if ph.det == "mine":
        if ident == "stranger":
            return "family" if noun.canonical in _CHILD_WORDS else "known"
        if ident == "occupational":
            return "known"
        return ident
    if ph.det == "other" and ident in ("family", "relative"):
        owner = doc.mentions.get(ph.possessor) if ph.possessor is not None else None
        if owner is None:
            return "known"
        if owner.party.startswith("c"):
            return "known" if reg.get(owner.party).identity in _FAMILIAR_IDENTITIES else "stranger"
        return "stranger"
    if (
        ph.det == "other"
        and ident == "stranger"
        and (noun.canonical in _CHILD_WORDS or noun.sex != "indefinite")
    ):
        # "my sister's baby", "her little boy" (her = my sister), "his girl" (his = my friend): a child or
        # partner of someone the dreamer knows is kin (a niece, a nephew) or known, not a stranger
        owner = doc.mentions.get(ph.possessor) if ph.possessor is not None else None
        if owner is not None and owner.party.startswith("c"):
            owner_identity = reg.get(owner.party).identity
            if owner_identity in ("family", "relative"):
                return "relative"
            if owner_identity == "known":
                return "known"
    if ph.det == "other" and ident == "known":
        # "a woman screaming at her neighbor": a stranger's friend or neighbour is unknown to the dreamer
        owner = doc.mentions.get(ph.possessor) if ph.possessor is not None else None
        if (
            owner is not None
            and owner.party.startswith("c")
            and reg.get(owner.party).identity in _UNFAMILIAR_IDENTITIES
        ):
            return "stranger"
    if ph.det == "indef" and ident in ("family", "relative"):
        return "stranger"
    if ph.prominent:
        return "prominent"
    if ph.ethnic and ident in ("stranger", "occupational"):
        return "ethnic"
    if ph.stranger and ident in ("known", "occupational"):
        return "stranger"
    return ident


def _known_by_clause(doc: Doc, i: int, lex: Lexicon) -> bool:
    """ "a girl I used to date", "a boy whom I knew", "a man from my office": the dreamer knows them."""
    toks = doc.tokens
    sent = toks[i].sent
    end = min(len(toks), i + 8)
    member = False  # a membership is overruled by a denial that follows: "a fellow in my class whom I
    negated = False  # don't even know"; "people, none of whom I could recognize", "no one I recognized"
    for j in range(i + 1, end):
        tok = toks[j]
        if tok.sent != sent or (not tok.is_word and tok.text not in (",", "(", ")")):
            return member
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if (
            tok.base in lex.negations
            or tok.base in ("none", "anyone", "anybody")
            or tok.lower.endswith("n't")
        ):
            negated = True
        if tok.base == "from" and nxt is not None and nxt.base in lex.dreamer_possessive:
            member = True
        elif tok.base == "from" and j == i + 1 and nxt is not None and nxt.base in lex.bare_membership_places:
            member = True  # "girls from school": no determiner, so the dreamer's own school
        elif (
            tok.base in lex.membership_links
            and nxt is not None
            and nxt.base in lex.dreamer_possessive
            and _membership_place_follows(toks, j + 2, lex)
        ):
            member = True  # "the girls in my dorm", "a boy in our Shakespeare class": the dreamer's circle
        elif tok.base in lex.dreamer_subject:
            window = [t.lower for t in toks[j + 1 : min(len(toks), j + 5)] if t.is_word]
            for n, w in enumerate(window):  # "whom I didn't know" is not known; "boys I had dated - can't
                if w in lex.negations or w.endswith("n't"):  # remember" is
                    return False
                if w in lex.known_clause:
                    later = window[n + 1] if n + 1 < len(window) else ""
                    return not negated and later != "not"  # "from whence they came I knew not"
            return member and not negated
    return member


def _membership_place_follows(toks: list[Token], k: int, lex: Lexicon) -> bool:
    """A membership place within the next three words of the same phrase: "my (Shakespeare) class"."""
    for j in range(k, min(len(toks), k + 3)):
        if not toks[j].is_word:
            return False
        if toks[j].base in lex.membership_places:
            return True
    return False


def _predicate_of(doc: Doc, first: int, i: int, lex: Lexicon) -> str | None:
    """ "he was a friend of mine", "both are girls": the party the noun describes ("" if no one
    coded), or None when the noun is not a predicate."""
    toks = doc.tokens
    cop = -1
    for k in range(i - 1, max(-1, min(first - 2, i - 5)), -1):
        tok = toks[k]
        if tok.lower in _PRONOUN_COPULAS and k == first - 1:
            # "she's a nurse", "she's one of the girls": the pronoun and the copula in one word
            mention = doc.mentions.get(k)
            if mention is not None and mention.party != "unknown":
                return mention.party
        if tok.base in lex.copulas or (tok.base == "be" and k > 0 and toks[k - 1].base in _VERB_GROUP):
            cop = k  # "she may have been a teacher", "they were supposed to be cousins"
            break
        if not tok.is_word or tok.base in lex.place_prepositions or tok.base in ("with", "of", "for"):
            return None  # "he was with a friend": the friend is someone else
        if tok.base in lex.interaction_verbs or (len(tok.base) > 4 and tok.base.endswith(("ing", "ed"))):
            return None  # "I was taking my girlfriend home": the object of a verb, not a predicate
    if cop < 1 or toks[cop - 1].sent != toks[i].sent:
        return None
    start = cop
    while cop > 1 and start - cop < 4 and toks[cop - 1].base in _VERB_GROUP:
        cop -= 1  # "whom I had been friends with": the subject is before the whole verb group
    subject = doc.mentions.get(cop - 1)
    if subject is None and toks[cop - 1].base in ("and", "but"):
        party = find_subject(doc, cop)  # "this girl came in but was a common girl"
        return party if party is not None and party != "unknown" else None
    if subject is not None and not subject.possessive:
        # an unresolved "they were all women" introduces the women: they are the character
        return None if subject.party == "unknown" else subject.party
    if toks[cop - 1].base in lex.relative_pronouns:
        # "a woman who was my boss": the antecedent just before the relative pronoun
        for k in range(cop - 2, max(-1, cop - 4), -1):
            owner = doc.mentions.get(k)
            if owner is not None and not owner.possessive:
                return None if owner.party == "unknown" else owner.party
        return None
    return "" if toks[cop - 1].base == "both" else None


_VERB_GROUP = words(
    "had has have may might must could would should will can to supposed seemed seem seems appeared "
    "was were is are been turned out"
)
_PRONOUN_COPULAS = words("he's she's they're he’s she’s they’re")


_PART_OF = words("one two three some several few many most all each any none both")


def _unknown_by_clause(doc: Doc, i: int, lex: Lexicon) -> bool:
    """ "teammates who were unknown to me", "friends (strangers to me)": said not to be known."""
    toks = doc.tokens
    for j in range(i + 1, min(len(toks), i + 6)):
        tok = toks[j]
        if tok.sent != toks[i].sent or (not tok.is_word and tok.text not in (",", "(")):
            return False
        if tok.base in lex.stranger_markers or tok.base in ("stranger", "strangers"):
            return True
    return False


def _bracketed_of(doc: Doc, reg: _Registry, i: int, group: bool, sex: str) -> str | None:
    """ "some older person (a woman)", "the car whose driver (my employer)", "her son (my husband)",
    "a good friend of the family (middle-aged woman)": a person phrase that opens a bracket right after
    a character describes that character (the nearest one of the same number and a compatible sex)."""
    toks = doc.tokens
    k = i - 1
    while k >= 0 and toks[k].is_word and i - k <= 4:
        k -= 1
    if k < 1 or toks[k].text != "(":
        return None
    for j in range(k - 1, max(-1, k - 6), -1):
        if toks[j].sent != toks[i].sent or not toks[j].is_word:
            return None
        mention = doc.mentions.get(j)
        if mention is None or mention.possessive:
            continue
        if not mention.party.startswith("c"):
            return None  # "we (my roommate and I)": the dreamer's company, not a description
        char = reg.get(mention.party)
        if char.kind != "human" or (char.number == "group") != group:
            continue  # "a friend of the family (woman)": the woman is the friend, not the family
        return mention.party if sex not in ("male", "female") or char.sex in (sex, "indefinite") else None
    return None


def _named_before(doc: Doc, reg: _Registry, i: int, first: int) -> str | None:
    """ "Mr. Chapman, my art teacher", "Phil, my friend, told me": "my X" set off by a comma right after
    a name describes the named person. Not in a list: "Bill, my mother and I"."""
    toks = doc.tokens
    k = first - 1
    if k < 1 or toks[k].text != ",":
        return None
    mention = doc.mentions.get(k - 1)
    if mention is None or mention.possessive or not mention.party.startswith("c"):
        return None
    if (
        reg.keys.get(("name", toks[k - 1].base)) != mention.party
        or reg.get(mention.party).number != "individual"
    ):
        return None
    if any(t.base in ("and", "or") for t in toks[i + 1 : i + 4]):
        return None
    return mention.party


def _apposition_of(
    doc: Doc, reg: _Registry, i: int, first: int, ident: str, sex: str, lex: Lexicon
) -> str | None:
    """ "Norma (18), a girl who lives in my dorm", "an elderly man, an old friend of mine": the noun after
    a comma describes the character just named, not a new one. Only after a name, when the noun says the
    character is known, or gives a sex the character lacks ("a friend of mine, a young boy") and no
    "and" follows: "a man, a woman and a boy" is a list."""
    toks = doc.tokens
    k = first - 1
    if k >= 0 and toks[k].text == "(":
        k -= 1  # "Doris (18, a girl ...)"
    elif k >= 0 and toks[k].text == ",":
        k -= 1
        if k >= 0 and toks[k].text == ")":  # "Norma (18), a girl"
            while k >= 0 and toks[k].text != "(" and first - k < 8:
                k -= 1
            k -= 1
    else:
        return None
    if k >= 2 and toks[k].base in ("mine", "ours") and toks[k - 1].base == "of":
        k -= 2  # "a friend of mine, a young boy"
    if k < 0 or toks[k].sent != toks[first].sent:
        return None
    mention = doc.mentions.get(k)
    if mention is None or not mention.party.startswith("c") or mention.possessive:
        return None
    char = reg.get(mention.party)
    is_name = reg.keys.get(("name", toks[k].base)) == mention.party
    if is_name or (ident in _FAMILIAR_IDENTITIES and char.identity in ("stranger", "uncertain")):
        return mention.party
    listed = any(t.base in ("and", "or") for t in toks[i + 1 : i + 5])
    if not listed and sex != "indefinite" and char.sex == "indefinite" and char.number == "individual":
        return mention.party
    return None


def _own_crowd(doc: Doc, reg: _Registry, i: int, ph: _Phrase, noun: PersonNoun, lex: Lexicon) -> bool:
    """ "I told the girls", "one of the boys": a group first met with "the" and not placed elsewhere."""
    toks = doc.tokens
    if ph.det != "def" or toks[i].base not in lex.peer_groups or toks[i].possessive:
        return False
    if doc.text[toks[i].end : toks[i].end + 1] in ("'", "\u2019"):
        return False  # "the boys' gym" names a kind of place, not the dreamer's crowd
    the = i - 2 if toks[i - 1].base == "other" else i - 1
    if the < 0 or toks[the].base != "the":
        return False  # "the young girls", "the two girls": described or counted, not the dreamer's crowd
    if the > 0 and toks[the - 1].base == "of" and (the < 2 or toks[the - 2].base not in _PART_OF):
        return False  # "the procedure of the girls"; but "one of the girls" is one of the crowd
    if reg.latest(noun.canonical, True, "human") is not None:
        return False  # "two girls came in ... the girls": the strangers already met
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    # "the girls in the park" are placed somewhere, not named as the dreamer's own
    return nxt is None or nxt.base not in lex.membership_links


_RESTRICTIVE = words(
    "who whom whose that which with of from i we he she you they next upstairs downstairs ahead beside"
)
_ANAPHOR_SENTENCES = 2  # how far back "the woman" looks for the one it names


def _antecedent(doc: Doc, reg: _Registry, i: int, ph: _Phrase, noun: PersonNoun, lex: Lexicon) -> str | None:
    """ "a friend of my mother's ... the woman", "someone ... the person", "my date ... the boy": a bare
    definite generic noun with no earlier character of that noun re-names the latest person of a
    compatible sex seen in the last sentences (HVdC codes a character once, however it is named).
    Not when the phrase says it is someone else ("the other girl"), restricts the noun to pick out a
    new person ("the man at the door", "the girl I met", "the boy sitting behind me"), or is said to be
    unknown ("the unidentified girl" is not a friend). Family is not re-named ("the woman" is not my
    mother), nor is someone named in the same sentence ("my boyfriend began to fight with this person")."""
    toks = doc.tokens
    if ph.det != "def" or noun.plural or noun.canonical not in lex.generic_persons:
        return None
    if toks[ph.first].base not in lex.anaphoric_determiners:
        return None  # "one girl" counts a new one
    if any(toks[k].base in lex.distinct_markers for k in range(ph.first, i)):
        return None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if (
        nxt is not None
        and nxt.is_word
        and (
            nxt.base in _RESTRICTIVE
            or nxt.base in lex.place_prepositions
            or nxt.base in lex.dreamer_subject
            or nxt.base.endswith("ing")
        )
    ):
        return None
    sent = toks[i].sent
    for cid, seen in sorted(reg.last_seen.items(), key=lambda kv: kv[1], reverse=True):
        if sent - toks[seen].sent > _ANAPHOR_SENTENCES:
            break
        char = reg.get(cid)
        if char.kind != "human" or char.number != "individual" or char.identity in ("family", "relative"):
            continue
        if toks[seen].sent == sent or (ph.stranger and char.identity in _FAMILIAR_IDENTITIES):
            continue
        if noun.sex == "indefinite" or char.sex in (noun.sex, "indefinite"):
            return cid
    return None


def _absent(doc: Doc, first: int, lex: Lexicon) -> bool:
    """HVdC codes characters who appear: "I thought about my mother", "a letter from my girl" do not."""
    toks = doc.tokens
    if first < 2 or toks[first - 1].base not in lex.absence_links:
        return False
    return any(toks[j].base in lex.absence_verbs for j in range(max(0, first - 4), first - 1))


def _person(doc: Doc, reg: _Registry, i: int, noun: PersonNoun, lex: Lexicon) -> None:
    toks = doc.tokens
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.is_word and nxt.base in lex.person_nouns and not tok.possessive:
        return  # a modifier of the next noun: "girl friend", "police officer"
    if nxt is not None and nxt.base == "of" and tok.base in _QUANTIFIERS:
        return  # "a couple of people": the people are the character
    plural_possessive = tok.possessive or doc.text[tok.end : tok.end + 1] in ("'", "\u2019")  # "boys' gym"
    if plural_possessive and noun.plural and _names_a_kind_of_place(doc, i, lex):
        return  # "a women's clothing store", "the young people's group": a kind of place, no one there
    ph = _scan_phrase(doc, i, lex)
    if tok.base in _NEEDS_DET and not ph.det:
        return
    if noun.canonical in lex.event_nouns and _names_an_event(doc, i, ph, lex):
        return  # "I had a date with a boy", "we were out on a date": the date is an event, the boy a person
    # "one of my fraternity brothers", "one of these persons": HVdC codes the one singled out, an
    # individual of the group's kind; the phrase then starts at "one"
    one = _singled_out(toks, ph.first, i) if noun.plural else None
    singled = one is not None
    anchor = one if one is not None else ph.first
    if ph.simile or _absent(doc, anchor, lex):
        return
    if not ph.det and noun.identity in ("family", "relative"):
        _share_possessor(doc, ph, i, lex)
    ident = _identity(noun, ph, reg, doc, lex)
    group = not singled and (noun.plural or noun.canonical in ("family", "couple", "crowd"))
    sex = noun.sex
    if sex == "indefinite" and ph.modifier_sex:
        sex = ph.modifier_sex
    if (
        nxt is not None
        and i + 2 < len(toks)
        and toks[i + 1].base == "of"
        and toks[i + 2].base in ("mine", "ours")
    ):
        ident = "known" if ident in ("stranger", "occupational", "known") else ident
    known_clause = ident in ("stranger", "occupational") and _known_by_clause(doc, i, lex)
    if known_clause or (ident == "stranger" and _own_crowd(doc, reg, i, ph, noun, lex)):
        ident = "known"
    elif ident == "known" and ph.det != "mine" and _unknown_by_clause(doc, i, lex):
        ident = "stranger"  # "teammates who were unknown to me"
    described = _predicate_of(doc, anchor, anchor if singled else i, lex)
    if described is None:
        described = _bracketed_of(doc, reg, i, group, sex)
    if described is None and ph.det == "indef":
        described = _apposition_of(doc, reg, i, ph.first, ident, sex if not group else "indefinite", lex)
    elif described is None and ph.det == "mine" and not group:
        described = _named_before(doc, reg, i, ph.first)
    if described is not None:
        if described.startswith("c"):
            char = reg.get(described)
            if ident in _FAMILIAR_IDENTITIES and char.identity in ("stranger", "uncertain", "occupational"):
                char.identity, char.familiar = ident, True  # "the man was a friend of mine"
            if char.sex == "indefinite" and sex in ("male", "female") and char.number == "individual":
                char.sex = sex  # "my friend MB, a girl"
            if (char.number == "group") == group:
                reg.aliases.setdefault(described, set()).add(noun.canonical)
            reg.last_seen[described] = i
            doc.mentions[i] = Mention(i, ph.first, described, nominative=False)
            _apply_sex_marker(doc, reg, i, described)
        return
    canonical = noun.canonical
    key: tuple[str, ...] | None = None
    cid: str | None = None
    if ph.det == "mine" or (not ph.det and ident in ("family", "relative")):
        key = ("mine", canonical, str(group))
        cid = reg.keys.get(key)
        if cid is None and ph.det == "mine" and not group:
            cid = _own_partner(reg, canonical, sex, lex) or _met_before(reg, canonical)
            if cid is not None:
                reg.keys[key] = cid
    elif ph.det == "indef" and _of_mine(toks, i):
        key = ("mine", canonical, str(group))  # "a friend of mine ... my friend": one friend, met again
    elif ph.det == "other":
        owner = doc.mentions.get(ph.possessor) if ph.possessor is not None else None
        key = ("other", owner.party if owner else toks[ph.possessor or i].base, canonical)
        if singled:
            key = ("one of", *key)  # "one of his employees" is not "his employees"
        cid = reg.keys.get(key)
    elif singled:
        key = ("one of", toks[anchor + 2].base, canonical)  # "one of the girls" twice is one girl
        cid = reg.keys.get(key)
    elif ph.det in ("def", ""):
        cid = reg.latest(canonical, group, "human")
        if cid is None:
            cid = _antecedent(doc, reg, i, ph, noun, lex)
            if cid is not None and reg.get(cid).sex == "indefinite" and sex in ("male", "female"):
                reg.get(cid).sex = sex  # "my friend ... the girl": now we know the friend's sex
    if cid is None:
        familiar = (
            True if ident in _FAMILIAR_IDENTITIES else False if ident in _UNFAMILIAR_IDENTITIES else None
        )
        cid = reg.new(
            key,
            canonical,
            tok,
            toks[anchor],
            number="group" if group else "individual",
            sex=sex,
            identity=ident,
            kind="human",
            dead=ph.dead,
            familiar=familiar,
        )
        if ph.det == "indef" and ident == "known" and key is None:
            reg.unowned.add(cid)
    reg.last_seen[cid] = i
    doc.mentions[i] = Mention(i, anchor, cid, nominative=False)
    _apply_sex_marker(doc, reg, i, cid)


_ORGANISATIONS = words("group groups club clubs team teams organization society section department")


def _names_a_kind_of_place(doc: Doc, i: int, lex: Lexicon) -> bool:
    """ "a women's clothing store", "someone's house": the possessive names a place (or a club) by its kind
    or its owner; the owner does not appear in the dream unless mentioned otherwise."""
    toks = doc.tokens
    for k in range(i + 1, min(len(toks), i + 3)):
        tok = toks[k]
        if not tok.is_word:
            return False
        b = tok.base
        if b in lex.indoor or b in lex.outdoor or b in lex.ambiguous_places or b in _ORGANISATIONS:
            return b not in ("place", "somewhere")
        if b in lex.person_nouns:
            return False
    return False


def _names_an_event(doc: Doc, i: int, ph: _Phrase, lex: Lexicon) -> bool:
    """ "had a date with", "made a date", "asked me for a date", "out on a double date", "our date": the
    word names an appointment, not the person (who is coded where mentioned: "my date was angry")."""
    toks = doc.tokens
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.base == "with":
        return True
    if toks[ph.first].base == "our":
        return True
    before = toks[ph.first - 1] if ph.first > 0 else None
    return before is not None and before.base in lex.event_verbs


def _share_possessor(doc: Doc, ph: _Phrase, i: int, lex: Lexicon) -> None:
    """ "her parents and brother": a bare kin noun in a list shares the owner of the one before it, so it
    is her brother, not the dreamer's ("my mother and sister" stays the dreamer's)."""
    toks = doc.tokens
    k = ph.first - 1
    if k < 1 or toks[k].base not in ("and", "or", ","):
        return
    before = doc.mentions.get(k - 1)
    if before is None or not before.party.startswith("c") or before.possessive:
        return
    owner = before.first
    if toks[owner].base in lex.other_possessives or (
        toks[owner].possessive and toks[owner].base not in lex.dreamer_possessive
    ):
        ph.det, ph.possessor = "other", owner


def _of_mine(toks: list[Token], i: int) -> bool:
    return i + 2 < len(toks) and toks[i + 1].base == "of" and toks[i + 2].base in ("mine", "ours")


def _met_before(reg: _Registry, canonical: str) -> str | None:
    """ "A friend was sitting next to me ... my friend said": the friend first met with "a" is the one
    "my friend" names (the latest such one); "his friend" or a second "a friend" is not met this way."""
    best: tuple[int, str] | None = None
    for cid in reg.unowned:
        if reg.canonical[cid] == canonical and reg.get(cid).number == "individual":
            seen = reg.last_seen.get(cid, -1)
            if best is None or seen > best[0]:
                best = (seen, cid)
    if best is None:
        return None
    reg.unowned.discard(best[1])
    return best[1]


def _own_partner(reg: _Registry, canonical: str, sex: str, lex: Lexicon) -> str | None:
    """ "my girlfriend ... my girl", "my boy ... my boyfriend": the dreamer's own girl or boy is the
    dreamer's partner already in the dream (same sex), not a second character."""
    if canonical in lex.generic_persons:
        wanted = lex.partner_nouns
    elif canonical in lex.partner_nouns:
        wanted = lex.generic_persons
    else:
        return None
    best: tuple[int, str] | None = None
    for key, cid in reg.keys.items():
        if key[0] != "mine" or key[1] not in wanted or key[2] != "False":
            continue
        char = reg.get(cid)
        if sex in ("male", "female") and char.sex == sex and char.identity == "known":
            seen = reg.last_seen.get(cid, -1)
            if best is None or seen > best[0]:
                best = (seen, cid)
    return best[1] if best else None


def _singled_out(toks: list[Token], first: int, i: int) -> int | None:
    """The index of "one" in "one of the girls", "one of these black persons" (the scan may stop at it)."""
    for k in range(max(0, first - 2), i - 1):
        if toks[k].base == "one" and toks[k + 1].base == "of":
            return k
    return None


_MALE_MARKS = words("m male man boy")
_FEMALE_MARKS = words("f female woman girl")


def _apply_sex_marker(doc: Doc, reg: _Registry, i: int, cid: str) -> None:
    """ "my friend (m, 20)", "a friend (female)": DreamBank writes a character's sex in brackets."""
    toks = doc.tokens
    if i + 2 < len(toks) and toks[i + 1].base == "of" and toks[i + 2].base in ("mine", "ours"):
        i += 2  # "a friend of mine (f, 20)"
    if i + 1 >= len(toks) or toks[i + 1].text != "(":
        return
    marks: set[str] = set()
    for j in range(i + 2, min(len(toks), i + 8)):
        if toks[j].text == ")":
            break
        base = toks[j].base
        if base in _MALE_MARKS:
            marks.add("male")
        elif base in _FEMALE_MARKS:
            marks.add("female")
    char = reg.get(cid)
    if len(marks) == 1 and char.sex == "indefinite":
        char.sex = marks.pop()


def _animal(doc: Doc, reg: _Registry, i: int, kind: str, plural: bool, lex: Lexicon) -> None:
    tok = doc.tokens[i]
    ph = _scan_phrase(doc, i, lex)
    if ph.simile or (tok.base in _NEEDS_DET and not ph.det):
        return
    prev = doc.tokens[i - 1].base if i > 0 else ""
    if prev in ("hot", "teddy", "stuffed", "toy", "fried", "roast"):
        return
    nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
    if nxt is not None and nxt.is_word and (nxt.base in lex.animals or nxt.base in lex.person_nouns):
        return
    group = plural or ph.group
    canonical = tok.base.rstrip("s") if plural else tok.base
    cid: str | None = None
    key: tuple[str, ...] | None = None
    if ph.det == "mine":
        key = ("mine", canonical, str(group))
        cid = reg.keys.get(key)
    elif ph.det in ("def", "", "other"):
        cid = reg.latest(canonical, group, kind)
    if cid is None:
        cid = reg.new(
            key,
            canonical,
            tok,
            doc.tokens[ph.first],
            number="group" if group else "individual",
            sex="indefinite",
            identity="animal" if kind == "animal" else "creature",
            kind=kind,
            dead=ph.dead,
            familiar=ph.det == "mine",
        )
    reg.last_seen[cid] = i
    doc.mentions[i] = Mention(i, ph.first, cid, nominative=False)


def _name_sex(base: str, lex: Lexicon) -> str:
    male, female = base in lex.male_names, base in lex.female_names
    return "male" if male and not female else "female" if female and not male else "indefinite"


def _is_name(doc: Doc, i: int, lex: Lexicon) -> str | None:
    """Return the sex a title gives ("indefinite" if none) when token i is a person's name, else None."""
    toks = doc.tokens
    tok = toks[i]
    if not tok.text[:1].isupper() or tok.base in lex.non_names or not tok.text.replace("'", "").isalpha():
        return None
    j = i - 1
    if j >= 0 and toks[j].text == ".":
        j -= 1
    if j >= 0 and toks[j].base in lex.titles and toks[j].text[:1].isupper():
        return lex.titles[toks[j].base]
    if lex.names_by_case and _names_no_person(doc, i, lex):
        return None
    if lex.names_by_case and _initials(tok.text) and tok.base not in lex.stop_words:
        return "indefinite"  # DreamBank writes acquaintances as initials: "my friend MB"
    if tok.base in lex.male_names or tok.base in lex.female_names:
        if tok.sent_initial and tok.base in lex.stop_words:
            return None
        return "indefinite"
    if not lex.names_by_case:
        return None
    if tok.sent_initial or tok.base in lex.stop_words:
        return None
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and prev.base in lex.place_prepositions and prev.base not in ("with", "to"):
        return None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is not None and nxt.is_word and nxt.text[:1].isupper():
        return None  # "New York", "Elm Street": multi-word proper nouns are rarely a person here
    if prev is not None and prev.is_word and prev.text[:1].isupper() and not prev.sent_initial:
        return None
    after = nxt is not None and nxt.base in _NAME_CUES_AFTER
    before = prev is not None and (prev.base in _NAME_CUES_BEFORE or prev.base in lex.person_nouns)
    return "indefinite" if after or before else None


_NAME_PLACE_PREPOSITIONS = words("in on along inside within")
_NAME_NOT_AFTER = words(
    "the other two three four five six seven eight nine ten twelve twenty hundred dozen several many few "
    "these those some"
)


def _name_run_end(toks: list[Token], i: int) -> int:
    """The last token of a proper-noun run: "Harry Truman", "Franklin D. Roosevelt", "Lee Road"."""
    k = i
    while k + 1 < len(toks) and k - i < 4:
        nxt = toks[k + 1]
        if (
            nxt.text == "."
            and len(toks[k].text) == 1
            and k + 2 < len(toks)
            and toks[k + 2].text[:1].isupper()
        ):
            k += 2  # "Franklin D. Roosevelt": an initial inside a name
        elif nxt.is_word and nxt.text[:1].isupper() and not nxt.sent_initial and nxt.base not in ("i", "i'm"):
            k += 1
        else:
            break
    return k


def _is_surname(toks: list[Token], i: int, lex: Lexicon) -> bool:
    """Inside a run of names ("Milton Berle"): the run is coded at its first word."""
    prev = toks[i - 1] if i > 0 else None
    if prev is None or prev.sent != toks[i].sent or not prev.is_word or not prev.text[:1].isupper():
        return False
    b = prev.base
    return (
        b not in lex.dreamer_subject
        and b not in lex.titles
        and (not prev.sent_initial or b in lex.male_names or b in lex.female_names)
    )


def _names_no_person(doc: Doc, i: int, lex: Lexicon) -> bool:
    """A capitalised word that a determiner, a place preposition or a following place or person noun
    shows to be a place, an institution or an adjective, not a person: "the WRU campus", "a PA system",
    "two RR", "girls from LEC", "in Virginia", "at John Hay High", "Lee Road", "the Albert gymnasium",
    "Clarence Brown's furniture store", "a Christian girl", "the Italians". A title ("Dr. Hall") was
    read before; a possessive after "in" owns something ("in Bill's car"), so Bill is kept."""
    toks = doc.tokens
    tok = toks[i]
    prev = toks[i - 1] if i > 0 and toks[i - 1].sent == tok.sent else None
    if prev is not None and prev.is_word:
        b = prev.base
        if _is_surname(toks, i, lex):
            return True  # a surname ("Milton Berle", "John Adam's field"): the run is coded at its start
        if b in _NAME_NOT_AFTER or b in lex.indefinite_determiners:
            return True  # "that" and "this" are left out: "I saw that Rita was ...", "this Stankey"
        if b == "from" and _initials(tok.text):
            return True  # "several other GIs", "the girls from LEC" (a school, not a person)
        if b in _NAME_PLACE_PREPOSITIONS and not tok.possessive:
            return True
    end = _name_run_end(toks, i)
    if any(toks[k].base in lex.named_places for k in range(i + 1, end + 1)):
        return True  # "Lee Road", "Euclid Ave", "John Carroll U"
    k = end + 1
    if (
        k < len(toks)
        and toks[k].is_word
        and toks[k].base in lex.person_nouns
        and end == i
        and not tok.possessive
    ):
        return True  # "a Christian girl": an adjective before a person noun
    if end == i and toks[i].possessive:
        return False  # "Bob's car", "Mary's room": the owner is a person
    for k in range(end + 1, min(len(toks), end + 3)):
        if not toks[k].is_word or toks[k].text[:1].isupper():
            break
        if toks[k].base in lex.named_places:
            return True  # "the Albert gymnasium", "John Adam's football field"
    return False


_NOT_INITIALS = words("tv us usa uk ok am pm ii iii iv vi ww wwii rotc ymca fbi cia gi mp mr ms dr")


def _initials(text: str) -> bool:
    return 2 <= len(text) <= 3 and text.isupper() and text.isalpha() and text.lower() not in _NOT_INITIALS


def _name(doc: Doc, reg: _Registry, i: int, title_sex: str, lex: Lexicon) -> None:
    tok = doc.tokens[i]
    sex = title_sex if title_sex != "indefinite" else _name_sex(tok.base, lex)
    key = ("name", tok.base)
    cid = reg.keys.get(key)
    prev = doc.mentions.get(i - 1)
    if prev is None and cid is None:
        prev = _named_apposition(doc, reg, i, sex)
    if prev is None and i >= 2 and doc.tokens[i - 1].base in lex.copulas:
        before = doc.mentions.get(i - 2)  # "the girl was Marcia": the name is the girl's
        if before is not None and before.party.startswith("c") and reg.get(before.party).kind == "human":
            prev = before if reg.get(before.party).number == "individual" else None
    if cid is None and prev is not None and prev.party.startswith("c") and not doc.tokens[i - 1].possessive:
        cid = prev.party  # apposition: "my friend John"
        reg.keys[key] = cid
        char = reg.get(cid)
        if char.sex == "indefinite" and sex != "indefinite":
            char.sex = sex
        if char.identity in ("stranger", "uncertain"):
            char.identity, char.familiar = "known", True
    if cid is None:
        cid = reg.new(
            key,
            tok.base,
            tok,
            tok,
            number="individual",
            sex=sex,
            identity="known",
            kind="human",
            dead=False,
            familiar=True,
        )
    # "Milton Berle ... Berle", "Franklin D. Roosevelt ... Roosevelt": the surname names the same person
    # (English only: German capitalises every noun, so "Peter Angst" is no name run)
    end = _name_run_end(doc.tokens, i) if lex.names_by_case else i
    for k in range(i + 1, end + 1):
        if doc.tokens[k].is_word and len(doc.tokens[k].text) > 1:
            reg.keys.setdefault(("name", doc.tokens[k].base), cid)
    reg.last_seen[cid] = i
    doc.mentions[i] = Mention(i, i, cid, nominative=False)


_BRACKET_NOTES = words("m f male female age yrs years old about")


def _named_apposition(doc: Doc, reg: _Registry, i: int, sex: str) -> Mention | None:
    """ "my boyfriend, TG, about it", "cousin (29) Jack": a name set off by commas, or after a bracketed
    note, right after an unnamed person names that person. Not in a list ("my mother, Bill, and Jane")."""
    toks = doc.tokens
    k = i - 1
    if k >= 1 and toks[k].text == ")":
        k -= 1
        while k >= 0 and toks[k].text != "(" and i - k < 8:
            if toks[k].is_word and not toks[k].text.isdigit() and toks[k].base not in _BRACKET_NOTES:
                return None
            k -= 1
        if k < 1 or toks[k].text != "(":
            return None
    elif k >= 1 and toks[k].text == ",":
        after = toks[i + 1] if i + 1 < len(toks) else None
        if after is not None and after.text not in (",", ")", "(", ".", ";"):
            return None  # "my sister, Martha said": the name starts a clause
        further = toks[i + 2] if i + 2 < len(toks) else None
        if further is not None and further.base in ("and", "or"):
            return None
        if toks[k - 1].text == ")":  # "my friend (m, 20), Bob, came"
            k -= 1
            while k >= 1 and toks[k].text != "(" and i - k < 9:
                k -= 1
    else:
        return None
    mention = doc.mentions.get(k - 1)
    if mention is None or mention.possessive or not mention.party.startswith("c"):
        return None
    char = reg.get(mention.party)
    if char.kind != "human" or char.number != "individual" or toks[k - 1].sent != toks[i].sent:
        return None
    if any(key[0] == "name" and cid == mention.party for key, cid in reg.keys.items()):
        return None  # already named: "Bill, John" are two people
    if sex in ("male", "female") and char.sex not in (sex, "indefinite"):
        return None
    return mention


def _pronoun_character(reg: _Registry, tok: Token, sex: str) -> str:
    """A he/she with no antecedent is still a character (HVdC codes everyone who appears): one per sex."""
    key = ("pronoun", sex)
    cid = reg.keys.get(key)
    if cid is None:
        cid = reg.new(
            key,
            f"pronoun-{sex}",
            tok,
            tok,
            number="individual",
            sex=sex,
            identity="uncertain",
            kind="human",
            dead=False,
            familiar=None,
        )
    return cid


def _resolve_pronoun(doc: Doc, reg: _Registry, i: int, sex: str | None) -> str:
    """The latest character a he/she/they refers to; gives an indefinite-sex antecedent its sex."""
    recent = sorted(reg.last_seen.items(), key=lambda kv: kv[1], reverse=True)
    sent = doc.tokens[i].sent
    for cid, seen in recent:
        char = reg.get(cid)
        if sex is None:
            if char.number == "group":
                return cid
            continue
        if char.number != "individual" or char.kind != "human":
            continue
        if char.sex == sex:
            return cid
        if char.sex == "indefinite" and sent - doc.tokens[seen].sent <= 3:
            char.sex = sex
            return cid
    return "unknown"


def code_characters(doc: Doc) -> None:
    lex = doc.lex
    reg = _Registry(doc)
    toks = doc.tokens
    # Reports told in the third person ("the dreamer ... he") must not turn the dreamer into a character.
    third_person = any(t.base == "dreamer" for t in toks)
    for i, tok in enumerate(toks):
        if not tok.is_word:
            continue
        b = tok.base
        low = tok.lower
        if low in lex.dreamer_subject or b in lex.dreamer_subject and tok.text[:1] == "I":
            doc.mentions[i] = Mention(i, i, "dreamer", nominative=True)
        elif b in lex.dreamer_object:
            doc.mentions[i] = Mention(i, i, "dreamer", nominative=False)
        elif b in lex.dreamer_group:
            doc.mentions[i] = Mention(i, i, "dreamer", nominative=b in lex.subject_pronouns)
        elif b in lex.dreamer_possessive:
            doc.mentions[i] = Mention(i, i, "dreamer", nominative=False, possessive=True)
        elif b in lex.male_pronouns or b in lex.female_pronouns or b in lex.plural_pronouns:
            sex = "male" if b in lex.male_pronouns else "female" if b in lex.female_pronouns else None
            party = _resolve_pronoun(doc, reg, i, sex)
            if party == "unknown" and sex is not None and not third_person:
                party = _pronoun_character(reg, tok, sex)
            if party != "unknown":
                reg.last_seen[party] = i
            possessive = b in lex.other_possessives and _followed_by_word(toks, i, lex)
            doc.mentions[i] = Mention(
                i, i, party, nominative=b in lex.subject_pronouns, possessive=possessive
            )
        elif b in lex.indefinite_persons and not (tok.possessive and _names_a_kind_of_place(doc, i, lex)):
            noun = lex.indefinite_persons[b]
            cid = reg.new(
                None,
                noun.canonical,
                tok,
                tok,
                number="individual",
                sex=noun.sex,
                identity=noun.identity,
                kind="human",
                dead=False,
                familiar=None,
            )
            reg.last_seen[cid] = i
            doc.mentions[i] = Mention(i, i, cid, nominative=False)
        elif b in lex.person_nouns and not (
            tok.text[:1].isupper() and not tok.sent_initial and _is_name(doc, i, lex)
        ):
            _person(doc, reg, i, lex.person_nouns[b], lex)
        elif b in lex.animals:
            _animal(doc, reg, i, "animal", b in lex.animal_plurals, lex)
        elif b in lex.creatures:
            _animal(doc, reg, i, "creature", b in lex.creature_plurals, lex)
        elif tok.text[:1].isupper() and ("name", b) in reg.keys and not _is_surname(toks, i, lex):
            # a name or surname seen before: "Berle" after "Milton Berle"
            _name(doc, reg, i, "indefinite", lex)
        else:
            title_sex = _is_name(doc, i, lex)
            if title_sex is not None:
                _name(doc, reg, i, title_sex, lex)
    doc.characters = reg.chars


def _followed_by_word(toks: list[Token], i: int, lex: Lexicon) -> bool:
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if nxt is None or not nxt.is_word:
        return False
    if nxt.base in lex.indefinite_determiners or nxt.base in lex.definite_determiners:
        return False  # "gave her a ring", "showed her the way": "her" is the object, not an owner
    return (
        nxt.base not in lex.clause_openers
        and nxt.base not in lex.place_prepositions
        and nxt.base
        not in (
            "to",
            "for",
            "of",
            "that",
            "about",
            "if",
            "again",
            "up",
            "down",
            "off",
            "away",
            "back",
        )
    )
