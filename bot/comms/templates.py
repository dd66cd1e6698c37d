"""Announcement texts: mrkdwn written by comms leads, with {placeholders} for live figures.

Placeholders are replaced by a plain substitution rather than str.format, so only the names below
are ever filled in and any other brace is posted as written: `placeholder_problems` finds those
('{golive-date}', an unclosed '{golive_date') before all staff see them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.nearest import meant

PLACEHOLDERS = {
    "organisation": "the organisation's name",
    "system": "the name of the new system",
    "phase": "the phase on the day: preliminary, go-live (intensive support), maintenance and support",
    "today": "today's date",
    "days_to_golive": "whole days from today to the go-live date (n/a after it)",
    "days_since_golive": "whole days since the go-live date (0 on the day, n/a before it)",
    "golive_day": "the day of go-live counting the go-live date as day 1 (n/a before it)",
    "golive_date": "the go-live date and time",
    "support_ends_date": "the date and time intensive support ends",
    "open_issues": "open go-live issues",
    "open_p1": "open P1 (patient safety risk) issues",
    "open_p2": "open P2 (work blocked) issues",
    "open_p3": "open P3 (workaround exists) issues",
    "open_p4": "open P4 (question or enhancement) issues",
    "opened_yesterday": "issues logged yesterday",
    "resolved_yesterday": "issues resolved yesterday",
    "top_unanswered": "the questions the bot could not answer most often yesterday",
    "oldest_open_issues": "the ten most severe, then oldest, open issues (the 'top 10 at 10')",
    "contact_now": "who to call right now, from the config's contacts",
}
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")
_BRACED = re.compile(r"\{([^{}\0\n]{0,40})\}")  # a pair around what is not a name: '{golive date}'
_BRACE = re.compile(r"[{}]")
_NAME_AFTER, _NAME_BEFORE = re.compile(r"\{?([\w-]*)"), re.compile(r"([\w-]*)\}?\Z")
_RUN_AFTER, _RUN_BEFORE = re.compile(r"\S*"), re.compile(r"\S*\Z")
_NEAR = 40  # characters either side of a lone brace looked at for its word and name


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def placeholder_problems(text: str) -> list[str]:
    """What in the text would be posted with its braces, in the order it comes: an unknown name, or a
    brace that is not part of a placeholder, each with the placeholder it was probably meant to be."""
    found = [(m.start(), f"unknown placeholder {m[0]}{_hint(m[1])}") for m in _PLACEHOLDER.finditer(text)
             if m[1] not in PLACEHOLDERS]  # fmt: skip
    rest = _PLACEHOLDER.sub(_blank, text)  # a placeholder's braces are no stray ones
    for m in _BRACED.finditer(rest):
        message = f"{m[0]!r} is not a placeholder and would be posted as written"
        found.append((m.start(), message + _hint(m[1])))
    for m in _BRACE.finditer(_BRACED.sub(_blank, rest)):
        found.append((m.start(), _lone(text, m.start())))
    return [message for _, message in sorted(found)]


def _blank(match: re.Match[str]) -> str:
    """The match hidden from the next search, keeping every other character where it was."""
    return "\0" * len(match[0])


def _lone(text: str, at: int) -> str:
    """A brace with no partner, shown in the word that holds it, with the name written beside it."""
    word = _word_at(text, at)
    if text[at] == "{":
        name = _NAME_AFTER.match(text[at + 1 : at + 1 + _NEAR])[1]  # type: ignore[index]
        return f"unclosed brace in {word!r} would be posted as written{_hint(name)}"
    name = _NAME_BEFORE.search(text[max(0, at - _NEAR) : at])[1]  # type: ignore[index]
    return f"closing brace with no opening one in {word!r} would be posted as written{_hint(name)}"


def _word_at(text: str, at: int) -> str:
    """The run of text without spaces that holds position `at`, up to _NEAR characters either side."""
    head = _RUN_BEFORE.search(text[max(0, at - _NEAR) : at])[0]  # type: ignore[index]
    tail = _RUN_AFTER.match(text[at + 1 : at + 1 + _NEAR])[0]  # type: ignore[index]
    return head + text[at] + tail


def _hint(written: str) -> str:
    """': did you mean {golive_date}?' for the placeholder the words are most like, else the known ones."""
    near = meant(re.sub(r"[\W_]+", "_", written).strip("_"), PLACEHOLDERS)
    return f": did you mean {{{near}}}?" if near else f" (known: {', '.join(sorted(PLACEHOLDERS))})"


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace every known placeholder; anything else is left exactly as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), text)
