"""Reads `/golive issues p1 unassigned ward 3 printing mine` into listing filters, the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.config import OrgConfig
from bot.issues.model import OPEN_STATUSES, Severity, Status
from bot.store.issues import Filters

_MINE = frozenset({"mine", "me", "my"})
_FILLER = frozenset({"on", "in", "at", "the", "for", "and", "open", "issues", "issue"})
# The words a support team uses for where an issue stands, as its triage post shows it; 'unassigned'
# is every open issue nobody is working on. 'unacknowledged' is no status but every open issue waiting
# for someone to take it on: new, reopened, or raised to patient safety since it was taken on, which
# keeps its status (assigned, say) and is called out until acknowledged again.
UNACKNOWLEDGED_WORDS = frozenset({"unacknowledged", "unacked"})
STATUS_WORDS: dict[str, frozenset[Status]] = {
    "new": frozenset({Status.NEW}),
    "acknowledged": frozenset({Status.ACKNOWLEDGED}),
    "acked": frozenset({Status.ACKNOWLEDGED}),
    "unassigned": OPEN_STATUSES - {Status.ASSIGNED},
    "assigned": frozenset({Status.ASSIGNED}),
    "reopened": frozenset({Status.REOPENED}),
    "resolved": frozenset({Status.RESOLVED}),
    "closed": frozenset({Status.RESOLVED}),
}
# The ones help names: the rest are the shorthand and synonyms people type anyway.
STATUS_NAMES = ("new", "unassigned", "unacknowledged", "acknowledged", "assigned", "reopened", "resolved")
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
    said = [w for i, w in enumerate(words) if i not in place | used and is_status_word(w)]
    rest = [
        w for i, w in enumerate(words)
        if w and i not in used and (i in place or not is_status_word(w)) and _free(w)
    ]  # fmt: skip
    severities = frozenset(Severity(w.upper()) for w in words if w.upper() in Severity.__members__)
    return Filters(
        **status_filters(said),
        severities=severities or None,
        area=area,
        involving=user_id if _MINE & set(words) else None,
        words=tuple(rest),
    )


def is_status_word(word: str) -> bool:
    return word in STATUS_WORDS or word in UNACKNOWLEDGED_WORDS


def status_filters(words: Iterable[str]) -> dict[str, Any]:
    """The `Filters` fields that status words ask for; several are read as either ('new reopened')."""
    said = set(words)
    statuses = frozenset[Status]().union(*(STATUS_WORDS[w] for w in said if w in STATUS_WORDS))
    return {"statuses": statuses or None, "unacknowledged": not said.isdisjoint(UNACKNOWLEDGED_WORDS)}


def lists_open_only(filters: Filters) -> bool:
    """Whether the listing holds open issues alone, so a heading may call them open."""
    if filters.statuses:
        return filters.statuses <= OPEN_STATUSES
    return filters.open_only or filters.unacknowledged


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
