"""Names a question cannot tell apart or cannot reach: valid YAML that would still let staff down, so
`validate` warns with the fix (not every load: reading every name again costs half a second at
10,000 entries).

Two entries whose names read the same once shorthand is rewritten ('A&E' and 'ED', 'Login' and 'Sign
in') can only ever be offered side by side; a name that reads as small talk ('Help', 'Thanks') is
answered as a greeting or thanks, never with the entry; a name of common words only ('what is it') is
read as no question at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.answering.analyzer import CAPITALS
from bot.answering.model import Entry
from bot.answering.smalltalk import small_talk
from bot.answering.synonyms import BUILT_IN, Synonyms
from bot.answering.text import STOP_WORDS, tokens
from bot.yamlsource import Problem

_SMALL_TALK_LENGTH = 40  # greetings, thanks and farewells are short: longer names are not read as them
SMALL_TALK = (
    "reads as small talk (a greeting, thanks or a call for help), so a question of just these words is"
    " never answered with this entry: word it as staff would ask ('Getting help', 'Help desk')"
)
COMMON_WORDS = (
    "is common words only (as 'what is it', 'how do I'), so a question of just these words, which asks"
    " about nothing, is answered with this entry: word it as staff would ask ('Smartcard PIN')"
)
# A name of common words is matched word for word. Up to three, all different, are what any question
# opens with or trails off at ('what is it', 'how do I', 'the'); a longer run ('things I still need to
# do') or one that says a word again ('one one one') is a phrase only someone meaning the entry types.
_COMMON_WORDS_AT_MOST = 3


def reach_warnings(entries: Sequence[Entry], groups: Sequence[Sequence[str]]) -> list[Problem]:
    """Warnings for names of different entries that read alike, names that read as small talk, and names
    of common words only."""
    synonyms = Synonyms.build((*BUILT_IN, *groups))
    read_as: dict[tuple[str, ...], tuple[Entry, str]] = {}
    warnings = []
    for entry in entries:
        for name in (entry.title, *entry.aliases):
            if len(name) <= _SMALL_TALK_LENGTH and small_talk(name):
                warnings.append(_warning(entry, f"{name!r} {SMALL_TALK}"))
                continue
            if _asks_nothing(name):
                warnings.append(_warning(entry, f"{name!r} {COMMON_WORDS}"))
                continue
            words = tuple(synonyms.words(name))
            other, its = read_as.setdefault(words, (entry, name))
            if words and other.id != entry.id and tokens(its) != tokens(name):  # the same words: an error
                warnings.append(_warning(entry, _alike(name, other, its)))
    return warnings


def _asks_nothing(name: str) -> bool:
    """A short name of different common words only (none at all is the loader's to warn about); a
    common word in capitals is an acronym ('IT', 'WHO', 'OR'), which questions are matched by."""
    said = tokens(name)
    if CAPITALS.search(name):
        return False
    different = len(set(said)) == len(said)
    return 0 < len(said) <= _COMMON_WORDS_AT_MOST and different and STOP_WORDS.issuperset(said)


def _alike(name: str, other: Entry, its: str) -> str:
    return (
        f"{name!r} reads the same as {its!r} of {other.id!r} ({other.source}:{other.line}) once shorthand"
        " is rewritten (the synonyms), so questions cannot tell the two entries apart: merge them, or"
        " take one of the two out of its synonym group"
    )


def _warning(entry: Entry, message: str) -> Problem:
    return Problem(entry.source, entry.line, f"warning: {message}", entry.id)
