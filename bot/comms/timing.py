"""When announcements fall due, computed by APScheduler's triggers in the organisation's time zone.

The triggers do the calendar arithmetic, so 09:00 stays 09:00 on the wall clock across the
clock changes in March and October.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.comms.model import Announcement

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STEP = re.compile(r"^(\*|\d+(?:-\d+)?)(?:/(\d+))?$")
_TICK = timedelta(microseconds=1)


class BadCron(ValueError):
    pass


def _weekdays(field: str) -> str:
    """Standard cron counts Sunday as 0 (or 7); APScheduler counts Monday as 0, so use names."""
    if not any(ch.isdigit() for ch in field):
        return field
    days: list[int] = []
    for part in field.split(","):
        match = _STEP.match(part)
        if not match:
            raise BadCron(f"day of week {part!r} is not understood (use 0-7, ranges such as 1-5, or mon-fri)")
        first, last = (0, 6) if match[1] == "*" else _bounds(match[1])
        if not 0 <= first <= last <= 7:
            raise BadCron(f"day of week {part!r} must be within 0-7 (0 and 7 are Sunday)")
        days.extend(range(first, last + 1, int(match[2] or 1)))
    return ",".join(dict.fromkeys(_DAY_NAMES[d] for d in days))


def _bounds(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    return int(first), int(last or first)


def cron_trigger(
    expression: str, tz: ZoneInfo, start: datetime | None = None, end: datetime | None = None
) -> CronTrigger:
    """A trigger from a five-field cron expression; raises BadCron with a reason a person can act on."""
    fields = expression.split()
    if len(fields) != 5:
        raise BadCron(f"{expression!r} needs five fields: minute hour day-of-month month day-of-week")
    minute, hour, day, month, weekday = fields
    try:
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month, day_of_week=_weekdays(weekday),
            start_date=start, end_date=end, timezone=tz,
        )  # fmt: skip
    except ValueError as exc:
        raise BadCron(f"{expression!r} is not a valid cron expression: {exc}") from exc


def trigger_for(announcement: Announcement, tz: ZoneInfo) -> BaseTrigger:
    if announcement.cron:
        return cron_trigger(announcement.cron, tz, announcement.start, announcement.until)
    if announcement.at is None:
        raise ValueError(f"announcement {announcement.id} has neither cron nor at")
    return DateTrigger(run_date=announcement.at, timezone=tz)


def due_times(trigger: BaseTrigger, after: datetime, until: datetime) -> Iterator[datetime]:
    """Fire times in (after, until], earliest first."""
    if isinstance(trigger, DateTrigger):
        if after < trigger.run_date <= until:
            yield trigger.run_date
        return
    when = trigger.get_next_fire_time(None, after + _TICK)
    while when is not None and when <= until:
        yield when
        when = trigger.get_next_fire_time(when, when + _TICK)
