"""Scoring a question against every entry, and deciding between answering, suggesting and not knowing.

A question's content terms are weighted by how specific they are (rare terms say more). An entry scores
by how much of the question it explains (a title or alias hit fully, an answer-text hit only in part),
and by how completely the question covers one of its names. Query terms nothing explains count
against it: that is what keeps near-misses and out-of-scope questions from being answered. A wrong
confident answer is worse than "I don't know", so close calls become suggestions.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.analyzer import Analyzer
from bot.answering.model import Answer, Candidate, Entry, NotKnown, Outcome, Suggestions
from bot.answering.synonyms import Synonyms
from bot.answering.text import Form, question_form
from bot.answering.vocabulary import Vocabulary


@dataclass(frozen=True)
class Tuning:
    """The matcher's knobs, in one place so the benchmark can state them."""

    answer_at: float = 62.0  # score needed to answer
    margin: float = 8.0  # and the lead over the runner-up needed to answer
    suggest_at: float = 38.0  # score needed to be offered as "Did you mean"
    text_trust: float = 0.6  # how far an answer-text hit explains a query term, against a name hit
    other_name_trust: float = 0.7  # a term explained by another name of the same entry
    name_share: float = 0.45  # part of the score that rewards covering a whole title/alias
    unknown_weight: float = 0.9  # weight of a term the knowledge base never uses, relative to the rarest
    form_penalty: float = 0.85  # "what is" asked of a how-to entry, or "how do I" of a jargon entry
    shortlist: int = 40  # answer-text-only candidates scored in full


_PARENS = re.compile(r"\(([^)]*)\)")


def names_of(entry: Entry) -> list[str]:
    """Title, aliases, and the parts of a title like 'Business as usual (BAU)'."""
    names = [entry.title, *entry.aliases]
    if _PARENS.search(entry.title):
        names += [_PARENS.sub(" ", entry.title), *_PARENS.findall(entry.title)]
    return names


