"""Argument types the commands share, so a mistyped date or number gets the same plain answer everywhere.

argparse's own messages name Python functions ("invalid fromisoformat value"); these say what to type.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

# Dates a go-live can be about; 0001-01-01 or 9999-12-31 would overflow the arithmetic on local days.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def local_date(text: str) -> date:
    """A day written YYYY-MM-DD: the one form that cannot be misread as US or UK order."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2027-01-18"
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a go-live date; give one from {EARLIEST} to {LATEST}"
        )
    return day


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argument type for a whole number from `low` (to `high`, when there is a limit)."""
    allowed = f"from {low} to {high}" if high is not None else f"of {low} or more"

    def parse(text: str) -> int:
        value = int(text) if text.strip().isdigit() else None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed; give a whole number {allowed}")
        return value

    return parse


def add_port_argument(p: argparse.ArgumentParser) -> None:
    """`start` and `serve` take the same --port."""
    p.add_argument(
        "--port",
        type=whole_number(0, 65535),
        metavar="N",
        help="HTTP port (default: $PORT or 3000; 0 picks a free one)",
    )
