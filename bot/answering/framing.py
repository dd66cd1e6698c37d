"""What in a question says who is asking, where and when, rather than what about: read past it.

'hey bot', 'please help', 'on ward 4', 'im a band 5': each would otherwise be taken for the topic (the
bot's own entry, the entry on getting help, another thing's number, a word the knowledge base lacks).
"""

from __future__ import annotations

import re

from bot.answering.smalltalk import HELLOS, THANKS_WORDS
from bot.answering.text import STOP_WORDS, tokens

BOT = "bot"
_PLEA = re.compile(r"\s*help\s*[!,:;.-]", re.IGNORECASE)  # 'help!!! system down' opens with a plea
_GREETINGS = HELLOS | {"dear", "ok", "oi", "yo"}  # what may come before 'bot' when it only greets the bot
_PLEAS = frozenset({"help", "please", "pls", "plz", "me", "asap"})
_PLEADING = frozenset({"please", "pls", "plz", "asap"})
_PLACE_ONLY = frozenset(
    {"band", "bay", "bed", "room", "cubicle", "pod", "ext", "bleep"}
)  # with a number: just where
_PLACES = _PLACE_ONLY | {"ward", "floor", "level", "theatre"}
_THANKED = THANKS_WORDS | {"you"}  # 'thank you in advance'
_ASKED_IN = frozenset({"place", "channel", "person", "people"})  # 'the right place to ask'
_ASKS_HELP = frozenset({"help", "struggling"})
_NOT_DOING = frozenset({"morning", "evening", "during", "ceiling", "building"})  # -ing, and things
# One to three words and 'here', then a break, at the start or after a greeting: who is asking.
_HELLO_FIRST = rf"(?:(?:{'|'.join(sorted(HELLOS))})\b[^,.;:!?-]*[,.;:!?-]+\s*)?"
_INTRODUCED = re.compile(rf"^\W*{_HELLO_FIRST}((?:[a-z'&]+\s+){{1,3}})here\s*[,.;:!?-]")
# A clause of its own that is only who is asking: "I'm a new starter", "I am the nurse in charge today",
# anywhere; "asking for a junior doctor" last ('asking for a new smartcard, ...' asks for one). A role
# is a few words, none of which goes on to say more ('I'm a new starter and I need a login').
_CLAUSES = re.compile(r"[,.;:!?()\[\]]+|\s-+\s")
_GOES_ON = r"(?:and|but|so|need|needs|want|wants|with|who|which|that|to|can|cant|have|got|looking|trying)"
_ROLE = rf"(?:a|an|the|my)(?:\s+(?!{_GOES_ON}\b)[a-z'&\d]+){{1,5}}"
_WHO_I_AM = re.compile(rf"(?:i'?m|i\s+am)\s+{_ROLE}")
_ASKING_FOR = re.compile(rf"asking\s+for\s+{_ROLE}")


