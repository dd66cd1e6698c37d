"""`golive-bot ask`: the answering feature from the command line, for people and for scripts.

A person asking (the default) gets the same answer Slack would give, and a question the bot cannot
answer is recorded for the support team, as in Slack. `--json` is for scripts and benchmarks: one JSON
object per line, and nothing is recorded, so it needs no database.
"""

from __future__ import annotations

import argparse
import io
import json
import shlex
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from bot.answering.model import Answer, Candidate, NotKnown, Outcome, Suggestions
from bot.answering.smalltalk import Talk, small_talk
from bot.config import Settings
from bot.privacy import INVISIBLE

if TYPE_CHECKING:
    from bot.answering.knowledge import KnowledgeBase

EXAMPLE = 'golive-bot ask "what is SNOMED"'
THANKS = "You're welcome. Ask again whenever you have another question.\n"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ask",
        help="answer questions from the knowledge base (one per line on stdin)",
        description="Prints the answer the bot would give, its choices when it is unsure, or that it does "
        "not know (the question is then recorded, as in Slack, unless --no-record or --json). Standard input "
        "is read as UTF-8 (a BOM is skipped, CRLF line ends are fine, other bytes become U+FFFD). "
        "With --json every input line gets exactly one output line, in order, so scripts can pair them: a "
        'blank line gets {"question": "", "match": null, "suggestions": []}; without --json blank lines are '
        "skipped. NHS numbers are removed before anything is matched, printed or recorded.",
    )
    p.add_argument(
        "question", nargs="*", help="the question; without it, read one question per line from stdin"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per line; records nothing")
    p.add_argument("--no-record", action="store_true", help="do not record unanswered questions")
    p.set_defaults(func=run, needs_knowledge=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.question and not INVISIBLE.sub("", " ".join(args.question)).strip():
        print(f"golive-bot ask: the question is empty; type it after ask, e.g. {EXAMPLE}", file=sys.stderr)
        return 2
    if not args.question and sys.stdin is None:
        print(
            f"golive-bot ask: standard input is closed; type the question after ask, e.g. {EXAMPLE}",
            file=sys.stderr,
        )
        return 2
    if sys.stdout is None:  # print() would drop every answer without a word
        print(
            "golive-bot ask: standard output is closed, so there is nowhere to print answers", file=sys.stderr
        )
        return 2
    if not args.question and sys.stdin.isatty():
        print("Type one question per line; Ctrl-D to finish.", file=sys.stderr)
    questions = [_readable(" ".join(args.question)).strip()] if args.question else _lines(sys.stdin)
    if args.json:
        show: Callable[[Outcome], str] = as_json
        ask, knowledge, close = _matcher_only(settings)
    else:
        show = as_text
        ask, knowledge, close = _matcher_only(settings) if args.no_record else _recording(settings)
    try:
        for question in questions:
            if not question:  # nothing to answer or record; a script still gets its line
                if args.json:
                    print(as_json(NotKnown("")), flush=True)
                continue
            if not args.json and (talk := small_talk(question)):  # --json: the matcher's null, as ever
                print(small_talk_text(talk, knowledge()), flush=True)
                continue
            outcome, note = ask(question)
            if note:
                print(note, file=sys.stderr)
            print(show(outcome), flush=True)
    finally:
        close()
    return 0


Ask = Callable[[str], tuple[Outcome, str]]
Knowledge = Callable[[], "KnowledgeBase"]  # the knowledge base answering, for its example questions


def small_talk_text(talk: Talk, kb: KnowledgeBase) -> str:
    """As Slack and the console reply to small talk: no 'I don't know', nothing recorded, a greeting
    greeted back, and an example to try that this knowledge base answers."""
    if talk == "thanks":
        return THANKS
    examples = kb.examples
    tried = examples.jargon or examples.howto
    example = f"golive-bot ask {shlex.quote(tried)}" if tried else EXAMPLE
    hello = "Hi! " if talk == "greeting" else ""
    return f"{hello}Ask me what a go-live term means or how to do something, e.g. {example}\n"


def _matcher_only(settings: Settings) -> tuple[Ask, Knowledge, Callable[[], None]]:
    """No database at all: quick to start, nothing written."""
    from bot.answering.knowledge import KnowledgeBase
    from bot.plaintext import storable

    kb = KnowledgeBase.load(settings.knowledge_dir)
    redactor = settings.org.redactor()

    def ask(question: str) -> tuple[Outcome, str]:
        redaction = redactor.redact(storable(question))  # as the service does: NULs hide nothing
        return kb.match_redacted(redaction.text), redaction.explain() if redaction.changed else ""

    return ask, lambda: kb, lambda: None


def _recording(settings: Settings) -> tuple[Ask, Knowledge, Callable[[], None]]:
    """As in Slack: unanswered questions are recorded (identifiers removed) in the configured database."""
    from bot.answering.service import AnsweringService
    from bot.clock import SystemClock
    from bot.store.database import Database

    db = Database(settings.database_url)
    db.migrate()
    service = AnsweringService.from_directory(
        settings.knowledge_dir, db=db, redactor=settings.org.redactor(), clock=SystemClock()
    )

    def ask(question: str) -> tuple[Outcome, str]:
        result = service.ask(question, source="cli")
        return result.outcome, result.redaction.explain() if result.redaction.changed else ""

    def close() -> None:
        service.close()
        db.dispose()

    return ask, lambda: service.knowledge, close


def _lines(stream: TextIO) -> Iterator[str]:
    """Each line, stripped; blank ones kept as "" so that output lines pair with input lines.

    Read as UTF-8 whatever the locale, a line ending only at a line feed: the same questions on every
    machine, and a stray byte becomes U+FFFD instead of a UnicodeDecodeError traceback.
    """
    buffer = getattr(stream, "buffer", None)
    lines: Iterable[str] = (
        io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="replace", newline="\n") if buffer else stream
    )
    return (line.strip() for line in lines)


def _readable(text: str) -> str:
    """Arguments that were not UTF-8 arrive as lone surrogates, which JSON parsers and databases refuse."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _scored(candidate: Candidate) -> dict[str, object]:
    return {"id": candidate.entry.id, "score": candidate.score}


def as_json(outcome: Outcome) -> str:
    """The scripting contract: match is null whenever the bot would not answer outright."""
    best = outcome.best if isinstance(outcome, Answer) else None
    offered = outcome.candidates if isinstance(outcome, Suggestions) else ()
    return json.dumps(
        {
            "question": outcome.question,
            "match": _scored(best) if best else None,
            "suggestions": [_scored(c) for c in offered],
        }
    )


def as_text(outcome: Outcome) -> str:
    if isinstance(outcome, Answer):
        return f"{outcome.best.entry.title}\n{outcome.best.entry.answer}\n"
    if isinstance(outcome, Suggestions):
        lines = [f"  {n}. {c.entry.title}  (id: {c.entry.id})" for n, c in enumerate(outcome.candidates, 1)]
        return "Did you mean:\n" + "\n".join(lines) + "\nAsk again using one of these.\n"
    return _not_known(outcome)


def _not_known(outcome: NotKnown) -> str:
    recorded = (
        f" I've recorded the question (#{outcome.unanswered_id}) so the knowledge base can be improved."
        if outcome.unanswered_id is not None
        else ""
    )
    return (
        f"I don't know that one yet.{recorded} Try asking in other words, or contact the go-live "
        "support team.\n"
    )
