"""Announcement texts: mrkdwn written by comms leads, with {placeholders} for live figures.

Placeholders are replaced by a plain substitution rather than str.format, so a stray brace in a
message is harmless and only the names below are ever filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def unknown_placeholders(text: str) -> list[str]:
    return [name for name in placeholders_in(text) if name not in PLACEHOLDERS]


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace every known placeholder; anything else is left exactly as written."""
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), text)