def unframed(words: list[str], question: str, named: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
    """The question's words (its tokens as typed) without the framing around what it asks. The text
    itself says whether it opens with a cry of 'help!': the words no longer hold the punctuation.
    `named`: the things with a number that entries are named by ('ward 7', 'bleep 2222'; see
    `Analyzer.numbered`): in a question they say what it is about, and stay."""
    if _PLEA.match(question) and words[:1] == ["help"] and set(words[1:]) - STOP_WORDS - {"help"}:
        words = words[1:]
    words = _unintroduced(_without_courtesy(words), question)
    return _placeless(_unaddressed(_no_cry_for_help(_help_doing(words))), named)


def _without_courtesy(words: list[str]) -> list[str]:
    """Without courtesy that names things: 'thanks in advance' ('advance care planning' is a topic) and
    'is this the right place (channel, person) to ask' (it asks about the question's topic, not a place)."""
    kept = []
    for k, word in enumerate(words):
        before = words[k - 1] if k else ""
        if word == "advance" and before == "in" and k >= 2 and words[k - 2] in _THANKED:
            kept.pop()
        elif not (before == "right" and word in _ASKED_IN):
            kept.append(word)
    return kept


def _unintroduced(words: list[str], question: str) -> list[str]:
    """Without who is asking, where they say so first ('student nurse here, when is go-live', 'porter
    here - how do I book training') or in a clause of its own ("I'm a new starter, ...", '... asking for
    a junior doctor'): it is who they are, not what they ask about."""
    said = _INTRODUCED.match(question.lower())
    if said:
        words = _without_run(words, [*tokens(said.group(1)), "here"])
    clauses = [c.strip() for c in _CLAUSES.split(question.lower()) if c.strip()]
    for k, clause in enumerate(clauses):
        if _WHO_I_AM.fullmatch(clause) or (k == len(clauses) - 1 and k and _ASKING_FOR.fullmatch(clause)):
            words = _without_run(words, tokens(clause))
    return words


def _without_run(words: list[str], run: list[str]) -> list[str]:
    """Without the first place `run` stands in `words`, unless only stop words would be left ('who is
    here?' asks who is) or it says nothing but stop words."""
    if not set(run) - STOP_WORDS:
        return words
    for k in range(len(words) - len(run) + 1):
        if words[k : k + len(run)] == run:
            rest = words[:k] + words[k + len(run) :]
            return rest if set(rest) - STOP_WORDS else words
    return words


def _help_doing(words: list[str]) -> list[str]:
    """Without 'help' or 'struggling' asked with doing something ('help logging off', 'struggling with
    booking training'): the question is about the doing, not the entry on getting help."""
    for k, word in enumerate(words[:-1]):
        if word in _ASKS_HELP:
            start = k + 2 if words[k + 1] == "with" else k + 1
            if start < len(words) and _doing(words[start]):
                rest = words[:k] + words[start:]
                return rest if set(rest) - STOP_WORDS else words
    return words


def _doing(word: str) -> bool:
    return len(word) >= 6 and word.endswith("ing") and not word.endswith("thing") and word not in _NOT_DOING


def _unaddressed(words: list[str]) -> list[str]:
    """Without 'bot' where it only greets the bot ('hey bot, how do I book training'): the question is
    about what follows. Greeting the bot and nothing else still asks about the bot."""
    kept = [w for before, w in zip(["", *words], words, strict=False) if w != BOT or before not in _GREETINGS]
    return kept if len(kept) < len(words) and set(kept) - STOP_WORDS else words


def _no_cry_for_help(words: list[str]) -> list[str]:
    """Without a plea for help that closes a question about something else ('when is go-live, please
    help', 'smartcard broken help pls'): it asks for an answer, not for the entry on getting help. Only
    a plea with its 'please' goes; a bare 'help' may be the topic ('phone number for help')."""
    if "help" not in words:
        return words
    kept = list(words)
    while kept and kept[-1] in _PLEAS:
        kept.pop()
    pleaded = _PLEADING.intersection(words[len(kept) :])
    if pleaded and "help" in words[len(kept) :] and "help" not in kept and set(kept) - STOP_WORDS:
        return kept
    return words


def _placeless(words: list[str], named: frozenset[tuple[str, str]]) -> list[str]:
    """Without the number of a ward, bay or bed ('on ward 4'): where the person is, not what they ask.
    Left in, it reads as the number of some other thing ('section 3' is not 'section 2'). Without the
    place word either ('band 5', 'bay 3'), but for a ward: entries speak of wards. A place an entry is
    named by ('Ward 7 phone number') stays: it is the topic."""
    placed = [
        before in _PLACES and w[:1].isdigit() and (before, w) not in named
        for before, w in zip(["", *words], words, strict=False)
    ]
    following = [*placed[1:], False]
    return [w for k, w in enumerate(words) if not placed[k] and not (following[k] and w in _PLACE_ONLY)]
