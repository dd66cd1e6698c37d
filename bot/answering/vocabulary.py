"""Which known terms a question's term may stand for: itself, a typo of one, or the start of a longer one.

Edits are allowed in proportion to length. A short term (acronyms above all) matches exactly, and gets a
single edit only as a last resort, when it is no title or alias term itself, and then only towards title
and alias terms: a three-letter term is one edit away from dozens of unrelated words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.answering.text import STOP_WORDS

PREFIX_STRENGTH = 0.8
SUFFIX_STRENGTH = 0.7  # 'card' for 'smartcard': the head of a compound, less specific than its start
TYPO_COST = 1.2  # strength lost per edit, relative to the term's length
LAST_RESORT = 0.85  # a short term's slip is less certain still
SILENT_E_STRENGTH = 0.95  # 'closed' stems to 'clos', 'close' stays whole: the same word


def max_edits(length: int) -> int:
    if length <= 2:
        return 0
    if length <= 7:
        return 1
    return 2 if length <= 11 else 3


class Vocabulary:
    """All terms of one knowledge base, arranged for exact, prefix and edit-distance lookups."""

    def __init__(self, terms: Iterable[str], names: Iterable[str]):
        """`names` are the terms of titles and aliases, the only targets of a short term's last resort."""
        self._terms = frozenset(terms)
        self._names = frozenset(names)
        self._sorted = sorted(self._terms)
        self._reversed = sorted(t[::-1] for t in self._names)
        self._pools = {False: _Pools(self._terms), True: _Pools(self._names)}
        self.lookup = lru_cache(maxsize=50_000)(self._lookup)

    def __contains__(self, term: str) -> bool:
        return term in self._terms

    def _lookup(self, term: str) -> tuple[tuple[str, float], ...]:
        """Known terms this one may mean, with a strength in (0, 1]; exact first."""
        found: dict[str, float] = {term: 1.0} if term in self._terms else {}
        for other in _with_or_without_e(term):
            if other in self._terms:
                found.setdefault(other, SILENT_E_STRENGTH)
        if len(term) >= 5:
            if term not in self._terms:  # a word spelt right means itself, not a word one slip away
                found.update((t, s) for t, s in self._typos(term, self._pools[False]) if t not in found)
            found.update((t, PREFIX_STRENGTH) for t in self._extensions(term) if t not in found)
        elif term not in self._names:  # a short term that names nothing: perhaps a slip on an acronym
            found.update(
                (t, s * LAST_RESORT) for t, s in self._typos(term, self._pools[True]) if t not in found
            )
        if len(term) == 4 and term + "er" in self._terms:
            found.setdefault(term + "er", PREFIX_STRENGTH)  # the one who does it: work -> worker
        if len(term) >= 4:
            found.update((t, SUFFIX_STRENGTH) for t in self._compounds(term) if t not in found)
        return tuple(sorted(found.items(), key=lambda kv: -kv[1]))

    @staticmethod
    def _typos(term: str, pools: _Pools) -> list[tuple[str, float]]:
        edits = max_edits(len(term))
        if not edits:
            return []
        hits = process.extract(term, pools.near(term), scorer=OSA.distance, score_cutoff=edits, limit=None)
        return [
            (other, 1 - TYPO_COST * _edits(term, other, d) / len(term))
            for other, d, _ in hits
            if d > 0 and _digits(other) == _digits(term)
        ]

    def closest(self, word: str) -> str | None:
        """The one known word a long unknown word is a slip of ('wrking', 'somthing'), if there is one."""
        if len(word) < 5 or word in self._terms:
            return None
        typos = self._typos(word, self._pools[False])
        best = max((s for _, s in typos), default=0.0)
        nearest = [t for t, s in typos if s == best]
        return nearest[0] if len(nearest) == 1 else None

    def _extensions(self, term: str) -> list[str]:
        """Longer terms that start with this one (config -> configuration), at most a few."""
        return _starting_with(self._sorted, term)

    def _compounds(self, term: str) -> list[str]:
        """Name terms that end with this one, written as one word (card -> smartcard), at most a few; not
        when what goes before is a filler word or a negation: 'forward' is no kind of 'ward', and a
        'nonemergency' line is no kind of 'emergency'."""
        found = (t[::-1] for t in _starting_with(self._reversed, term[::-1]))
        return [t for t in found if t[: -len(term)] not in STOP_WORDS and not t.startswith("non")]


def _digits(term: str) -> str:
    """A number is never a slip of another ('ICD-11' is not ICD-10): a typo keeps the digits."""
    return "".join(c for c in term if c.isdigit()) if not term.isalpha() else ""


def _with_or_without_e(term: str) -> tuple[str, ...]:
    """The other spelling of a stem that may have lost a silent e to a suffix (clos/close, leav/leave)."""
    if len(term) < 4 or not term.isalpha():
        return ()
    return (term[:-1],) if term.endswith("e") else (term + "e",)


def _starting_with(ordered: list[str], start: str) -> list[str]:
    found = []
    for other in ordered[bisect_left(ordered, start) :][:8]:
        if not other.startswith(start):
            break
        if other != start:
            found.append(other)
    return found


def _edits(term: str, other: str, distance: int) -> float:
    """Two letters swapped is the commonest slip of all (gdrp, fihr), so it costs half an edit."""
    return distance - 0.5 if distance == 1 and sorted(term) == sorted(other) else distance


class _Pools:
    """Terms grouped so a typo is only compared with terms it could be within reach of: of a length
    within the edits allowed, and sharing the first letter, or with the first two letters swapped, or
    one letter added or lost at the start. (A wrong first letter is the rarest slip; it is given up.)"""

    def __init__(self, terms: Iterable[str]):
        self._first: dict[tuple[int, str], list[str]] = defaultdict(list)
        self._second: dict[tuple[int, str], list[str]] = defaultdict(list)
        for term in sorted(terms):
            self._first[len(term), term[0]].append(term)
            self._second[len(term), term[1:2]].append(term)
        self._near: dict[tuple[int, str, str], list[str]] = {}

    def near(self, term: str) -> list[str]:
        key = (len(term), term[0], term[1:2])
        if key not in self._near:
            edits = max_edits(len(term))
            lengths = range(len(term) - edits, len(term) + edits + 1)
            found = [
                t
                for n in lengths
                for group in (self._first[n, term[0]], self._first[n, term[1:2]], self._second[n, term[0]])
                for t in group
            ]
            self._near[key] = list(dict.fromkeys(found))
        return self._near[key]
