"""Issues shaped for readers outside the bot: the board's CSV, a tracker's JSON, the safety hazard log.

Every free-text field passes the privacy guard again on the way out. Text was redacted when it was
stored, but an export leaves the bot's control, so a number that slipped in by any other route
(an older version, a manual database edit) still never leaves.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from bot.issues.model import Action, Event, Issue, Rating, Status, rating_change
from bot.plaintext import without_controls
from bot.privacy import CONTACT_DETAILS, Redactor

FORMATS = ("csv", "json", "hazard-log")

# The keys of Exporter.record, in order; the CSV writer refuses a record that differs.
CSV_COLUMNS = (
    "reference", "summary", "details", "severity", "patient_safety", "status", "location", "area",
    "reporter", "contact", "source_link", "message_author", "created_at", "updated_at", "acknowledged_at",
    "acknowledged_by", "assignee", "resolved_at", "resolved_by", "resolution", "resolution_note",
    "duplicate_of", "confirmed_at", "escalations", "also_reported_by", "history",
)  # fmt: skip
HAZARD_COLUMNS = (
    "Reference",
    "Hazard description",
    "Cause",
    "Effect",
    "Severity",
    "Status",
    "Resolution",
    "Date raised",
    "Date acknowledged",
    "Date resolved",
    "Location",
    "System area",
    "Owner",
)


RatingChange = tuple[Event, tuple[Rating, Rating, str]]  # a severity event: from, to, why


class Exporter:
    """Shapes issues for export, in the organisation's time zone, through the privacy guard."""

    def __init__(self, redactor: Redactor, tz: tzinfo, for_people: bool = False):
        """`for_people`: times as a person reads them (Mon 18 Jan 2027 09:00 GMT), not ISO for tools."""
        self._redactor = redactor
        self._tz = tz
        self._for_people = for_people

    def text(self, value: str | None, keep: frozenset[str] = frozenset()) -> str:
        return self._redactor.clean(value, keep) if value else ""

    def when(self, value: datetime | None) -> str:
        """Local time with its offset, so a reader sees the wall clock and nobody mistakes the hour."""
        if value is None:
            return ""
        local = value.astimezone(self._tz)
        return (
            local.strftime("%a %d %b %Y %H:%M %Z")
            if self._for_people
            else local.isoformat(timespec="minutes")
        )

    def record(self, issue: Issue, history: Sequence[Event]) -> dict[str, Any]:
        """One issue as plain values: every field, its +1 reporters and its status history."""
        return {
            "reference": issue.reference,
            "summary": self.text(issue.summary),
            "details": self.text(issue.details),
            "severity": issue.severity.value,
            "patient_safety": issue.patient_safety,
            "status": issue.status.value,
            "location": self.text(issue.location),
            "area": self.text(issue.area),
            "reporter": issue.reporter_id,
            "contact": self.text(issue.contact, CONTACT_DETAILS),
            "source_link": self.text(issue.source_link),
            "message_author": issue.raised_by or "",
            "created_at": self.when(issue.created_at),
            "updated_at": self.when(issue.updated_at),
            "acknowledged_at": self.when(issue.acknowledged_at),
            "acknowledged_by": issue.acknowledged_by or "",
            "assignee": issue.assignee_id or "",
            "resolved_at": self.when(issue.resolved_at),
            "resolved_by": issue.resolved_by or "",
            "resolution": issue.resolution.value if issue.resolution else "",
            "resolution_note": self.text(issue.resolution_note),
            "duplicate_of": issue.original or "",
            "confirmed_at": self.when(issue.confirmed_at),
            "escalations": issue.escalations,
            "also_reported_by": [
                {"user": r.user_id, "location": self.text(r.location), "at": self.when(r.at)}
                for r in issue.extra_reporters
            ],
            "history": [
                {
                    "at": self.when(e.at),
                    "by": e.actor,
                    "action": e.action.value,
                    "from": e.from_status.value if e.from_status else "",
                    "to": e.to_status.value if e.to_status else "",
                    "detail": self.text(e.detail),
                }
                for e in history
            ],
        }

    def undone_fixes(self, history: Sequence[Event]) -> list[str]:
        """Controls tried and undone by a reopening: the hazard log keeps them; the issue no longer does."""
        return [f"reopened after {self.text(e.detail)} ({self.when(e.at)})" for e in _undone(history)]

    def rating_changes(self, changes: list[RatingChange]) -> list[str]:
        """Each change of severity or patient-safety flag since logging: from what to what, who, when, why."""
        return [
            f"{before} -> {after} by {e.actor} ({self.when(e.at)}): {self.text(why)}"
            for e, (before, after, why) in changes
        ]

    def hazard(self, issue: Issue, history: Sequence[Event] = ()) -> dict[str, str]:
        """One patient-safety issue as a hazard-log row; the README maps the columns to DCB0129/DCB0160."""
        changes = _rating_changes(history)
        flagged = ""
        if issue.patient_safety:
            by_reporter = _as_reported(issue, changes).patient_safety
            flagged = f"; {'reporter' if by_reporter else 'support team'} flagged a patient-safety risk"
        if changes:
            flagged += f"; changed since logging: {'; '.join(self.rating_changes(changes))}"
        resolution = issue.resolution.value if issue.resolution else ""
        if issue.original:  # which issue carries the hazard on
            resolution = f"{resolution} of {issue.original}"
        note = self.text(issue.resolution_note)
        now = f"{resolution}: {note}" if resolution and note else resolution or note
        return {
            "Reference": issue.reference,
            "Hazard description": self.text(issue.summary),
            "Cause": self.text(issue.details),
            "Effect": f"{issue.severity.label}{flagged}",
            "Severity": issue.severity.value,
            "Status": _hazard_status(issue),
            "Resolution": "; ".join(filter(None, [now, *self.undone_fixes(history)])),
            "Date raised": self.when(issue.created_at),
            "Date acknowledged": self.when(issue.acknowledged_at),
            "Date resolved": self.when(issue.resolved_at),
            "Location": self.text(issue.location),
            "System area": self.text(issue.area),
            "Owner": _owner(issue, history),
        }


