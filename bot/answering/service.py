"""The answering feature as every adapter uses it: ask, record what it could not answer, take feedback."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bot.answering.knowledge import KnowledgeBase
from bot.answering.model import Answer, Entry, NotKnown, Outcome
from bot.clock import Clock
from bot.filewatch import PollingWatcher, Signature, signature
from bot.markup import shorten
from bot.plaintext import storable
from bot.privacy import Redaction, Redactor
from bot.store import answers
from bot.store.database import Database
from bot.yamlsource import InvalidFile

log = logging.getLogger(__name__)
UNMATCHED = "did-you-mean"  # the source of a question recorded when no suggestion fitted
# Where one question ends and another starts: after a question mark, or at a line break. A run of spaces
# is tried once, from its start (not again from each space in it): linear on a message of spaces.
_QUESTIONS = re.compile(r"(?<=\?)\s+|(?<!\s)\s*\n\s*")
_MOST_QUESTIONS = 3  # more than this in one message is a pasted text, not a list of questions
RECORDED_CHARS = 2000  # a question is a sentence or two: of a pasted document, its start says what it was


@dataclass(frozen=True)
class AskResult:
    outcome: Outcome
    redaction: Redaction  # tells the asker privately when identifiers were removed
    # A message of several questions that each have an answer of their own ('what is SNOMED? how do I
    # get a login?'): those answers, in order; otherwise empty. The whole may be answered as one of them.
    each: tuple[Answer, ...] = ()


class AnsweringService:
    def __init__(
        self,
        folder: Path,
        kb: KnowledgeBase,
        seen: Signature,
        *,
        db: Database,
        redactor: Redactor,
        clock: Clock,
    ):
        """`seen` is what the folder looked like before `kb` was read from it."""
        self.folder = folder
        self._kb = kb
        self._db = db
        self._redactor = redactor
        self._clock = clock
        self._signature = seen  # what the knowledge base in use was read from
        self._changing = seen  # what the folder looked like at the last check
        self._watcher: PollingWatcher | None = None

    @classmethod
    def from_directory(
        cls, path: Path, *, db: Database, redactor: Redactor, clock: Clock, watch: bool = False
    ) -> AnsweringService:
        """Raises InvalidFile with every problem when the knowledge base is invalid."""
        seen = signature(path)
        service = cls(path, KnowledgeBase.load(path), seen, db=db, redactor=redactor, clock=clock)
        if watch:
            service._watcher = PollingWatcher(service.reload_if_changed)
            service._watcher.start()
        return service

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._kb

    def ask(
        self, question: str, *, source: str, user_id: str | None = None, message_key: str | None = None
    ) -> AskResult:
        """Answer a person; identifiers are removed first, and a question it cannot answer is recorded,
        once per `message_key` (the message it came in) however often that message is delivered."""
        redaction = self._redactor.redact(storable(question))
        outcome = self.match(redaction.text)
        if each := self.each_answered(redaction.text):
            return AskResult(outcome, redaction, each)
        if isinstance(outcome, NotKnown):
            when = self._clock.now()
            row = answers.record_unanswered(
                self._db, shorten(redaction.text, RECORDED_CHARS), when, source, user_id, message_key
            )
            outcome = NotKnown(outcome.question, outcome.near, row)
        return AskResult(outcome, redaction)

    def each_answered(self, text: str) -> tuple[Answer, ...]:
        """The answers to each question of a message that asks two or three, when every one has its own
        answer and no two the same; otherwise none, and the message is read as one question."""
        parts = [part for part in _QUESTIONS.split(text) if any(c.isalpha() for c in part)]
        if not 2 <= len(parts) <= _MOST_QUESTIONS:
            return ()
        outcomes = [self.match(part) for part in parts]
        answered = tuple(o for o in outcomes if isinstance(o, Answer))
        distinct = len({a.best.entry.id for a in answered}) == len(parts)
        return answered if len(answered) == len(parts) and distinct else ()

    def record_unmatched(self, question: str, *, user_id: str | None, message_key: str | None = None) -> int:
        """Record a question none of whose suggestions was what the person meant (they said so), once
        per `message_key`; the text is the question as the reply showed it, already cleaned."""
        key = f"{UNMATCHED}:{message_key}" if message_key else None  # never a question's own key
        when = self._clock.now()
        return answers.record_unanswered(
            self._db, shorten(question, RECORDED_CHARS), when, UNMATCHED, user_id, key
        )

    def match(self, question: str) -> Outcome:
        return self._kb.match_redacted(question)

    def entry(self, entry_id: str) -> Entry | None:
        return self._kb.entries.get(entry_id)

    def record_feedback(self, entry_id: str, question: str, helpful: bool, user_id: str | None) -> None:
        clean = self._redactor.clean(storable(question))
        answers.record_feedback(self._db, entry_id, clean, helpful, user_id, self._clock.now())

    def pass_to_support(self, unanswered_id: int) -> answers.Unanswered | None:
        """The question as recorded, whole; None when there is no such question."""
        return answers.mark_passed_to_support(self._db, unanswered_id)

    def reload_if_changed(self) -> bool:
        """Swap in an edited knowledge base once the folder has stopped changing: a file copied slowly
        (over a network share, a folder by `cp` or `git pull`) reads as valid YAML when cut off inside
        an answer, and would be served cut short and with entries missing. After an invalid edit keep
        answering from the last good one."""
        current, last = signature(self.folder), self._changing
        self._changing = current
        if current == self._signature or current != last:
            return False  # unchanged, or changed since the last check: look again at the next
        try:
            kb: KnowledgeBase | InvalidFile = KnowledgeBase.load(self.folder)
        except InvalidFile as exc:
            kb = exc
        if (after := signature(self.folder)) != current:
            self._changing = after  # a copy began while it was read: wait until it has stopped
            return False
        self._signature = current
        if isinstance(kb, InvalidFile):
            log.error("knowledge base change not applied, still using the last good version:")
            for problem in kb.problems:
                log.error("  %s", problem)
            return False
        self._kb = kb
        log.info("knowledge base reloaded: %d entries", len(kb))
        return True

    def close(self) -> None:
        if self._watcher:
            self._watcher.stop()
            self._watcher = None
