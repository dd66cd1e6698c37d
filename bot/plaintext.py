"""Text from outside (Slack, a terminal, a file) made plain: no control characters, and text any
database takes.

Nobody types control characters; forged, they do harm wherever the text goes next: PostgreSQL refuses
NUL, and an escape sequence, a carriage return or a C1 control (U+009B opens a terminal command)
printed to an operator's terminal rewrites it, hides lines or fakes them. Every layer reads, stores
and prints such text through here.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline


def without_controls(text: str) -> str:
    """Control characters as spaces: typed or forged, they are read, stored and echoed like any other
    gap between words. Tabs and line ends stay; Windows line ends are line ends."""
    return _CONTROLS.sub(" ", text.replace("\r\n", "\n") if "\r" in text else text)


def one_line(text: str) -> str:
    """Text for a one-line field or listing: line breaks and tabs as single spaces too, so it cannot
    start a line that looks like another item or field."""
    return " ".join(without_controls(text).split())


def storable(text: str) -> str:
    """Text every database takes, whichever adapter it came through: no NUL or other control
    characters (PostgreSQL refuses NUL) and no lone surrogates (from a JSON '\\ud800', not UTF-8)."""
    text = without_controls(text)
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")
