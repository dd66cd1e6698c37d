"""Likely duplicates: open issues in the same area whose summary and details read like the new one,
and any logged from the same Slack message, however it was worded.

The summary carries most of the meaning, so it weighs more than the free-text details.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from bot.issues.model import Draft, Issue, Rating, Severity

THRESHOLD = 70.0
SAME_MESSAGE = 100.0  # the score of an issue logged from the same message: certainly a duplicate
_SUMMARY_WEIGHT = 0.7
_MESSAGE = re.compile(r"/archives/([A-Z0-9]+)/p([0-9]+)")


@dataclass(frozen=True)
class Likely:
    issue: Issue
    score: float  # 0-100


def may_join(draft: Draft, issue: Issue) -> bool:
    """Whether a report may be added to an issue as a '+1': only to one at least as urgent. A
    patient-safety or P1 report added to a P3 would be triaged as a P3, and nobody on call told."""
    severity = Severity(draft.severity) if draft.severity in Severity.__members__ else Severity.P4
    return as_urgent(issue, severity, draft.patient_safety)


def as_urgent(issue: Issue, severity: Severity, patient_safety: bool) -> bool:
    """Whether `issue` is at least as urgent as a report of `severity` (and flag): what a report may
    join, and what an issue may be closed as a duplicate of, so that no urgency is lost on the way."""
    return not issue.rating.lowered_from(Rating(severity, patient_safety))


def comparable(draft: Draft, issue: Issue) -> bool:
    """Whether an issue could be what the draft reports again: one in the same area (a half-filled form
    with no area yet has none), or one logged from the same Slack message, whatever area was picked."""
    area = draft.area.strip().lower()
    return (bool(area) and issue.area.lower() == area) or same_message(draft.source_link, issue.source_link)


def same_message(link: str | None, other: str | None) -> bool:
    """Whether two links lead to one Slack message: Slack's permalink and the one built when Slack would
    not give it agree on the channel and the message's id, whatever follows."""
    if not link or not other:
        return False
    return _message_of(link) == _message_of(other)


def _message_of(link: str) -> tuple[str, ...]:
    found = _MESSAGE.search(link)
    return found.groups() if found else (link,)


def _open(issue: Issue) -> Issue | None:
    return issue if issue.is_open else None


def likely_duplicates(
    summary: str,
    details: str,
    candidates: Iterable[Issue],
    limit: int = 3,
    threshold: float = THRESHOLD,
    link: str | None = None,
    offers: Callable[[Issue], Issue | None] = _open,
) -> list[Likely]:
    """The best `limit` issues that candidates scoring at least `threshold` `offers` (by default the
    open candidates themselves), best first; one logged from the message at `link` scores highest, as
    two floorwalkers logging one message word it differently. A candidate closed as a duplicate may
    offer the issue it was closed into: its words are a second description of that issue."""
    best: dict[int, Likely] = {}
    for issue in candidates:
        score = SAME_MESSAGE if same_message(link, issue.source_link) else _score(summary, details, issue)
        offered = offers(issue) if score >= threshold else None
        if offered is not None and score > best.get(offered.id, Likely(offered, -1.0)).score:
            best[offered.id] = Likely(offered, score)
    return sorted(best.values(), key=lambda likely: (-likely.score, likely.issue.id))[:limit]


def _score(summary: str, details: str, issue: Issue) -> float:
    title = fuzz.token_sort_ratio(summary, issue.summary, processor=utils.default_process)
    title = max(title, fuzz.token_set_ratio(summary, issue.summary, processor=utils.default_process) * 0.9)
    body = fuzz.token_set_ratio(
        f"{summary} {details}", f"{issue.summary} {issue.details}", processor=utils.default_process
    )
    return _SUMMARY_WEIGHT * title + (1 - _SUMMARY_WEIGHT) * body
