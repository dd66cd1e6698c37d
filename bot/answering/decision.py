"""Deciding between answering, suggesting and not knowing, from the scores and what lies behind them.

A wrong confident answer is worse than "I don't know". A close call is settled only when the leader
explains the whole question, and explains it better than each close rival; a leader those rules turn
down is answered only when a model of all its signals makes it very likely right, or when its answer
text alone explains the question and nothing else comes near. Otherwise it becomes "Did you mean".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.answering.model import Answer, Candidate, NotKnown, Outcome, Suggestions
from bot.answering.tuning import Tuning


def decide(question: str, scored: list[Scored], t: Tuning) -> Outcome:
    """Answer a name asked word for word, a sure leader, or one the evidence as a whole makes likely
    right; otherwise offer the best few as "Did you mean", or say nothing is good enough. A question
    that is one of an entry's names, and no other's, is what the trust wrote down for that entry: a rival
    sharing its words ('can't log in' beside 'how do I get a login') does not make it a close call."""
    ranked = [s.candidate for s in scored]
    if not ranked or ranked[0].score < t.suggest_at:
        return NotKnown(question, tuple(ranked[:3]))
    if scored[0].verbatim or sure(scored, t) or likely(scored, t) or told_in_answer(scored, t):
        return Answer(question, ranked[0])
    return Suggestions(question, tuple(c for c in ranked[:3] if c.score >= t.suggest_at))


def better_fit_first(scored: list[Scored], t: Tuning) -> list[Scored]:
    """The ranking, with a close rival that explains the question better than the leader put first: it
    explains every term, each as strongly, and more of the question or of its own name (`outdoes`),
    and the question's form asks for its kind as much. Its score trails only by how the question is
    worded or by what else it names ('when intensive support finishes': the entry named 'when does
    intensive support end', not 'hypercare', which names the support alone)."""
    leader = scored[0] if scored else None
    if leader is None or leader.verbatim:
        return scored
    for k, rival in enumerate(scored[1:], 1):
        if leader.candidate.score - rival.candidate.score >= t.margin:
            break
        if (rival.form_fits or not leader.form_fits) and rival.evidence.outdoes(
            leader.evidence, t.recall_lead, t.named_lead
        ):
            return [rival, *scored[:k], *scored[k + 1 :]]
    return scored


def sure(scored: list[Scored], t: Tuning) -> bool:
    """Answer only a clear winner: when the runner-up is close, the leader is often the wrong one,
    unless it explains the whole question, and better than each close rival (it is then the better
    fit, not a coin toss). Never answer a leader that leaves unexplained a word the knowledge base never
    uses: that word is likely what the question is really about ('how many days until christmas'); nor
    one that only its answer text recommends: an answer mentions many things it is not about. Nor, in a
    close call, one whose answer text alone explains words that another entry's whole name covers: the
    question names that entry's subject, and the leader's names only meet its rarer words ('when is go
    live happening' of 'what happened to my issue', whose answer mentions `/golive`)."""
    leader = scored[0]
    rivals = _rivals(scored, t)
    return (
        leader.candidate.score >= t.answer_at
        and not leader.evidence.strays
        and _named_for_itself(leader, t)
        and all(leader.evidence.outdoes(s.evidence, t.recall_lead, t.named_lead) for s in rivals)
        and not (rivals and leader.upstaged)
    )


def _rivals(scored: list[Scored], t: Tuning) -> list[Scored]:
    """The candidates close behind the leader. One of the kind the question's form argues against is no
    rival to a leader of the asked kind that explains the whole question and names all it names: the
    form settles it ('where is the floorwalker': how to find one, not what one is)."""
    leader = scored[0]
    close = [s for s in scored[1:] if leader.candidate.score - s.candidate.score < t.margin]
    if not (leader.form_fits and leader.evidence.complete):
        return close
    return [s for s in close if s.form_fits or not leader.evidence.named >= s.evidence.named]


def likely(scored: list[Scored], t: Tuning) -> bool:
    """A clear leader the model finds very likely right."""
    return clear_lead(scored, t) and likely_right(scored, t) >= t.likely_at


def told_in_answer(scored: list[Scored], t: Tuning) -> bool:
    """A leader no name of which the question uses, whose answer text explains every word of the
    question (its score stays below a named leader's) far better than any other entry does. A trust
    that writes few aliases puts the words staff use in its answers ('the weekend the old system is
    switched off'); a wide lead, no word left unexplained and three words at least keep what an answer
    mentions in passing (a word, a phrase: 'may send people to an emergency department') from being
    taken for what it is about."""
    leader = scored[0]
    return (
        not leader.evidence.named
        and leader.evidence.complete
        and len(leader.evidence.explains) >= 3
        and leader.candidate.score >= t.answer_at
        and _lead(scored) >= t.text_lead
        and leader.form_fits
        and not leader.modifier_only
        and not leader.displaced
    )


def likely_right(scored: list[Scored], t: Tuning) -> float:
    """The chance that the leader is right, by a logistic model of its signals fit on the tune
    questions (bench/fit_confidence.py). The rules of `sure` turn down many right leaders of long
    questions: detail the entry need not explain ('on ward 6 since 7am') lowers the score, and an odd
    word the knowledge base lacks counts as a stray. 0 for a leader the model does not speak for."""
    if not modelled(scored[0], t):
        return 0.0
    z = t.likely_bias + sum(w * x for w, x in zip(t.likely_weights, signals(scored, t), strict=True))
    return 1 / (1 + math.exp(-z))


def modelled(leader: Scored, t: Tuning) -> bool:
    """The model speaks only for a leader `sure` could also answer on its own terms, and never for one
    whose name the question fills with another thing ('how many days until christmas')."""
    return _named_for_itself(leader, t) and not leader.displaced


def _named_for_itself(leader: Scored, t: Tuning) -> bool:
    """Never a leader only its answer text recommends (an answer mentions many things it is not about),
    one that names only what qualifies a term ('sepsis' of 'sepsis alerts'), or one of the kind the
    question's form argues against, unless the question covers most of its name."""
    return (
        bool(leader.evidence.named)
        and not leader.modifier_only
        and (leader.form_fits or leader.evidence.recall >= t.unfit_recall)
    )


def clear_lead(scored: list[Scored], t: Tuning) -> bool:
    """No rival within the margin. When the top two are close the top one is often wrong, so a close
    call is settled by the rules of `sure` alone, however likely the model finds the leader."""
    return _lead(scored) >= t.margin


def signals(scored: list[Scored], t: Tuning) -> tuple[float, ...]:
    """What the model weighs, in the order of `Tuning.likely_weights`: the leader's score against the
    bar, its lead over the runner-up (capped: in a small knowledge base nothing else may match at all),
    the part of the question left as strays, the number of terms, how much of its name the question
    covers, and whether the question's form fits its kind."""
    leader = scored[0]
    ev = leader.evidence
    return (
        leader.candidate.score - t.answer_at,
        min(_lead(scored), t.likely_lead_cap),
        sum(ev.shares[i] for i in ev.strays),
        float(len(ev.shares)),
        ev.recall,
        float(leader.form_fits),
    )


def _lead(scored: list[Scored]) -> float:
    """The leader's lead over the runner-up: its whole score when nothing else is in the running."""
    return scored[0].candidate.score - (scored[1].candidate.score if len(scored) > 1 else 0.0)


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
    verbatim: bool = False  # the question is word for word a name of this entry, and of no other
    displaced: bool = False  # a word the knowledge base never uses stands in place of a word of its name
    upstaged: bool = False  # its answer text alone explains a word that another entry's whole name covers
