"""Example questions to show staff (in the help, and in reply to a greeting), taken from the knowledge
base in use and checked against it. A trust's own knowledge base gives its own examples, which a fixed
'what is SNOMED CT?' would not: it may have no such entry, and an example that is not answered outright
('Did you mean', or 'I don't know') teaches staff that the bot does not work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answering.model import Entry, Kind, answered_with

if TYPE_CHECKING:  # the Slack blocks name Examples without loading a matcher
    from bot.answering.knowledge import KnowledgeBase

_TRIES = 8  # candidates matched for each kind, at most: a knowledge base is only scanned, not all asked
_LONGEST = 60  # characters: an example is read at a glance, in a line that says more


@dataclass(frozen=True)
class Examples:
    """One question of each kind the knowledge base answers; None where it answers none (or has none)."""

    jargon: str | None = None  # 'what is BAU?'
    howto: str | None = None  # 'how do I get a login?'


def example_questions(kb: KnowledgeBase) -> Examples:
    """Examples for this knowledge base; `KnowledgeBase.examples` works them out once for each."""
    return Examples(jargon=_answered(kb, "jargon"), howto=_answered(kb, "howto"))


def _answered(kb: KnowledgeBase, kind: Kind) -> str | None:
    """The shortest question for an entry of this kind that the knowledge base answers with that entry
    (a short one is read at a glance), one that opens with 'how' first (it reads as a how-to)."""
    of_kind = (entry for entry in kb.entries.values() if entry.kind == kind)
    asked = [(entry, question) for entry in of_kind if (question := _question(entry))]
    asked.sort(key=lambda pair: (not pair[1].lower().startswith("how "), len(pair[1])))
    return next((q for entry, q in asked[:_TRIES] if _answers(kb, q, entry)), None)


def _question(entry: Entry) -> str | None:
    """How staff would ask for the entry: 'what is BAU?' for a term, the title for a how-to that is a
    question ('How do I get a login?'). None when there is no short way to put it."""
    title = " ".join(entry.title.split())
    if not title or len(title) > _LONGEST or "`" in title:  # a backtick would break the code span shown
        return None
    if title.endswith("?"):
        return _lower_first(title)
    return f"what is {title}?" if entry.kind == "jargon" else None


def _lower_first(title: str) -> str:
    """'How do I ...?' as typed in the middle of a sentence; 'EPR downtime: ...?' keeps its capitals."""
    first = title.split()[0]
    return title[0].lower() + title[1:] if first.isalpha() and first[1:].islower() else title


def _answers(kb: KnowledgeBase, question: str, entry: Entry) -> bool:
    return answered_with(kb.match(question)) == entry.id
