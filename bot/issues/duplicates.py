"""Likely duplicates: open issues in the same area whose summary and details read like the new one.

The summary carries most of the meaning, so it weighs more than the free-text details.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from bot.issues.model import Draft, Issue, Severity

THRESHOLD = 70.0
_SUMMARY_WEIGHT = 0.7


@dataclass(frozen=True)
class Likely:
    issue: Issue
    score: float  # 0-100


def may_join(draft: Draft, issue: Issue) -> bool:
    """Whether a report may be added to an issue as a '+1': only to one at least as urgent. A
    patient-safety or P1 report added to a P3 would be triaged as a P3, and nobody on call told."""
    if draft.patient_safety and not issue.patient_safety:
        return False
    ranks = list(Severity)
    return draft.severity not in ranks or ranks.index(Severity(draft.severity)) >= ranks.index(issue.severity)


def likely_duplicates(
    summary: str, details: str, candidates: Iterable[Issue], limit: int = 3, threshold: float = THRESHOLD
) -> list[Likely]:
    """The best `limit` open candidates scoring at least `threshold`, best first."""
    found = []
    for issue in candidates:
        if not issue.is_open:
            continue
        score = _score(summary, details, issue)
        if score >= threshold:
            found.append(Likely(issue, score))
    found.sort(key=lambda likely: (-likely.score, likely.issue.id))
    return found[:limit]


def _score(summary: str, details: str, issue: Issue) -> float:
    title = fuzz.token_sort_ratio(summary, issue.summary, processor=utils.default_process)
    title = max(title, fuzz.token_set_ratio(summary, issue.summary, processor=utils.default_process) * 0.9)
    body = fuzz.token_set_ratio(
        f"{summary} {details}", f"{issue.summary} {issue.details}", processor=utils.default_process
    )
    return _SUMMARY_WEIGHT * title + (1 - _SUMMARY_WEIGHT) * body
