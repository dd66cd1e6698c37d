"""`golive-bot report`: the week's issues and unanswered questions, for a board paper or a terminal.

Also home of the date-range options that `gaps` and `issues export` share: dates are the
organisation's local days, and "now" comes from the clock the caller passes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.answering.gaps import QuestionGroup, group_questions
from bot.cli.options import local_date
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.issues.model import Issue, Severity
from bot.issues.reports import Durations, Period, Report, build_report
from bot.store import issues as issue_store
from bot.store.answers import unanswered_between
from bot.store.database import Database

DEFAULT_DAYS = 7
TOP_QUESTIONS = 10


class UsageError(Exception):
    """A mistake in the options, explained so the user can fix it."""


def add_period_arguments(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument(
        "--from", dest="start", type=local_date, metavar="DATE", help=f"first local day ({default})"
    )
    p.add_argument("--to", dest="end", type=local_date, metavar="DATE", help="last local day, inclusive")


def period_from(args: argparse.Namespace, settings: Settings, clock: Clock) -> Period:
    """--from/--to as given; a missing end is today, a missing start is the week before the end."""
    tz = settings.org.timezone
    last = args.end or Period.ending(clock.now(), 1, tz).last
    first = args.start or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise UsageError(f"--from {first} is after --to {last}; give the earlier date first.")
    return Period(first, last, tz)


def open_database(settings: Settings) -> Database:
    db = Database(settings.database_url)
    db.migrate()
    return db


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="issues and unanswered questions for a date range",
        description="Issues by status, severity, area and location; response times; per-day counts; "
        "the most frequent unanswered questions. Dates are local days in the organisation's time zone.",
    )
    add_period_arguments(p, "default: 6 days before --to, i.e. the last 7 days")
    p.add_argument("--json", action="store_true", help="print JSON for scripts instead of text")
    p.add_argument(
        "--chart", metavar="FILE.png", type=Path, help="also draw issues opened and resolved per day"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings, clock: Clock | None = None) -> int:
    try:
        period = period_from(args, settings, clock or SystemClock())
        if args.chart and args.chart.suffix.lower() != ".png":
            raise UsageError(
                f"--chart writes a PNG picture; name the file with .png, e.g. {args.chart.stem}.png"
            )
        if args.chart and not args.chart.parent.is_dir():
            raise UsageError(
                f"--chart: the folder {args.chart.parent} does not exist; create it or pick another."
            )
    except UsageError as exc:
        print(f"golive-bot report: {exc}", file=sys.stderr)
        return 2
    report = gather(settings, period)
    print(json.dumps(report_json(report), indent=2) if args.json else render_text(report, settings))
    if args.chart:
        draw_chart(report, settings.org.organisation, args.chart)
        print(f"Chart written to {args.chart}", file=sys.stderr)
    return 0


def gather(settings: Settings, period: Period) -> Report:
    db = open_database(settings)
    try:
        # Issues opened before the period still count towards "resolved per day" inside it.
        issues = issue_store.listing(db, issue_store.Filters(open_only=False, created_to=period.end))
        history = issue_store.events(db, [i.id for i in issues if period.contains(i.created_at)])
        questions = group_questions(unanswered_between(db, period.start, period.end), settings.org.redactor())
    finally:
        db.dispose()
    return build_report(_cleaned(issues, settings), period, questions[:TOP_QUESTIONS], history)


def _cleaned(issues: list[Issue], settings: Settings) -> list[Issue]:
    """Places pass the privacy guard again, as in an export: a report leaves the bot for a board paper."""
    clean = settings.org.redactor().clean
    return [replace(i, location=clean(i.location), area=clean(i.area)) for i in issues]


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return "-"
    minutes = max(0, round(value.total_seconds() / 60))  # another replica's clock may run a little ahead
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (mins, "m")) if n]
    return " ".join(parts[:2]) or "0m"


def _day(d: date) -> str:
    return d.strftime("%a %d %b %Y")


def _counts(title: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return [title, "  (none)"]
    width = max(len(k) for k in counts)
    return [title] + [f"  {name:<{width}}  {n:>5}" for name, n in counts.items()]


def _times(label: str, d: Durations) -> str:
    return (
        f"  {label:<20} {duration_text(d.median):>9} {duration_text(d.p90):>9} {d.measured:>9} {d.waiting:>9}"
    )


def _question(group: QuestionGroup) -> str:
    others = [f'"{p.text}"' for p in group.phrasings[1:4]]
    more = f" (also {', '.join(others)})" if others else ""
    passed = f" [{group.passed_on} passed to the support team]" if group.passed_on else ""
    return f"  {group.count:>4}  {group.question}{more}{passed}"


def render_text(report: Report, settings: Settings) -> str:
    """Plain text that reads the same in a terminal and pasted into a board paper."""
    p = report.period
    lines = [
        f"Go-live report: {settings.org.organisation}",
        f"{_day(p.first)} to {_day(p.last)} ({p.tz})",
        "",
        f"Issues opened: {report.opened}",
        *_counts("By severity", {Severity(k).label: n for k, n in report.by_severity.items()}),
        *_counts("By status (now)", report.by_status),
        *_counts("By system area", report.by_area),
        *_counts("By location", report.by_location),
        "",
        "Response times for issues opened in the period (90th pct: 9 in 10 were quicker or equal)",
        f"  {'':<20} {'median':>9} {'90th pct':>9} {'measured':>9} {'waiting':>9}",
        _times("to acknowledge", report.to_acknowledge),
        _times("to acknowledge, P1", report.p1_to_acknowledge),
        _times("to resolve", report.to_resolve),
        _times("to resolve, P1", report.p1_to_resolve),
        "",
        "Issues per day            opened  resolved",
        *(f"  {_day(d.day):<22} {d.opened:>6} {d.resolved:>9}" for d in report.per_day),
        "",
        "Most frequent unanswered questions (times asked)",
        *([_question(g) for g in report.questions] or ["  (none)"]),
    ]
    return "\n".join(lines)


def _durations_json(d: Durations) -> dict[str, Any]:
    def minutes(v: timedelta | None) -> float | None:
        return None if v is None else round(v.total_seconds() / 60, 1)

    return {"median_minutes": minutes(d.median), "p90_minutes": minutes(d.p90), "measured": d.measured,
            "waiting": d.waiting}  # fmt: skip


def report_json(report: Report) -> dict[str, Any]:
    p = report.period
    return {
        "from": p.first.isoformat(),
        "to": p.last.isoformat(),
        "timezone": str(p.tz),
        "opened": report.opened,
        "by_status": report.by_status,
        "by_severity": report.by_severity,
        "by_area": report.by_area,
        "by_location": report.by_location,
        "to_acknowledge": _durations_json(report.to_acknowledge),
        "to_resolve": _durations_json(report.to_resolve),
        "p1_to_acknowledge": _durations_json(report.p1_to_acknowledge),
        "p1_to_resolve": _durations_json(report.p1_to_resolve),
        "per_day": [
            {"day": d.day.isoformat(), "opened": d.opened, "resolved": d.resolved} for d in report.per_day
        ],
        "unanswered_questions": [
            {
                "question": g.question,
                "count": g.count,
                "passed_to_support": g.passed_on,
                "phrasings": [p.text for p in g.phrasings],
            }
            for g in report.questions
        ],
    }


def draw_chart(report: Report, organisation: str, path: Path) -> None:
    """Grouped bars of issues opened and resolved per day; matplotlib loads only when a chart is asked for."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    days = report.per_day
    xs = range(len(days))
    step = math.ceil(len(days) / 21)  # at most about three weeks of labels, so they stay legible
    fig, ax = plt.subplots(figsize=(min(12.0, max(6.5, 0.6 * len(days) + 2.5)), 4), dpi=150)
    try:
        opened = ax.bar([x - 0.2 for x in xs], [d.opened for d in days], 0.4, label="Opened", color="#005eb8")
        resolved = ax.bar(
            [x + 0.2 for x in xs], [d.resolved for d in days], 0.4, label="Resolved", color="#009639"
        )
        if len(days) <= 14:
            for bars in (opened, resolved):
                ax.bar_label(bars, fontsize=7, padding=1)
        ax.set_xticks(list(xs)[::step], [d.day.strftime("%a\n%d %b") for d in days][::step], fontsize=8)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, max(1, ax.get_ylim()[1]))  # a quiet week is a floor of zeros, not a -0.04 axis
        ax.set_ylabel("Issues")
        period = f"{_day(report.period.first)} to {_day(report.period.last)}"
        ax.set_title(f"{organisation}: go-live issues opened and resolved per day\n{period}", fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False)
        fig.tight_layout()
        fig.savefig(path, format="png")
    finally:
        plt.close(fig)
