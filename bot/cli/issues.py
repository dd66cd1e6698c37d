"""`golive-bot issues`: the issue log without Slack: list and show issues for triage, export for the board.

The work is done by the store and the exporter; this module reads options and prints. Text passes
the privacy guard on the way out (through Exporter), as it does in an export. What Slack users typed is
hostile by assumption, so it is printed without control characters: an escape sequence, a carriage
return or a C1 CSI in a summary would otherwise rewrite the operator's terminal, hide lines or fake them.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.cli.report import add_period_arguments, duration_text, open_database
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.issues.export import FORMATS, Exporter, as_csv, as_hazard_log, as_json, history_line, json_text
from bot.issues.filters import STATUS_NAMES, is_status_word, lists_open_only, status_filters
from bot.issues.model import Issue, Severity, id_from_reference
from bot.issues.reports import Period
from bot.plaintext import one_line, without_controls
from bot.store import issues as issue_store

_AS_EXPORT = "JSON, shaped as `issues export --format json` writes it"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "issues", help="the go-live issue log: list and show issues, export them for the board"
    )
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
    listing = actions.add_parser(
        "list", help="open issues, most severe (patient-safety flags with the P1s) then oldest first",
        description="Lists open issues as /golive issues does in Slack: reference, severity (! marks a "
        "patient-safety flag), status, age, where and summary.",
    )  # fmt: skip
    listing.add_argument("--all", action="store_true", help="resolved issues too")
    listing.add_argument("--severity", type=_severity, action="append", metavar="P1..P4",
                         help="only this severity (repeat for more)")  # fmt: skip
    listing.add_argument("--status", type=_status, action="append", metavar="STATUS",
                         help=f"only this status, as /golive issues reads it: {', '.join(STATUS_NAMES)}"
                         " (repeat for more; resolved needs no --all)")  # fmt: skip
    listing.add_argument("--json", action="store_true", help=_AS_EXPORT)
    listing.set_defaults(func=run_list)
    show = actions.add_parser("show", help="one issue in full, with its audit trail")
    show.add_argument("reference", help="the issue's reference, e.g. GL-0042")
    show.add_argument("--json", action="store_true", help=_AS_EXPORT)
    show.set_defaults(func=run_show)


def _severity(text: str) -> Severity:
    if text.upper() not in Severity.__members__:
        raise argparse.ArgumentTypeError(f"{text!r} is not a severity; use P1, P2, P3 or P4")
    return Severity(text.upper())


def _status(text: str) -> str:
    if not is_status_word(text.lower()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a status; use {', '.join(STATUS_NAMES)}")
    return text.lower()


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
        text = as_hazard_log(issues, exporter, history)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    args.output.write_text(text, encoding="utf-8-sig" if args.format != "json" else "utf-8")
    print(f"Wrote the {args.format} export to {args.output}", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace, settings: Settings, clock: Clock | None = None) -> int:
    filters = issue_store.Filters(
        open_only=not args.all,
        **status_filters(args.status or ()),
        severities=frozenset(args.severity or ()) or None,
    )
    db = open_database(settings)
    try:
        issues = issue_store.listing(db, filters)
        history = issue_store.events(db, [i.id for i in issues]) if args.json else []
    finally:
        db.dispose()
    exporter = Exporter(settings.org.redactor(), settings.org.timezone)
    if args.json:
        sys.stdout.write(as_json(issues, history, exporter))
    elif not issues:
        print(_none_found(args))
    else:
        now = (clock or SystemClock()).now()
        print("\n".join(_line(issue, exporter, now) for issue in issues))
        kind = "open issue" if lists_open_only(filters) else "issue"
        print(f"{len(issues)} {kind}{'s' if len(issues) != 1 else ''}.")
    return 0


def _none_found(args: argparse.Namespace) -> str:
    if args.status:
        return "No issues in that status; `golive-bot issues list --all` lists every issue."
    return "No open issues." if not args.all else "No issues have been logged."


def _line(issue: Issue, exporter: Exporter, now: datetime) -> str:
    """One issue per line, like the triage list: reference, severity, status, age, where, summary."""
    flag = "!" if issue.patient_safety else " "
    age = duration_text(now - issue.created_at)
    where = f"{one_line(exporter.text(issue.location))} · {one_line(exporter.text(issue.area))}"
    return (
        f"{issue.reference}  {issue.severity.value}{flag} {issue.status.value:<12} {age:>7}  "
        f"{where}: {one_line(exporter.text(issue.summary))}"
    )


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    issue_id = id_from_reference(args.reference)
    db = open_database(settings)
    try:
        issue = issue_store.get(db, issue_id) if issue_id is not None else None
        history = issue_store.events(db, [issue.id]) if issue else []
    finally:
        db.dispose()
    if issue is None:
        print(f"golive-bot issues show: there is no issue {args.reference!r}; references look like "
              "GL-0042, and `golive-bot issues list --all` lists them.", file=sys.stderr)  # fmt: skip
        return 1
    exporter = Exporter(settings.org.redactor(), settings.org.timezone, for_people=not args.json)
    record = exporter.record(issue, history)
    print(json_text(record) if args.json else _card(issue, record))
    return 0


def _card(issue: Issue, record: dict[str, Any]) -> str:
    """The issue as the triage post shows it, then every change, oldest first."""
    r = _shown(record)
    safety = " · flagged as a patient-safety risk" if issue.patient_safety else ""
    resolution = f" ({r['resolution']}: {r['resolution_note']})" if r["resolution"] else ""
    fields = [
        ("Status", r["status"] + resolution), ("Where", f"{r['location']} · {r['area']}"),
        ("Reported", _by(r["created_at"], r["reporter"])), ("Contact", r["contact"]),
        ("Acknowledged", _by(r["acknowledged_at"], r["acknowledged_by"])), ("Assigned to", r["assignee"]),
        ("Resolved", _by(r["resolved_at"], r["resolved_by"])), ("Confirmed", r["confirmed_at"]),
        ("Message", _message(r["source_link"], r["message_author"])),
        *(("Also reported", _by(x["at"], f"{x['user']} ({x['location']})")) for x in r["also_reported_by"]),
    ]  # fmt: skip
    lines = [f"{r['reference']}  {issue.severity.label}{safety}", r["summary"], ""]
    lines += [f"{name + ':':<15}{value}" for name, value in fields if value]
    lines += ["", "What happened:", _indented(record["details"]), "", "Audit trail:"]
    lines += [f"  {history_line(h)}" for h in r["history"]]
    return "\n".join(lines)


def _shown(value: Any) -> Any:
    """A record (or any part of one) with every text made one line by `one_line`, names included:
    Slack ids are as untrusted as what was typed."""
    if isinstance(value, str):
        return one_line(value)
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    return value


def _indented(text: str) -> str:
    """A multi-line field: its lines kept, control characters as spaces (as `one_line` does), and each
    line indented, so what someone typed cannot pass for a heading of the card such as 'Audit trail:'."""
    return "\n".join(f"  {line}".rstrip() for line in without_controls(text).split("\n"))


def _message(link: str, author: str) -> str:
    return f"{link or 'a message'} by {author}" if author else link


def _by(at: str, who: str) -> str:
    return f"{at} by {who}" if at else ""
