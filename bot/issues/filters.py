"""Reads `/golive issues p1 unassigned ward 3 printing mine` into listing filters, the same way everywhere."""

from __future__ import annotations

from bot.config import OrgConfig
from bot.issues.model import OPEN_STATUSES, Severity, Status
from bot.store.issues import Filters

_MINE = frozenset({"mine", "me", "my"})
_FILLER = frozenset({"on", "in", "at", "the", "for", "and", "open", "issues", "issue"})
_NOT_TAKEN_ON = frozenset({Status.NEW, Status.REOPENED})
# The words a support team uses for where an issue stands, as its triage post shows it; 'unassigned'
# is every open issue nobody is working on, 'unacknowledged' every one waiting for someone to take it.
STATUS_WORDS: dict[str, frozenset[Status]] = {
    "new": frozenset({Status.NEW}),
    "unacknowledged": _NOT_TAKEN_ON,
    "unacked": _NOT_TAKEN_ON,
    "acknowledged": frozenset({Status.ACKNOWLEDGED}),
    "acked": frozenset({Status.ACKNOWLEDGED}),
    "unassigned": OPEN_STATUSES - {Status.ASSIGNED},
    "assigned": frozenset({Status.ASSIGNED}),
    "reopened": frozenset({Status.REOPENED}),
    "resolved": frozenset({Status.RESOLVED}),
    "closed": frozenset({Status.RESOLVED}),
}
# The ones help names: the rest are the shorthand and synonyms people type anyway.
STATUS_NAMES = ("new", "unassigned", "acknowledged", "assigned", "reopened", "resolved")
WORDS_HELP = (
    f"p1..p4, a status ({', '.join(STATUS_NAMES)}), mine, a system area; any other word is looked for in"
    " each issue's location and summary"
)


def parse(text: str, org: OrgConfig, user_id: str) -> Filters:
    """Severities (p1..p4), statuses, 'mine', a configured system area by name or first word; the rest
    must each be in the location or the summary. A configured location's full name is a place, even
    when a word of it is a status ('New Cross')."""
    words = [w.strip(",.;:!?") for w in text.lower().split()]
    area, used = _phrase(words, org.system_areas, first_word=True)
    _, place = _phrase(words, org.locations)
    statuses = [STATUS_WORDS[w] for i, w in enumerate(words) if i not in place | used and w in STATUS_WORDS]
    rest = [
        w for i, w in enumerate(words)
        if w and i not in used and (i in place or w not in STATUS_WORDS) and _free(w)
    ]  # fmt: skip
    severities = frozenset(Severity(w.upper()) for w in words if w.upper() in Severity.__members__)
    return Filters(
        statuses=frozenset[Status]().union(*statuses) or None,
        severities=severities or None,
        area=area,
        involving=user_id if _MINE & set(words) else None,
        words=tuple(rest),
    )


def lists_open_only(filters: Filters) -> bool:
    """Whether the listing holds open issues alone, so a heading may call them open."""
    return filters.statuses <= OPEN_STATUSES if filters.statuses else filters.open_only


def _free(word: str) -> bool:
    return word.upper() not in Severity.__members__ and word not in _MINE and word not in _FILLER


def _phrase(
    words: list[str], names: tuple[str, ...], first_word: bool = False
) -> tuple[str | None, set[int]]:
    """The name whose every word appears in order in the words, longest first, and where; else, with
    `first_word`, the one whose first word does (if unique and of four letters or more)."""
    for name in sorted(names, key=len, reverse=True):
        parts = name.lower().split()
        for start in range(len(words) - len(parts) + 1):
            if parts and words[start : start + len(parts)] == parts:
                return name, set(range(start, start + len(parts)))
    for i, word in enumerate(words if first_word else ()):
        matches = [n for n in names if len(word) >= 4 and n.lower().split()[:1] == [word]]
        if len(matches) == 1:
            return matches[0], {i}
    return None, set()
