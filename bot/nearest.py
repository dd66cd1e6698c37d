"""The known name a mistyped one was most likely meant to be, for messages that say 'did you mean'.

Settings, knowledge-base keys and commands are all suggested the same way, so a slip is caught alike
wherever a person types a name the bot knows.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

SLIP_AT = 65.0  # likeness (0-100) at which a name is taken for a slip of a known one ('alias', 'entry')


def meant(typed: str, known: Iterable[str], at: float = SLIP_AT) -> str | None:
    """The known name most like `typed`, ignoring case, when alike enough to be a slip of it."""
    found = process.extractOne(typed, list(known), scorer=fuzz.ratio, processor=str.casefold, score_cutoff=at)
    return found[0] if found else None
