"""Which known terms a question's term may stand for: itself, a typo of one, or the start of a longer one.

Edits are allowed in proportion to length: short terms (acronyms above all) only match exactly, and get a
single edit only as a last resort when they match nothing at all, because a three-letter term is one
edit away from dozens of unrelated words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

PREFIX_STRENGTH = 0.8
TYPO_COST = 1.2  # strength lost per edit, relative to the term's length


def max_edits(length: int) -> int:
    if length <= 2:
        return 0
    if length <= 7:
        return 1
    return 2 if length <= 11 else 3


class Vocabulary:
    """All terms of one knowledge base, arranged for exact, prefix and edit-distance lookups."""

    def __init__(self, terms: Iterable[str], protected: frozenset[str] = frozenset()):
        """`protected` terms (acronyms) are only ever matched exactly."""
        self._terms = frozenset(terms)
        self._sorted = sorted(self._terms)
        self._protected = protected
        by_length: dict[int, list[str]] = defaultdict(list)
        for term in self._sorted:
            if term not in protected:
                by_length[len(term)].append(term)
        self._by_length = dict(by_length)
        self._pools: dict[int, list[str]] = {}
        self.lookup = lru_cache(maxsize=50_000)(self._lookup)

    def __contains__(self, term: str) -> bool:
        return term in self._terms

    def _lookup(self, term: str) -> tuple[tuple[str, float], ...]:
        """Known terms this one may mean, with a strength in (0, 1]; exact first."""
        exact = term in self._terms
        found: dict[str, float] = {term: 1.0} if exact else {}
        long_enough = len(term) >= 5
        if long_enough or not exact:
            for other, strength in self._typos(term, last_resort=not long_enough):
                found.setdefault(other, strength)
        if long_enough:
            for other in self._extensions(term):
                found.setdefault(other, PREFIX_STRENGTH)
        return tuple(sorted(found.items(), key=lambda kv: -kv[1]))

    def _typos(self, term: str, last_resort: bool) -> list[tuple[str, float]]:
        edits = max_edits(len(term))
        if not edits or term in self._protected:
            return []
        hits = process.extract(
            term, self._pool(len(term)), scorer=OSA.distance, score_cutoff=edits, limit=None
        )
        strength = [(other, 1 - TYPO_COST * d / len(term)) for other, d, _ in hits if d > 0]
        return strength if not last_resort else [(o, s * 0.85) for o, s in strength]

    def _pool(self, length: int) -> list[str]:
        """Unprotected terms within reach of a term of this length."""
        if length not in self._pools:
            edits = max_edits(length)
            lengths = range(length - edits, length + edits + 1)
            self._pools[length] = [t for n in lengths for t in self._by_length.get(n, ())]
        return self._pools[length]

    def _extensions(self, term: str) -> list[str]:
        """Longer terms that start with this one (config -> configuration), at most a few."""
        start = bisect_left(self._sorted, term)
        found = []
        for other in self._sorted[start : start + 8]:
            if not other.startswith(term):
                break
            if other != term and other not in self._protected:
                found.append(other)
        return found