# What takes an issue on, so makes its taker the owner: the first of these after it is logged or reopened
# sets `acknowledged_by`, as the service records it.
_TAKING_ON = frozenset({Action.ACKNOWLEDGE, Action.ASSIGN, Action.RESOLVE})


def _as_reported(issue: Issue, changes: list[RatingChange]) -> Rating:
    """The severity and flag the issue was logged with: before its first change, if it has had one."""
    return changes[0][1][0] if changes else issue.rating


def _owner(issue: Issue, history: Sequence[Event]) -> str:
    """Who owns the hazard: the assignee or acknowledger now, else whoever did before the issue was last
    reopened or raised to patient safety. Both clear the acknowledgement so the issue is taken on
    afresh, but a hazard log with no owner names nobody accountable for the hazard meanwhile."""
    if current := issue.assignee_id or issue.acknowledged_by:
        return current
    before, why = _acknowledger_before_clearing(history)
    return f"{before} (before {why})" if before else ""


def _acknowledger_before_clearing(history: Sequence[Event]) -> tuple[str, str]:
    """`acknowledged_by` as it stood when the acknowledgement was last cleared (by a reopening, or a raise
    to patient safety), and which, replayed from the audit trail (oldest first), since the issue itself
    no longer holds it; "" if it was never cleared."""
    current = before = why = ""
    for event in history:
        if _clears_acknowledgement(event):
            before, current = current or before, ""
            why = "reopening" if event.action is Action.REOPEN else "it was raised"
        elif event.action in _TAKING_ON and not current:
            current = event.actor
    return before, why


def _clears_acknowledgement(event: Event) -> bool:
    """A reopening, or a raise to patient safety that took an acknowledged issue back to new."""
    raised = event.action is Action.SEVERITY and event.from_status is Status.ACKNOWLEDGED
    return event.action is Action.REOPEN or (raised and event.to_status is Status.NEW)


