"""`golive-bot issues export`: the issue log for board papers, a tracker, or the clinical safety officer."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bot.cli.report import add_period_arguments, open_database
from bot.config import Settings
from bot.issues.export import FORMATS, Exporter, as_csv, as_hazard_log, as_json
from bot.issues.reports import Period
from bot.store import issues as issue_store


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("issues", help="the go-live issue log: exports for the board and the safety officer")
    actions = p.add_subparsers(dest="issues_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="every issue with its times and status history (csv, json), or the hazard log",
        description="Exports issues opened in the date range (all of them by default), redacted. "
        "hazard-log writes only P1 and patient-safety issues, in the columns of a clinical risk hazard log.",
    )
    export.add_argument("--format", choices=FORMATS, default="csv", help="default: csv")
    export.add_argument("--output", type=Path, metavar="FILE", help="write here instead of standard output")
    add_period_arguments(export, "default: the first issue ever logged")
    export.set_defaults(func=run_export)


def _window(args: argparse.Namespace, settings: Settings) -> tuple[datetime | None, datetime | None]:
    tz = settings.org.timezone
    start = Period(args.start, args.start, tz).start if args.start else None
    end = Period(args.end, args.end, tz).end if args.end else None
    return start, end


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    if args.start and args.end and args.start > args.end:
        print(f"golive-bot issues export: --from {args.start} is after --to {args.end}; "
              "give the earlier date first.", file=sys.stderr)  # fmt: skip
        return 2
    if args.output and not args.output.parent.is_dir():
        print(f"golive-bot issues export: the folder {args.output.parent} does not exist; "
              "create it or choose another --output.", file=sys.stderr)  # fmt: skip
        return 2
    start, end = _window(args, settings)
    db = open_database(settings)
    try:
        issues = issue_store.listing(
            db, issue_store.Filters(open_only=False, created_from=start, created_to=end)
        )
        issues.sort(key=lambda i: i.id)
        history = issue_store.events(db, [i.id for i in issues])
    finally:
        db.dispose()
    exporter = Exporter(settings.org.redactor(), settings.org.timezone)
    if args.format == "json":
        text = as_json(issues, history, exporter)
    elif args.format == "csv":
        text = as_csv(issues, history, exporter)
    else:
        text = as_hazard_log(issues, exporter)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    args.output.write_text(text, encoding="utf-8-sig" if args.format != "json" else "utf-8")
    print(f"Wrote the {args.format} export to {args.output}", file=sys.stderr)
    return 0
