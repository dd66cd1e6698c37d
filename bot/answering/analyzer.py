"""The one way text becomes terms for a given knowledge base: questions and entries go through the same steps.

What it learns from the knowledge base: which words are acronyms (never stemmed, so "PACS" is not a
plural of "PAC") and which words are written both joined and apart ("floorwalker" / "floor walker",
"SNOMED CT" / "snomedct"), so either spelling meets the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise
from operator import add

from bot.answering.synonyms import Synonyms
from bot.answering.text import STOP_WORDS, stem, tokens

_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&]{1,7})s?\b")
CAPITALS = re.compile(r"\b[A-Z]{2,}\b")  # an acronym that may be a common word: IT, WHO
_CHAT_DIGITS = frozenset(w for w in STOP_WORDS if w.isdigit())  # '2' for to, '4' for for
_UNITS = frozenset(
    {"hour", "hours", "hourly", "day", "days", "week", "weeks", "month", "months", "minute", "minutes"}
)
# 'WHO do I ring', 'superusers, WHO are they?': a question word opening a clause asks, in capitals or not.
_ASKED_IN_CAPITALS = re.compile(r"(?:^|[,;:.!?]\s*)(WHO|WHAT|WHEN|WHERE|WHY|HOW)\b")
Words = list[str]


def acronyms_in(names: Iterable[str]) -> frozenset[str]:
    """Words written in capitals in titles and aliases (PAS, CNIO, SNOMED), lower-cased."""
    written = {a for name in names for a in _ACRONYM.findall(name)}  # each read once: names repeat them
    return frozenset(t for acronym in written for t in tokens(acronym))


class _Stems(dict[str, str]):
    """Each word's stem, worked out once: answer texts repeat the same few thousand words."""

    def __init__(self, acronyms: frozenset[str]):
        super().__init__()
        self._acronyms = acronyms

    def __missing__(self, word: str) -> str:
        found = self[word] = stem(word, self._acronyms)
        return found


class Analyzer:
    def __init__(self, synonyms: Synonyms, acronyms: frozenset[str], names: Sequence[Words]):
        """`names`: the titles and aliases, as `Synonyms.words` gives them."""
        self.synonyms = synonyms
        self.acronyms = acronyms
        known = {w for words in names for w in words}
        # The things names number ('ward', '7'; 'phase', '2'): in a question the number is then the topic,
        # though a ward's number is where someone is and a '2' is chat elsewhere ('how 2 log in').
        self.numbered = frozenset(
            (a, b) for words in names for a, b in pairwise(words) if b[:1].isdigit() and a not in STOP_WORDS
        )
        self._joined = frozenset(w for w in known if len(w) >= 5 and w not in STOP_WORDS)
        self._split = {
            ab: (a, b)
            for words in names
            for a, b in pairwise(words)
            if len(ab := a + b) >= 4 and ab not in self._joined and ab not in STOP_WORDS
        }
        self._stems = _Stems(acronyms)
        self.common_acronyms = acronyms.intersection(STOP_WORDS)
        self._capitals = tuple(a.upper() for a in self.common_acronyms)

    def terms_of(self, words: Words, kept: frozenset[str] = frozenset()) -> list[str]:
        """The content terms of some words (see `Synonyms.words`), in order, without repeats; `kept`:
        common words that are acronyms here (see `acronyms_written`)."""
        return self._stemmed([w for w in self._compounds(words) if w not in STOP_WORDS or w in kept])

    def name_terms_of(self, words: Words, kept: frozenset[str] = frozenset()) -> list[str]:
        """Like `terms_of`, but a name made only of common words (e.g. 'Getting help') keeps them."""
        return self.terms_of(words, kept) or self._stemmed(words)

    def numbers_named(self, words: Words) -> frozenset[str]:
        """The digits in `words` that number what precedes them as a name does ('phase 2', 'ward 4'), or
        count what follows ('4 hour target', '2 weeks'), to be kept as terms though a lone '2' or '4' is
        chat ('how 2', 'password 4 epr')."""
        if _CHAT_DIGITS.isdisjoint(words):  # as for most names, read by the thousand at each load
            return frozenset()
        return frozenset(
            b
            for a, b, c in zip(["", *words], words, [*words[1:], ""], strict=False)
            if b in _CHAT_DIGITS and ((a, b) in self.numbered or c in _UNITS)
        )

    def name_readings(self, words: Words, name: str) -> list[tuple[str, ...]]:
        """The terms of a name (`words` of `name` as written). A name with an acronym that is also a
        common word ('WHO checklist') is read with it, for questions that write it in capitals, and
        without, for the many that write it in lower case, where it cannot be told from the word. Its
        numbers ('Phase 2') are always read."""
        numbers = self.numbers_named(words)
        plain = tuple(self.name_terms_of(words, numbers))
        kept = self._in_capitals(name)  # a name in capitals ('NHS IT') is a name, not shouting
        if not kept:
            return [plain] if plain else []
        readings = (tuple(self.name_terms_of(words, kept | numbers)), plain)
        return [terms for terms in dict.fromkeys(readings) if terms]

    def acronyms_written(self, question: str) -> frozenset[str]:
        """This knowledge base's acronyms that are also common words (IT, WHO, ID, US), where the
        question writes them in capitals: 'who do I call in IT' asks about IT. A question in capitals
        throughout shouts, and a question word opening a clause asks ('WHO do I ring'): neither says
        which words are acronyms."""
        if question.upper() == question and len(question.split()) > 1:
            return frozenset()
        return self._in_capitals(_ASKED_IN_CAPITALS.sub(" ", question))

    def _in_capitals(self, text: str) -> frozenset[str]:
        if not any(written in text for written in self._capitals):  # spares most names the search
            return frozenset()
        return frozenset(self.common_acronyms.intersection(w.lower() for w in CAPITALS.findall(text)))

    def text_terms_of(self, words: set[str]) -> frozenset[str]:
        """Terms of answer text: a set, and no compound rewriting (answer hits only support a name hit)."""
        return frozenset(map(self._stems.__getitem__, words.difference(STOP_WORDS)))

    def _stemmed(self, words: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(map(self._stems.__getitem__, words)))

    def stem(self, word: str) -> str:
        """A word's term in this knowledge base (its acronyms are kept whole)."""
        return self._stems[word]

    def _compounds(self, words: Sequence[str]) -> list[str]:
        if self._split.keys().isdisjoint(words) and self._joined.isdisjoint(map(add, words, words[1:])):
            return list(words)  # nothing to join or split, as in most names: no word-by-word walk
        out: list[str] = []
        i = 0
        while i < len(words):
            pair = words[i] + words[i + 1] if i + 1 < len(words) else ""
            if pair in self._joined:
                out.append(pair)
                i += 2
                continue
            out.extend(self._split.get(words[i], (words[i],)))
            i += 1
        return out
