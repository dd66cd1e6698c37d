"""A loaded, ready-to-query knowledge base: entries by id plus the matcher built over them."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from bot.answering.examples import Examples, example_questions
from bot.answering.loader import load_knowledge
from bot.answering.matcher import Matcher
from bot.answering.model import Entry, Outcome
from bot.answering.synonyms import BUILT_IN, Synonyms
from bot.answering.tuning import Tuning
from bot.privacy import without_markers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnowledgeBase:
    """Immutable, so a reload can swap a whole new one in while questions are being answered."""

    entries: dict[str, Entry]
    matcher: Matcher

    @classmethod
    def build(cls, entries: Sequence[Entry], synonyms: Sequence[Sequence[str]] = ()) -> KnowledgeBase:
        """The trust's synonym groups extend (and override) the built-in NHS shorthand."""
        matcher = Matcher(entries, Synonyms.build((*BUILT_IN, *synonyms)), Tuning())
        return cls({e.id: e for e in entries}, matcher)

    @classmethod
    def load(cls, folder: Path) -> KnowledgeBase:
        """Raises InvalidFile with every problem when the folder does not hold a valid knowledge base."""
        with _collector_paused():
            knowledge = load_knowledge(folder)
            for warning in knowledge.warnings:
                log.warning("%s", warning)
            return cls.build(knowledge.entries, knowledge.synonyms)

    @cached_property
    def examples(self) -> Examples:
        """Questions to show staff, worked out once: a reload builds a new knowledge base, with its own."""
        return example_questions(self)

    def match(self, question: str) -> Outcome:
        return self.matcher.match(question)

    def match_redacted(self, question: str) -> Outcome:
        """The outcome for text the privacy guard has cleaned: its removal markers must not steer the
        match ('[NHS number removed]' is not about numbers), so every adapter scores alike."""
        return replace(self.matcher.match(without_markers(question)), question=question)

    def __len__(self) -> int:
        return len(self.entries)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes hundreds of thousands of small objects and no cycles; the cycle collector would
    scan them again and again (a quarter of the load time at 10,000 entries) for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
