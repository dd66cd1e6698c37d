"""Reads `/golive issues p1 ward 3 printing mine` into listing filters, the same way everywhere."""

from __future__ import annotations

from bot.config import OrgConfig
from bot.issues.model import Severity
from bot.store.issues import Filters

_MINE = frozenset({"mine", "me", "my"})
_FILLER = frozenset({"on", "in", "at", "the", "for", "and", "open", "issues", "issue"})


def parse(text: str, org: OrgConfig, user_id: str) -> Filters:
    """Severities (p1..p4), 'mine', a configured system area by name or first word; the rest is location."""
    words = text.lower().split()
    severities = frozenset(Severity(w.upper()) for w in words if w.upper() in Severity.__members__)
    area, used = _area(words, org.system_areas)
    rest = [
        w for i, w in enumerate(words)
        if i not in used and w.upper() not in Severity.__members__ and w not in _MINE and w not in _FILLER
    ]  # fmt: skip
    return Filters(
        severities=severities or None,
        area=area,
        involving=user_id if _MINE & set(words) else None,
        location_words=tuple(rest),
    )


def _area(words: list[str], areas: tuple[str, ...]) -> tuple[str | None, set[int]]:
    """The area whose full name appears in the words, else the one whose first word does (if unique)."""
    for area in sorted(areas, key=len, reverse=True):
        name = area.lower().split()
        for start in range(len(words) - len(name) + 1):
            if words[start : start + len(name)] == name:
                return area, set(range(start, start + len(name)))
    for i, word in enumerate(words):
        matches = [a for a in areas if len(word) >= 4 and a.lower().split()[0] == word]
        if len(matches) == 1:
            return matches[0], {i}
    return None, set()