class Matcher:
    """Everything that can be worked out per knowledge base is worked out here, once."""

    def __init__(self, entries: Sequence[Entry], synonyms: Synonyms, tuning: Tuning | None = None):
        self.entries = tuple(entries)
        self.tuning = tuning or Tuning()
        texts = [" ".join((e.answer, *e.tags)) for e in self.entries]
        self.analyzer = Analyzer(synonyms, (n for e in self.entries for n in names_of(e)), texts)
        self._names: list[list[tuple[str, ...]]] = [
            [tuple(t) for t in dict.fromkeys(tuple(self.analyzer.name_terms(n)) for n in names_of(e)) if t]
            for e in self.entries
        ]
        self._name_postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._text_postings: dict[str, list[int]] = defaultdict(list)
        self._index(texts)
        self._name_weight = [[sum(self.idf[t] for t in name) for name in names] for names in self._names]

    def _index(self, texts: list[str]) -> None:
        df: dict[str, int] = defaultdict(int)
        for e, names in enumerate(self._names):
            for n, name in enumerate(names):
                for term in name:
                    self._name_postings[term].append((e, n))
            text_terms = set(self.analyzer.terms(texts[e]))
            for term in text_terms:
                self._text_postings[term].append(e)
            for term in text_terms.union(*names):
                df[term] += 1
        total = max(len(self.entries), 1)
        self.idf = {t: math.log(1 + total / n) for t, n in df.items()}
        self._unknown = self.tuning.unknown_weight * math.log(1 + total)
        self.vocabulary = Vocabulary(df, protected=self.analyzer.acronyms)

    def match(self, question: str) -> Outcome:
        ranked = self.rank(question)
        return self.decide(question, ranked)

    def rank(self, question: str) -> list[Candidate]:
        """Every entry the question touches, best first, scored 0-100."""
        terms = self.analyzer.terms(question)
        if not terms:
            return []
        hits = _Hits(len(terms))
        weights = [self._collect(i, term, hits) for i, term in enumerate(terms)]
        form = question_form(question)
        scored = [(self._score(e, hits, weights, form), e) for e in self._candidates(hits, weights)]
        scored.sort(key=lambda se: (-se[0], se[1]))
        return [Candidate(self.entries[e], round(s, 1)) for s, e in scored if s > 0]

    def _collect(self, i: int, term: str, hits: _Hits) -> float:
        """Record where query term i (or what it may mean) appears; return the term's weight."""
        matches = self.vocabulary.lookup(term)
        for known, strength in matches:
            for e, n in self._name_postings.get(known, ()):
                hits.name(e, n, i, known, strength)
            for e in self._text_postings.get(known, ()):
                hits.text(e, i, strength)
        if not matches:
            return self._unknown
        known, strength = matches[0]
        return self.idf[known] if strength == 1.0 else max(self.idf[known], self._unknown * (1 - strength))

    def _candidates(self, hits: _Hits, weights: list[float]) -> set[int]:
        """Entries hit by name, plus the best few hit only in their answer text."""
        text_only = [e for e in hits.text_hits if e not in hits.names]
        best = heapq.nlargest(
            self.tuning.shortlist,
            text_only,
            key=lambda e: sum(weights[i] * s for i, s in hits.text_hits[e].items()),
        )
        return set(hits.names).union(best)

    def _score(self, e: int, hits: _Hits, weights: list[float], form: Form) -> float:
        """The best of the entry's names, each judged with the rest of the entry as context."""
        t = self.tuning
        names = hits.names.get(e, {})
        anywhere = hits.by_entry(e, t.other_name_trust, t.text_trust)
        total = sum(weights)
        score = (
            100 * sum(w * anywhere.get(i, 0.0) for i, w in enumerate(weights)) / total * (1 - t.name_share)
        )
        for n, (by_term, found) in names.items():
            explained = sum(w * max(by_term.get(i, 0.0), anywhere.get(i, 0.0)) for i, w in enumerate(weights))
            recall = self._recall(e, n, found)
            score = max(score, 100 * explained / total * (1 - t.name_share + t.name_share * recall))
        if form and form != self.entries[e].kind:
            score *= t.form_penalty
        return score

    def _recall(self, e: int, n: int, found: dict[str, float]) -> float:
        """How much of one name the question covers (weighted by how specific each of its terms is)."""
        total = self._name_weight[e][n]
        return min(1.0, sum(self.idf[term] * s for term, s in found.items()) / total) if total else 0.0

    def decide(self, question: str, ranked: list[Candidate]) -> Outcome:
        t = self.tuning
        if not ranked or ranked[0].score < t.suggest_at:
            return NotKnown(question, tuple(ranked[:3]))
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if ranked[0].score >= t.answer_at and ranked[0].score - runner_up >= t.margin:
            return Answer(question, ranked[0])
        close = tuple(c for c in ranked[:3] if c.score >= t.suggest_at)
        return Suggestions(question, close)


class _Hits:
    """Per question: the best strength with which each entry (and each of its names) explains each term."""

    def __init__(self, size: int):
        self.size = size
        # entry -> name -> ({query term index: strength}, {name term: strength})
        self.names: dict[int, dict[int, tuple[dict[int, float], dict[str, float]]]] = {}
        self.text_hits: dict[int, dict[int, float]] = {}

    def name(self, e: int, n: int, i: int, known: str, strength: float) -> None:
        by_term, found = self.names.setdefault(e, {}).setdefault(n, ({}, {}))
        _keep_best(by_term, i, strength)
        _keep_best(found, known, strength)

    def text(self, e: int, i: int, strength: float) -> None:
        _keep_best(self.text_hits.setdefault(e, {}), i, strength)

    def by_entry(self, e: int, name_trust: float, text_trust: float) -> dict[int, float]:
        """How well the entry as a whole (any name, or its answer) explains each query term."""
        best = {i: text_trust * s for i, s in self.text_hits.get(e, {}).items()}
        for by_term, _ in self.names.get(e, {}).values():
            for i, s in by_term.items():
                _keep_best(best, i, name_trust * s)
        return best


def _keep_best(scores: dict, key: object, strength: float) -> None:
    if scores.get(key, 0.0) < strength:
        scores[key] = strength
