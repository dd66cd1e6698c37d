"""Deciding between answering, suggesting and not knowing, from the scores and what lies behind them.

A wrong confident answer is worse than "I don't know". A close call is settled only when the leader
explains the whole question, and explains it better than each close rival; otherwise it becomes
"Did you mean".
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.model import Answer, Candidate, NotKnown, Outcome, Suggestions
from bot.answering.tuning import Tuning


def decide(question: str, scored: list[Scored], t: Tuning) -> Outcome:
    """Answer only a clear winner: when the runner-up is close, the leader is often the wrong one,
    unless it explains the whole question, and better than each close rival (it is then the better
    fit, not a coin toss). Never answer a leader that leaves unexplained a word the knowledge base never
    uses: that word is likely what the question is really about ('how many days until christmas'); nor
    one that only its answer text recommends: an answer mentions many things it is not about."""
    ranked = [s.candidate for s in scored]
    if not ranked or ranked[0].score < t.suggest_at:
        return NotKnown(question, tuple(ranked[:3]))
    leader = scored[0]
    close = [s for s in scored[1:] if leader.candidate.score - s.candidate.score < t.margin]
    if (
        leader.candidate.score >= t.answer_at
        and not leader.evidence.strays
        and not leader.modifier_only
        and leader.evidence.named
        and (leader.form_fits or leader.evidence.recall >= t.unfit_recall)
        and all(leader.evidence.outdoes(s.evidence, t.recall_lead, t.named_lead) for s in close)
    ):
        return Answer(question, leader.candidate)
    return Suggestions(question, tuple(c for c in ranked[:3] if c.score >= t.suggest_at))


@dataclass(frozen=True)
class Evidence:
    """What an entry explains of a question, which the decision weighs beside the score."""

    explains: dict[int, float]  # query terms the entry explains solidly, and how strongly
    named: frozenset[int]  # those its best name explains itself (not its answer or another name)
    recall: float  # how much of its best name the question covers
    complete: bool  # it explains every query term
    shares: tuple[float, ...]  # each query term's part of the question's weight
    strays: frozenset[int]  # query terms the knowledge base never uses, that this entry leaves unexplained

    @classmethod
    def of(
        cls,
        anywhere: dict[int, float],
        by_name: dict[int, float],
        recall: float,
        shares: tuple[float, ...],
        strangers: frozenset[int],
        heads: dict[int, int],
        solid: float,
    ) -> Evidence:
        """`heads`: the term each number in the question belongs to ('section' of 'section 3'): a number
        explained without its word is another thing's number. `solid`: the strength at which a term
        counts as explained."""
        merged = {i: max(by_name.get(i, 0.0), anywhere.get(i, 0.0)) for i in range(len(shares))}
        explains = {i: s for i, s in merged.items() if s >= solid}
        named = frozenset(i for i, s in by_name.items() if s >= solid)
        strays = frozenset(i for i in strangers if not merged[i] or not merged.get(heads.get(i, i)))
        return cls(explains, named, recall, len(explains) == len(shares), shares, strays)

    def outdoes(self, other: Evidence, recall_lead: float, named_lead: float) -> bool:
        """Explains every query term, each as strongly as `other` does; and explains the question better
        than `other` does (a `named_lead` part of it, by name or by answer: the rival leaving a term
        unexplained is what makes it the worse fit), or clearly more of its own name. A leader that
        leaves part of the question unexplained never settles a close call."""
        if not self.complete or any(self.explains.get(i, 0.0) < s - 0.05 for i, s in other.explains.items()):
            return False
        lead = sum(self.shares[i] * (s - other.explains.get(i, 0.0)) for i, s in self.explains.items())
        return lead >= named_lead or self.recall >= other.recall + recall_lead


@dataclass(frozen=True)
class Scored:
    """A ranked candidate and the evidence behind it."""

    candidate: Candidate
    evidence: Evidence
    form_fits: bool = True  # the question's form ('what is', 'how do I') does not ask for the other kind
    modifier_only: bool = False  # it names what qualifies the leader's term, not the term ('sepsis')
