"""An announcement a comms lead schedules from Slack: checked field by field, then made an Announcement.

Errors are keyed by field so the Slack modal can show each one next to its input.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from bot.comms.model import FROM_SLACK, Announcement
from bot.comms.schedules import channel_problem
from bot.comms.templates import placeholder_problems
from bot.comms.timing import due_times, trigger_for
from bot.config import OrgConfig
from bot.markup import escape
from bot.privacy import CONTACT_DETAILS, Redaction, Redactor

ONCE, DAILY, WEEKLY = "once", "daily", "weekly"
MAX_TEXT = 3000  # Slack's limit for a section's text


@dataclass(frozen=True)
class Draft:
    message: str
    channel: str
    repeat: str
    at: str  # HH:MM local time
    start: str  # YYYY-MM-DD
    end: str | None = None


@dataclass(frozen=True)
class Checked:
    """Either an announcement ready to store, or what is wrong with each field."""

    announcement: Announcement | None
    errors: dict[str, str]
    redaction: Redaction


def check_draft(draft: Draft, org: OrgConfig, redactor: Redactor, user_id: str, now: datetime) -> Checked:
    """Identifiers are removed and the text made inert before it is kept; comms leads are told what went."""
    redaction = redactor.redact(draft.message.strip(), CONTACT_DETAILS)  # the on-call number stays
    errors: dict[str, str] = {}
    if not redaction.text:
        errors["message"] = "Write the message to post."
    elif len(redaction.text) > MAX_TEXT:
        errors["message"] = f"Keep the message under {MAX_TEXT} characters."
    elif problems := placeholder_problems(redaction.text):  # posted to the channel with its braces
        errors["message"] = f"{problems[0][0].upper()}{problems[0][1:]}."
    if problem := channel_problem(draft.channel, org):
        errors["channel"] = "Pick a channel to post in." if not draft.channel else problem
    if draft.repeat not in (ONCE, DAILY, WEEKLY):
        errors["repeat"] = "Choose once, daily or weekly."
    at, start, end = _time(draft.at), _date(draft.start), _date(draft.end) if draft.end else None
    if at is None:
        errors["at"] = "Give a time of day such as 09:00."
    if start is None:
        errors["start"] = "Pick the first day to post."
    if draft.end and end is None:
        errors["end"] = "Pick a valid last day, or leave it empty."
    if at is None or start is None:
        return Checked(None, errors, redaction)
    announcement = _announcement(draft, org, escape(redaction.text), at, start, end, user_id, now)
    errors = {**_timing_problems(announcement, org, now, start, end), **errors}
    return Checked(None if errors else announcement, errors, redaction)


def _announcement(
    draft: Draft, org: OrgConfig, text: str, at: time, start: date, end: date | None, user_id: str,
    now: datetime,
) -> Announcement:  # fmt: skip
    """A repeating post starts no earlier than now: one made after today's time first posts at the next
    one, as a 'once' at a time that has passed is refused rather than posted late."""
    tz = org.timezone
    begin = max(datetime.combine(start, time(0), tzinfo=tz), now)
    first = datetime.combine(start, at, tzinfo=tz).astimezone(UTC).astimezone(tz)  # 01:30 skipped: 02:30
    last = datetime.combine(end, time(23, 59, 59), tzinfo=tz) if end else None
    cron = None
    if draft.repeat == DAILY:
        cron = f"{at.minute} {at.hour} * * *"
    elif draft.repeat == WEEKLY:
        cron = f"{at.minute} {at.hour} * * {(start.isoweekday()) % 7}"
    return Announcement(
        id=f"slack-{uuid.uuid4().hex[:10]}", channels=(draft.channel,), text=text, cron=cron,
        at=None if cron else first, start=begin if cron else None,
        until=last if cron else None, origin=FROM_SLACK, source=f"Slack, by {user_id}", created_by=user_id,
    )  # fmt: skip


def _timing_problems(
    a: Announcement, org: OrgConfig, now: datetime, start: date, end: date | None
) -> dict[str, str]:
    if end and end < start:
        return {"end": "The last day must be on or after the first day."}
    if a.at and a.at <= now:
        return {"at": f"That time has passed ({a.at:%d %b %H:%M}); pick a later time."}
    if a.until and a.until <= now:
        return {"end": "The last day has passed; pick a later one."}
    if a.until and next(due_times(trigger_for(a, org.timezone), now, a.until), None) is None:
        return {
            "at": f"Every time up to the last day ({a.until:%d %b}) has passed; pick a later time or day."
        }
    return {}


def _time(value: str | None) -> time | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", (value or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def describe_repeat(a: Announcement, org: OrgConfig) -> str:
    """How a person would say when it posts: 'daily at 09:00 from 18 Jan until 12 Feb'."""
    if a.at:
        return f"once, {a.at.astimezone(org.timezone):%a %d %b %Y %H:%M}"
    match = re.fullmatch(r"(\d+) (\d+) \* \* (\*|[0-7])", a.cron or "")
    if not match:
        return f"cron {a.cron}"
    every = "daily" if match[3] == "*" else f"weekly on {_WEEKDAYS[int(match[3]) % 7]}"
    text = f"{every} at {int(match[2]):02d}:{int(match[1]):02d}"
    if a.start:
        text += f" from {a.start.astimezone(org.timezone):%d %b %Y}"
    if a.until:
        text += f" until {a.until.astimezone(org.timezone):%d %b %Y}"
    return text


_WEEKDAYS = ("Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays")
