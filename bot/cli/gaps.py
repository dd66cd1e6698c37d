"""`golive-bot gaps`: the questions the bot could not answer, as knowledge-base stubs ready to fill in, and
the phrasings existing entries should answer by themselves."""

from __future__ import annotations

import argparse
import sys

from bot.answering.gaps import (
    alias_hints,
    group_questions,
    render_alias_hints,
    render_stubs,
    still_unanswered,
    stubs_for,
)
from bot.answering.knowledge import KnowledgeBase
from bot.cli.options import whole_number
from bot.cli.report import UsageError, add_period_arguments, open_database, period_from
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.store.answers import helped_between, unanswered_between
from bot.yamlsource import InvalidFile


def _knowledge(settings: Settings) -> KnowledgeBase | None:
    """The current knowledge base, so stubs skip what it answers and avoid its ids; None if unreadable."""
    try:
        return KnowledgeBase.load(settings.knowledge_dir)
    except InvalidFile as exc:
        print(
            f"Could not read the knowledge base ({exc.problems[0]}); the stubs may repeat its ids or "
            "answered questions. Run `golive-bot validate` to see every problem.",
            file=sys.stderr,
        )
        return None


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "gaps",
        help="unanswered questions as knowledge-base YAML stubs",
        description="Groups the questions the bot could not answer when they ask the same thing, most "
        "asked first, and prints each group as a knowledge-base entry to complete: write the answer in "
        "place of TODO, check kind and title, add it to a knowledge file, then run `golive-bot validate`. "
        "After the stubs, as comments: questions people said an existing entry answered though the bot "
        "did not answer them with it by itself, to add to that entry's aliases.",
    )
    add_period_arguments(p, "default: the last 7 days")
    p.add_argument(
        "--min-count",
        type=whole_number(1),
        default=1,
        metavar="N",
        help="only questions asked (or phrasings confirmed) N times or more",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings, clock: Clock | None = None) -> int:
    try:
        period = period_from(args, settings, clock or SystemClock())
    except UsageError as exc:
        print(f"golive-bot gaps: {exc}", file=sys.stderr)
        return 2
    db = open_database(settings)
    try:
        asked = unanswered_between(db, period.start, period.end)
        helped = helped_between(db, period.start, period.end)
    finally:
        db.dispose()
    redactor = settings.org.redactor()
    groups = [g for g in group_questions(asked, redactor) if g.count >= args.min_count]
    kb = _knowledge(settings)
    open_groups = still_unanswered(groups, kb) if kb is not None else groups
    if len(open_groups) < len(groups):
        left_out = len(groups) - len(open_groups)
        print(f"Left out {left_out} group(s) that the knowledge base answers now.", file=sys.stderr)
    if not groups:
        print(
            f"No unanswered questions asked {args.min_count} or more times from {period.first} to "
            f"{period.last}; widen the dates with --from/--to or lower --min-count.",
            file=sys.stderr,
        )
    stubs = stubs_for(open_groups, kb.entries.values() if kb is not None else ())
    if stubs:
        print(render_stubs(stubs, settings.org.timezone), end="")
    hints = alias_hints(helped, kb, redactor, args.min_count, stubs) if kb is not None else []
    if hints:
        print(render_alias_hints(hints), end="")
    return 0
