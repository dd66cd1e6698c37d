"""The one way text becomes terms for a given knowledge base: questions and entries go through the same steps.

What it learns from the knowledge base: which words are acronyms (never stemmed, never fuzzed into
other words) and which words are written both joined and apart ("floorwalker" / "floor walker",
"SNOMED CT" / "snomedct"), so either spelling meets the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

from bot.answering.synonyms import Synonyms
from bot.answering.text import STOP_WORDS, content, stem, tokens

_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9&]{1,7})s?\b")


class Analyzer:
    def __init__(self, synonyms: Synonyms, names: Iterable[str], texts: Iterable[str]):
        """`names` are titles and aliases (where acronyms are declared); `texts` is everything searchable."""
        names = list(names)
        self.synonyms = synonyms
        self.acronyms = frozenset(
            t for name in names for m in _ACRONYM.finditer(name) for t in tokens(m.group(1))
        )
        words = {w for text in (*names, *texts) for w in self._words(text)}
        self._joined = frozenset(w for w in words if len(w) >= 5 and w not in STOP_WORDS)
        self._split = {
            a + b: (a, b)
            for name in names
            for a, b in pairwise(self._words(name))
            if a + b not in self._joined and len(a + b) >= 4
        }

    def _words(self, text: str) -> list[str]:
        return self.synonyms.rewrite(tokens(text))

    def terms(self, text: str) -> list[str]:
        """The content terms of `text`, in order, without repeats."""
        words = content(self._compounds(self._words(text)))
        return list(dict.fromkeys(stem(w, self.acronyms) for w in words))

    def name_terms(self, text: str) -> list[str]:
        """Like `terms`, but a name made only of common words (e.g. 'Getting help') keeps them."""
        return self.terms(text) or list(dict.fromkeys(stem(w, self.acronyms) for w in self._words(text)))

    def _compounds(self, words: Sequence[str]) -> list[str]:
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
