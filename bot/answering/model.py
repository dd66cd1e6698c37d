"""The shapes a question can end in. Adapters (Slack, CLI) render these; they never match text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["jargon", "howto"]


@dataclass(frozen=True)
class Entry:
    id: str
    kind: Kind
    title: str
    answer: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    score: float  # 0-100


@dataclass(frozen=True)
class Answer:
    """Confident enough to answer."""

    question: str
    best: Candidate


@dataclass(frozen=True)
class Suggestions:
    """A close call: offer 'Did you mean' with up to three candidates, best first."""

    question: str
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class NotKnown:
    """Nothing good enough: say so honestly. `unanswered_id` is set once the question is recorded."""

    question: str
    near: tuple[Candidate, ...] = ()
    unanswered_id: int | None = None


Outcome = Answer | Suggestions | NotKnown


def answered_with(outcome: Outcome) -> str | None:
    """The id of the entry the outcome answers with; None for "Did you mean" or "I don't know"."""
    return outcome.best.entry.id if isinstance(outcome, Answer) else None


def gist(outcome: Outcome) -> tuple[str, ...]:
    """What a reply to the outcome offers, its kind and the entries it names: two questions with the
    same gist get the same reply."""
    if isinstance(outcome, Answer):
        return ("answer", outcome.best.entry.id)
    if isinstance(outcome, Suggestions):
        return ("suggestions", *(c.entry.id for c in outcome.candidates))
    return ("not known",)