def _undone(history: Sequence[Event]) -> list[Event]:
    """The resolutions a later reopening undid, in order."""
    resolves = [e for e in history if e.action is Action.RESOLVE]
    reopens = [e for e in history if e.action is Action.REOPEN]
    return [r for r in resolves if any(o.at >= r.at for o in reopens)]


def _hazard_status(issue: Issue) -> str:
    if issue.status is not Status.RESOLVED:
        return f"Open ({issue.status.value})"
    return "Closed (resolution confirmed by reporter)" if issue.confirmed_at else "Closed"


def _by_issue(events: Iterable[Event]) -> dict[int, list[Event]]:
    found: dict[int, list[Event]] = {}
    for event in events:
        found.setdefault(event.issue_id, []).append(event)
    return found


def as_json(issues: Sequence[Issue], events: Iterable[Event], exporter: Exporter) -> str:
    history = _by_issue(events)
    records = [exporter.record(i, history.get(i.id, [])) for i in issues]
    return json_text({"issues": records}) + "\n"


# DEL and the C1 controls, which JSON allows raw in a string: U+009B alone opens a terminal command.
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")


def json_text(value: Any) -> str:
    """Indented JSON that is safe to print to a terminal and still reads back to the same values.
    JSON escapes only C0 controls; DEL and C1 are escaped here too, so a hostile summary cannot rewrite
    the screen of whoever runs `issues show --json` or an export without --output."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def as_csv(issues: Sequence[Issue], events: Iterable[Event], exporter: Exporter) -> str:
    """One row per issue; the +1 reporters and the history are joined into one readable cell each."""
    history = _by_issue(events)
    rows = []
    for issue in issues:
        record = exporter.record(issue, history.get(issue.id, []))
        record["also_reported_by"] = "; ".join(
            f"{r['user']} ({r['location']}) {r['at']}" for r in record["also_reported_by"]
        )
        record["history"] = "; ".join(history_line(h) for h in record["history"])
        rows.append(record)
    return _csv(CSV_COLUMNS, rows)


def history_line(h: dict[str, str]) -> str:
    """'2027-01-18T09:00+00:00 U123 acknowledge: new -> acknowledged (detail)'."""
    change = " -> ".join(s for s in (h["from"], h["to"]) if s)
    return (
        f"{h['at']} {h['by']} {h['action']}"
        + (f": {change}" if change else "")
        + (f" ({h['detail']})" if h["detail"] else "")
    )


def as_hazard_log(issues: Sequence[Issue], exporter: Exporter, events: Iterable[Event] = ()) -> str:
    """Only P1 and patient-safety issues, and those that were until the clinical safety group lowered
    them: the hazards the clinical safety officer must log, and the ones judged no hazard, with why."""
    history = _by_issue(events)
    rows = [
        exporter.hazard(i, history.get(i.id, [])) for i in issues if _was_hazard(i, history.get(i.id, []))
    ]
    return _csv(HAZARD_COLUMNS, rows)


def _rating_changes(history: Sequence[Event]) -> list[RatingChange]:
    """The severity events, each with what it changed from and to, and why."""
    return [(e, c) for e in history if e.action is Action.SEVERITY and (c := rating_change(e.detail))]


def _was_hazard(issue: Issue, history: Sequence[Event]) -> bool:
    """A P1 or patient-safety issue now, or one before it was lowered."""
    changes = _rating_changes(history)
    return issue.needs_safety_escalation or any(
        before.needs_safety_escalation for _, (before, _, _) in changes
    )


def _csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


# OWASP's CSV-injection list: Excel also runs a cell opening with a tab or carriage return as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """Spreadsheets run a cell starting with = + - @ as a formula; quote it so a summary stays text.
    A bare carriage return becomes a newline: the writer quotes only cells holding its "\n" line end,
    and a reader (Excel among them) ends the row at an unquoted CR, shifting every later column. Other
    control characters (an escape, a C1 CSI) become spaces: an export without --output is printed to
    the terminal, where they would rewrite the screen, and in a spreadsheet they are only noise."""
    if not isinstance(value, str):
        return value
    if value[:1] in _FORMULA_STARTS:
        value = "'" + value
    return without_controls(value.replace("\r\n", "\n").replace("\r", "\n"))
