"""Local dates and times as a trust writes them in its config and plan, read one way for both files.

YYYY-MM-DD is the one order of day and month that cannot be misread; an hour of one digit ('7:00') is
read as meant, as `hours:` and `at:` read it. Anything else is refused saying what was wrong, with the
value written the way the bot reads it where that can be told.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date, datetime, time
from typing import Any

EXAMPLE = "2027-03-01 07:00"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_OTHER_ORDER = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")  # 28/12/2026, 12/28/2026, 28.12.2026
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_PARTS = re.compile(r"([^\sT]+)(?:[T ](.*))?")  # the date, then the time after a space or a T
_TWELVE_HOUR = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\.?", re.IGNORECASE)


class BadDateTime(ValueError):
    """Why a date and time cannot be read, said so the person can write it right."""


def local_date_time(value: Any) -> date | datetime:
    """A naive local date and time (aware if the value gave its offset), or a date when only a date was
    written: the caller decides what a date alone means. YAML's own dates and datetimes pass through."""
    if isinstance(value, date):  # YAML reads 2027-01-18 as a date, and a time with seconds as a datetime
        return value
    text = " ".join(str(value).split())
    parts = _PARTS.fullmatch(text)
    day_text, clock_text = (parts[1], parts[2] or "") if parts else (text, "")
    iso_day = _ISO_DATE.fullmatch(day_text)
    if iso_day and (not clock_text or _CLOCK.fullmatch(clock_text)):
        return _built(text, iso_day, clock_text)
    with suppress(ValueError):  # what else ISO 8601 allows: an offset, a fraction of a second
        return datetime.fromisoformat(text)
    raise BadDateTime(_why(text, day_text, clock_text))


def _built(text: str, day: re.Match[str], clock_text: str) -> date | datetime:
    try:
        found = date(int(day[1]), int(day[2]), int(day[3]))
    except ValueError as exc:
        raise BadDateTime(f"{text} is not a day of the calendar ({exc})") from None
    if not clock_text:
        return found
    if (clock := _clock(clock_text)) is None:
        raise BadDateTime(f"{text} has no such time of day: write it from 00:00 to 23:59 (local time)")
    return datetime.combine(found, clock)


def _why(text: str, day_text: str, clock_text: str) -> str:
    """What was wrong, and the value as the bot reads it when there is one way to read it."""
    days = _days(day_text)
    twelve = _twelve_hour(clock_text)
    at = f" {when:%H:%M}" if (when := twelve or _clock(clock_text)) else ""
    if len(days) > 1:
        first, second = days
        return (
            f"{day_text} could be {first.day} {first:%B} or {second.day} {second:%B %Y}: write the date as "
            f"YYYY-MM-DD, {first} or {second}"
        )
    if days and not _ISO_DATE.fullmatch(day_text):
        return f"{text} is not a date the bot reads: write the date as YYYY-MM-DD, e.g. {days[0]}{at}"
    if days and twelve:
        return f"{text} is not a time the bot reads: write the time on the 24-hour clock, e.g. {days[0]}{at}"
    return f"must be a local date and time written YYYY-MM-DD HH:MM, e.g. {EXAMPLE}"


def _days(text: str) -> list[date]:
    """The days a date may be: one for YYYY-MM-DD; for 05/01/2027, day first and month first, if both are."""
    if found := _ISO_DATE.fullmatch(text):
        return _valid([(int(found[1]), int(found[2]), int(found[3]))])
    if found := _OTHER_ORDER.fullmatch(text):
        first, second, year = int(found[1]), int(found[2]), int(found[3])
        return _valid([(year, second, first), (year, first, second)])
    return []


def _valid(candidates: list[tuple[int, int, int]]) -> list[date]:
    days: list[date] = []
    for year, month, day in candidates:
        with suppress(ValueError):
            if (found := date(year, month, day)) not in days:
                days.append(found)
    return days


def _clock(text: str) -> time | None:
    """'7:00' or '07:00:00' as a time of day; None for anything else."""
    found = _CLOCK.fullmatch(text)
    if not found or int(found[1]) > 23 or int(found[2]) > 59 or int(found[3] or 0) > 59:
        return None
    return time(int(found[1]), int(found[2]), int(found[3] or 0))


def _twelve_hour(text: str) -> time | None:
    """'7am', '7:30 pm' as the 24-hour time they mean; None for anything else."""
    found = _TWELVE_HOUR.fullmatch(text)
    if not found or not 1 <= int(found[1]) <= 12 or int(found[2] or 0) > 59:
        return None
    return time(int(found[1]) % 12 + (12 if found[3].lower() == "p" else 0), int(found[2] or 0))
