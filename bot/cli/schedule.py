"""`golive-bot schedule`: the plan's next posts in time order, so a comms lead can check it before go-live."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime, time

from bot.cli.options import local_date, whole_number
from bot.clock import Clock, ManualClock, SystemClock
from bot.comms.facts import FactSource
from bot.comms.model import Hold
from bot.comms.schedules import load_schedules
from bot.comms.service import CommsService, Upcoming
from bot.config import Settings
from bot.store.database import Database


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schedule",
        help="list the next announcements (files and Slack) in time order",
        description="The plan's next posts, in the organisation's local time, with the channel and the "
        "file and line each comes from; --text shows their words, --from a later day such as go-live.",
    )
    p.add_argument(
        "--days",
        type=whole_number(1, 366),
        default=14,
        metavar="N",
        help="how many days ahead to list (default 14)",
    )
    p.add_argument(
        "--from",
        dest="start",
        type=local_date,
        metavar="DATE",
        help="list from this local date (YYYY-MM-DD) instead of now, e.g. the go-live date",
    )
    p.add_argument(
        "--text",
        action="store_true",
        help="also show each post's text as it will read: its day's figures and who to call then "
        "(open issue counts as of now)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    org = settings.org
    if not settings.schedules_dir.exists():  # run from the wrong folder, most likely: say so, not "nothing"
        print(
            f"No plan folder {settings.schedules_dir}/ here, so only announcements made in Slack are listed. "
            "Run from the folder that holds schedules/, or give --schedules DIR.",
            file=sys.stderr,
        )
    announcements = load_schedules(settings.schedules_dir, org)  # the files as they are now
    clock: Clock = SystemClock()
    if args.start:
        clock = ManualClock(datetime.combine(args.start, time(0), tzinfo=org.timezone))
    db = Database(settings.database_url)
    try:
        db.migrate()
        comms = CommsService(org, db, clock, FactSource(org, org.redactor(), db))
        plan = announcements + comms.scheduled_from_slack()
        shown = (lambda post: comms.render(post.announcement.text, post.when)) if args.text else None
        print(format_upcoming(comms.upcoming(args.days, plan), settings, args.days, shown))
    finally:
        db.dispose()
    return 0


def format_upcoming(
    posts: list[Upcoming], settings: Settings, days: int, text: Callable[[Upcoming], str] | None = None
) -> str:
    """One line per post, marked PAUSED when a comms lead has paused it in Slack (it will not post unless
    resumed first); with `text`, each post's words below it, so a comms lead can proofread them."""
    tz = settings.org.timezone
    if not posts:
        plan = f"{settings.schedules_dir}/ and Slack"
        return f"Nothing is scheduled in the next {_count(days, 'day')} (plan: {plan})."
    width = max(len("Announcement"), *(len(post.announcement.id) for post in posts))
    lines = [f"{'When (' + tz.key + ')':<24} {'Phase':<12} {'Announcement':<{width}}  Where (defined in)"]
    for post in posts:
        when = post.when.astimezone(tz)
        where = ", ".join(post.channels)
        a = post.announcement
        held = "  PAUSED" if post.paused else ""
        lines.append(
            f"{when:%a %d %b %Y %H:%M}    {post.phase:<12} {a.id:<{width}}  {where} ({a.source}){held}"
        )
        if text:
            lines.extend(["", *textwrap.indent(text(post), "    ").splitlines(), ""])
    paused = {post.announcement.id: post.paused for post in posts if post.paused}
    counted = f", {len([p for p in posts if p.paused])} of them paused" if paused else ""
    lines.append(f"{_count(len(posts), 'post')} in the next {_count(days, 'day')}{counted}.")
    lines += [_paused_line(ident, hold, settings) for ident, hold in paused.items()]
    return "\n".join(lines)


def _paused_line(ident: str, hold: Hold, settings: Settings) -> str:
    """Who paused a post and when, so whoever reads the plan knows whom to ask before it is resumed."""
    since = (
        f" since {hold.paused_at.astimezone(settings.org.timezone):%a %d %b %Y %H:%M}"
        if hold.paused_at
        else ""
    )
    by = f" by Slack user {hold.paused_by}" if hold.paused_by else ""
    return f"PAUSED {ident}{by}{since}: not posted until a comms lead resumes it in `/golive announcements`."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
