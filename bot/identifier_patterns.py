"""A trust's own identifier pattern (a hospital number's format), checked before the privacy guard relies
on it: one that can never match lets identifiers reach Slack and the database while all looks well, and
one that matches ordinary numbers removes the bleeps and extensions staff give to be called back.
"""

from __future__ import annotations

import re
import unicodedata

# What staff write that is no patient's identifier; a pattern that removes them is too broad.
ORDINARY = ("bleep 1234", "ext 4002", "ward 10")
EXAMPLE = r"'\b[A-Z]\d{7}\b' for one letter and seven digits"
# The escapes YAML reads inside double quotes as control characters, by what they make.
_ESCAPES = {
    "\b": (r"\b", "backspace"),
    "\a": (r"\a", "bell"),
    "\t": (r"\t", "tab"),
    "\n": (r"\n", "line break"),
    "\r": (r"\r", "carriage return"),
    "\f": (r"\f", "form feed"),
    "\v": (r"\v", "vertical tab"),
    "\0": (r"\0", "NUL"),
    "\x1b": (r"\e", "escape"),
}


class UnusablePattern(ValueError):
    """Why a pattern cannot guard identifiers, with what to write instead."""


def identifier_regex(pattern: str) -> re.Pattern[str]:
    """The pattern as the guard uses it, ignoring case (staff type 'a1234567' too); UnusablePattern
    when it can never match, matches empty text (it would mark every message) or ordinary numbers."""
    if control := next((c for c in pattern if _control(c)), None):
        raise UnusablePattern(_control_character(pattern, control))
    try:
        regex = re.compile(pattern, re.IGNORECASE)
    except (re.error, OverflowError) as exc:  # OverflowError: a repeat count such as {99999999999}
        raise UnusablePattern(f"not a valid regular expression: {exc}") from None
    if regex.search("") is not None or any(m.start() == m.end() for t in ORDINARY for m in regex.finditer(t)):
        raise UnusablePattern(
            "matches empty text (a match of no characters), so it would mark every message without finding "
            f"an identifier: make it match the identifier itself, e.g. {EXAMPLE}"
        )
    if hit := next(((text, found) for text in ORDINARY if (found := regex.search(text))), None):
        raise UnusablePattern(_too_broad(pattern, *hit))
    return regex


def _control_character(pattern: str, char: str) -> str:
    escape, name = _ESCAPES.get(char, (f"\\x{ord(char):02x}", f"control character #x{ord(char):02x}"))
    written = "".join(_ESCAPES.get(c, (f"\\x{ord(c):02x}",))[0] if _control(c) else c for c in pattern)
    quoted = "'" + written.replace("'", "''") + "'"
    return (
        f"holds a {name} ({escape} in double quotes): YAML reads such escapes inside double quotes, so the "
        "pattern would never match and these identifiers would reach Slack and the database; write the "
        f"pattern in single quotes: {quoted}"
    )


def _control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _too_broad(pattern: str, text: str, found: re.Match[str]) -> str:
    case = "" if re.search(pattern, text) else " (patterns ignore case)"
    return (
        f"matches {found.group()!r} in {text!r}{case}: every bleep, extension and ward number staff write "
        "would be removed from questions, issues and posts; make the pattern match only your identifier's "
        f"own format, e.g. {EXAMPLE}"
    )
