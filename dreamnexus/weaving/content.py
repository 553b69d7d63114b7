"""Per-text checks: links and spam, prompt injection, harassment and slurs, filler.

Each rule needs an unambiguous pattern rather than a single word, so that a dream which merely mentions
"instructions", a website or an insult someone said in the dream is not excluded. Slurs are matched by
the SHA-256 of the lower-cased word, so the source does not spell them out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_F = re.IGNORECASE | re.UNICODE


def _words(text: str) -> list[str]:
    return text.split()


_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]{2,}\.(?:com|net|org|io|ru|cn|xyz|top|info|biz|ly|gg|co|me|app|shop)"
    r"(?:/\S*)?\b|\b[\w.+-]+@[\w-]+\.[a-z]{2,}\b",
    _F,
)
# Literal phrases (checked on lower-cased text); one alone is not spam, words like "casino" or "discount"
# are ordinary dream content.
SPAM_PHRASES: tuple[str, ...] = (
    "buy now",
    "click here",
    "limited offer",
    "promo code",
    "free money",
    "free crypto",
    "free bitcoin",
    "free followers",
    "subscribe to",
    "dm me",
    "check out my profile",
    "check my profile",
    "check out my channel",
    "check my channel",
    "a day from home",
    "100% free",
    "act now",
    "best price",
    "onlyfans",
    "giveaway",
    "whatsapp",
    "telegram @",
    "bitcoin",
    "crypto",
)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+)*"
    r"(?:previous|prior|above|earlier|preceding|system|original)\s+(?:instructions?|prompts?|messages?|rules|"
    r"directions|context)"
    r"|\b(?:new|updated)\s+instructions?\s*:"
    r"|\bsystem\s*prompt\b|\byou\s+are\s+now\s+(?:a|an|in|the|dan)\b|\bdeveloper\s+mode\b|\bjailbreak"
    r"|<\|?im_(?:start|end)\|?>|\[/?INST\]|<<\s*SYS\s*>>|^\s*(?:system|assistant)\s*:|###\s*instruction"
    r"|\b(?:output|print|reveal|repeat)\s+(?:your|the)\s+(?:system|hidden|secret|initial)\s+"
    r"(?:prompt|instructions?|password)"
    r"|\bignora\s+(?:todas\s+)?las\s+instrucciones|\bignoriere\s+(?:alle\s+)?(?:vorherigen\s+)?anweisungen"
    r"|\bignore[rz]?\s+(?:toutes\s+)?les\s+instructions\s+pr[ée]c[ée]dentes",
    _F | re.MULTILINE,
)
_INSULT = (
    r"(?:idiots?|morons?|stupid|losers?|worthless|pathetic|scum|trash|garbage|disgusting|ugly|"
    r"freaks?|retards?|subhumans?|vermin|parasites?|imbeciles?|cretins?|bitch(?:es)?|bastards?|"
    r"piece of (?:shit|crap)|waste of (?:space|air)|cockroach(?:es)?|pigs?|rats?|animals)"
)
_ABUSE = re.compile(
    r"\b(?:you|u|ur|your|you're|youre|ya)\s+(?:\w+\s+){0,3}?(?:are\s+|r\s+|all\s+|such\s+|a\s+|an\s+)*"
    + _INSULT
    + r"\b"
    r"|@\w+\s+(?:\w+\s+){0,3}?" + _INSULT + r"\b"
    r"|\bkill\s+yourself\b|\bkys\b|\bgo\s+die\b|\bdie\s+in\s+a\s+fire\b|\bi\s+know\s+where\s+you\s+live\b"
    r"|\bnobody\s+(?:wants|likes|cares\s+about)\s+you\b|\bshut\s+(?:the\s+\w+\s+)?up\s+@"
    r"|\b(?:they|those\s+people|these\s+people|all\s+of\s+them)\s+are\s+(?:all\s+)?(?:just\s+)?"
    r"(?:vermin|animals|cockroaches|rats|parasites|subhuman|a\s+disease)\b",
    _F,
)
# SHA-256 of lower-cased slurs (English); the list is deliberately short and can be extended by callers.
SLUR_HASHES: frozenset[str] = frozenset(
    {
        "120f6e5b4ea32f65bda68452fcfaaef06b0136e1d0e4a6f60bc3771fa0936dd6",
        "08a841e996781e9e77d30a4e4420a8f501a280b00624e6d1224bf54aaff73eba",
        "8f5083e3e5c7dc8932f2bf58212f963f3a44752618c96297f82623f736c52738",
        "9915ba2d822280f22c283df4e76584a40e0119fc58f73c5f84d4fdb04d04fa6f",
        "c3de533e9b7fe63b79f648687a30d2861edd92fe7c3cd1f2c485e0a605367624",
        "98b52c4b6b7d1f48e7477a5ccc10955dd195d0ac5a38c8281bfeb08762634909",
        "f9d0d9b18ae9033a5ea36df19bf279b059e887a9ae785db81117bceaecc95933",
        "eef3bd091670c3447022d619c06ad15de96da72b5a66f28bb8b75d1b1c12a05f",
        "16ea09fc78ca83ca502cbcf2377acdf280bf18f61e259153f0868405eedab5ef",
        "886d51e97ad7931d0d2af8439ca6d9e4887e3c2b469ed247cbd68ceb3649ccde",
        "22fc75e65a0e9d34324092a7c6a8dba961853294abca4e5914e60c550f48e0c2",
        "e7b98c6aa5b944e0b315d350d423f895ac9e44fb84f1534b18c2572370a67b9e",
    }
)
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
# Cheap triggers: the expensive patterns only run on texts that contain one of these.
_URL_TRIGGER = re.compile(
    r"https?:|www\.|@|\.(?:com?|net|org|io|ru|cn|xyz|top|info|biz|ly|gg|me|app|shop)\b", re.IGNORECASE
)
_SPAM_TRIGGERS = frozenset(
    _words(
        "now click offer promo money crypto bitcoin followers subscribe dm profile channel home free act "
        "price onlyfans giveaway whatsapp telegram"
    )
)
_INJECTION_TRIGGERS = frozenset(
    _words(
        "ignore ignoring disregard forget override instruction instructions system prompt developer "
        "jailbreak reveal password ignora ignoriere ignorez ignorer anweisungen"
    )
)
_INJECTION_MARKS = ("<|", "[inst", "[/inst", "<<", "###", "assistant:", "you are now")
_ABUSE_TRIGGERS = frozenset(
    _words(
        "idiot idiots moron morons stupid loser losers worthless pathetic scum trash garbage disgusting "
        "ugly freak freaks retard retards subhuman subhumans vermin parasite parasites imbecile imbeciles "
        "cretin cretins bitch bitches bastard bastards cockroach cockroaches pig pigs rat rats animals kys "
        "nobody disease"
    )
)
# Phrases whose words are too common to serve as token triggers ("live", "die", "kill").
_ABUSE_MARKS = (
    "kill yourself",
    "go die",
    "die in a fire",
    "where you live",
    "shut up",
    "shut the",
    "piece of",
    "waste of",
)
_FILLER = re.compile(
    r"^\s*(?:lorem ipsum\b.*|(?:test\s*)+|first!*|bump|\+1|lol+|ok+|hi+|hello+|asdf\w*|qwert\w*|"
    r"(\w)\1{4,}|n/?a|none|nothing|\.+|-+)\s*[.!?]*\s*$",
    _F | re.DOTALL,
)
_VOWEL = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûüæøå]", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    reason: str
    detail: str


# Per slur list: tokens already hashed, and those among them that are slurs. Vocabulary repeats a lot,
# so after the first texts almost no token needs hashing again.
_SEEN: dict[frozenset[str], tuple[set[str], set[str]]] = {}


def _slur_tokens(vocab: set[str], slur_hashes: frozenset[str]) -> set[str]:
    seen, bad = _SEEN.setdefault(slur_hashes, (set(), set()))
    if len(seen) > 500_000:
        seen.clear()
    for token in vocab - seen:
        seen.add(token)
        if hashlib.sha256(token.encode("utf-8")).hexdigest() in slur_hashes:
            bad.add(token)
    return vocab & bad


def _slur(text: str, vocab: set[str], slur_hashes: frozenset[str]) -> str | None:
    hits = _slur_tokens(vocab, slur_hashes)
    if not hits:
        return None
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token.lower() not in hits:
            continue
        before = text[: m.start()].rstrip()
        # A capitalised word inside a sentence is a name (a surname such as Dyke), not an epithet.
        if token[:1].isupper() and before and before[-1] not in ".!?\"'“:":
            continue
        return token[:1] + "*" * (len(token) - 1)
    return None


def _gibberish(tokens: list[str]) -> bool:
    if len(tokens) < 3:
        return False
    if len(tokens) > 40:
        # Long keyboard mash repeats itself; only the cheap diversity test is worth running.
        return len(set(tokens)) / len(tokens) < 0.2
    voiceless = sum(1 for t in tokens if len(t) > 3 and not _VOWEL.search(t))
    return voiceless / len(tokens) > 0.4 or (len(tokens) >= 6 and len(set(tokens)) / len(tokens) < 0.3)


def check_text(text: str, min_words: int = 4, slur_hashes: frozenset[str] = SLUR_HASHES) -> Finding | None:
    """The first rule `text` breaks, or None when it looks like an honest contribution."""
    if not text.strip():
        return Finding("empty", "no text")
    low = text.lower()
    tokens = _TOKEN.findall(low)
    vocab = set(tokens)
    if not vocab.isdisjoint(_INJECTION_TRIGGERS) or any(k in low for k in _INJECTION_MARKS):
        m = _INJECTION.search(text)
        if m:
            return Finding("prompt_injection", m.group(0)[:60])
    if not vocab.isdisjoint(_ABUSE_TRIGGERS) or any(k in low for k in _ABUSE_MARKS):
        m = _ABUSE.search(text)
        if m:
            return Finding("abuse", m.group(0)[:60])
    slur = _slur(text, vocab, slur_hashes)
    if slur:
        return Finding("abuse", f"slur {slur}")
    if _URL_TRIGGER.search(low):
        m = _URL.search(text)
        if m:
            return Finding("spam_link", m.group(0)[:60])
    spam = [p for p in SPAM_PHRASES if p in low] if not vocab.isdisjoint(_SPAM_TRIGGERS) else []
    strong = [p for p in spam if " " in p or p == "onlyfans"]
    if len(spam) >= 2 or (strong and len(tokens) < 25):
        return Finding("spam", ", ".join(spam[:3]))
    if _FILLER.match(text) or _gibberish(tokens):
        return Finding("filler", text.strip()[:40])
    if len(tokens) < min_words:
        return Finding("too_short", f"{len(tokens)} words")
    return None
