"""Reads `schedules/*.yaml`, the communications plan a comms lead edits, reporting every problem by line."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.comms.facts import NEEDS_DATE
from bot.comms.model import Announcement
from bot.comms.phases import describe_phases, phase_at, within_phases
from bot.comms.templates import placeholder_problems, placeholders_in
from bot.comms.timing import FORWARD, BadCron, clock_change_at, cron_trigger, due_times, trigger_for
from bot.config import CHANNEL_REF, PHASES, OrgConfig, read_phases
from bot.localtime import BadDateTime, local_date_time
from bot.nearest import meant
from bot.privacy import CONTACT_DETAILS
from bot.yamlsource import (
    FLOW_VALUE,
    InvalidFile,
    LineDict,
    Problem,
    line_of,
    load_yaml_file,
    not_a_folder,
    yaml_files,
)

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_RELATIVE_KEYS = ("days_before", "days_after", "at")
_KEYS = {"id", "channels", "cron", "at", "relative", "phases", "start", "until", "text"}
_CONFIG_CHANNELS = ("announcements", "command_centre", "triage", "safety")
# A post with no start or until is sought within these: every cron that ever matches does so in them.
_EARLIEST, _LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
_INSTANT = timedelta(microseconds=1)
_CHANNEL_CHOICES = (
    f"{', '.join(_CONFIG_CHANNELS)} (from the config), a channel id (C0123ABCD)"
    ' or a "#channel-name" in quotes'
)
_EMPTY_FILE = (
    "the file is empty: list its announcements under 'announcements:', or delete the file if the plan "
    "needs none from it"
)


def load_schedules(directory: Path, org: OrgConfig) -> list[Announcement]:
    """Every announcement in the folder's YAML files; raises InvalidFile listing all problems."""
    announcements, problems = read_schedules(directory, org)
    if problems:
        raise InvalidFile(problems)
    return announcements


def read_schedules(directory: Path, org: OrgConfig) -> tuple[list[Announcement], list[Problem]]:
    """The plan and its problems; no folder is an empty plan, as a trust may not have written one yet,
    but a file given for the folder is a mistake (one plan file named instead of its folder)."""
    if not directory.exists():
        return [], []
    if not directory.is_dir():
        return [], [not_a_folder(directory)]
    announcements: list[Announcement] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in yaml_files(directory):  # not an editor's lock file or a Mac's ._ copy marker
        reader = _FileReader(str(path), org)
        try:
            items = reader.read(load_yaml_file(path))
        except InvalidFile as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(reader.problems)
        for item, announcement in items:
            if announcement.id in seen:
                message = f"duplicate id (first at {seen[announcement.id]})"
                problems.append(Problem(str(path), line_of(item, "id"), message, "id"))
                continue
            seen[announcement.id] = announcement.source
            announcements.append(announcement)
    return announcements, problems


class _FileReader:
    """One file's announcements; collects problems instead of stopping at the first."""

    def __init__(self, path: str, org: OrgConfig):
        self.path = path
        self.org = org
        self.problems: list[Problem] = []

    def fail(self, node: Any, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, line_of(node, key), message, key))

    def read(self, data: Any) -> list[tuple[LineDict, Announcement]]:
        if data is None:  # read as no posts, it silently cancelled all the file had
            self.problems.append(Problem(self.path, 1, _EMPTY_FILE))
            return []
        if not isinstance(data, dict) or not isinstance(data.get("announcements"), list):
            self.fail(data, None, "a schedules file holds `announcements:`, a list of announcements")
            return []
        result = []
        for item in data["announcements"]:
            announcement = self.announcement(item)
            if announcement is not None:
                result.append((item, announcement))
        return result

    def announcement(self, item: Any) -> Announcement | None:
        if not isinstance(item, dict):
            self.fail(item, None, "each announcement must be a mapping with id, channels, when and text")
            return None
        before = len(self.problems)
        for key in item:
            if key not in _KEYS:
                takes = f"a post takes {', '.join(sorted(_KEYS))}"
                self.unknown_field(item, str(key), _KEYS, str(key), takes)
        ident = self.ident(item)
        channels = self.channels(item)
        text = self.text(item)
        phases = self.phases(item)
        cron, at = self.when(item)
        start, until = self.local_time(item, "start"), self.local_time(item, "until")
        if start and until and until < start:
            self.fail(item, "until", "is before start: the announcement would never be posted")
        if len(self.problems) > before or ident is None:
            return None
        return Announcement(
            id=ident, channels=channels, text=text, cron=cron, at=at, start=start, until=until,
            phases=phases, source=f"{self.path}:{line_of(item)}",
        )  # fmt: skip

    def ident(self, item: dict) -> str | None:
        value = item.get("id")
        if not isinstance(value, str) or not _ID.match(value):
            self.fail(item, "id", "needs an id of lower-case letters, digits and -_. (e.g. countdown-14)")
            return None
        return value

    def channels(self, item: dict) -> tuple[str, ...]:
        value = item.get("channels")
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names:
            self.fail(
                item, "channels", f"needs channels: {_CHANNEL_CHOICES}{_commented_out(item, 'channels')}"
            )
            return ()
        for name in names:
            problem = channel_problem(name, self.org)
            if problem:
                self.fail(item, "channels", problem)
        return tuple(str(n) for n in names)

    def text(self, item: dict) -> str:
        value = item.get("text")
        if not isinstance(value, str) or not value.strip():
            unquoted = f"; {FLOW_VALUE}" if isinstance(value, (dict, list)) else ""  # text: {golive_day}
            self.fail(item, "text", f"needs the message text (Slack mrkdwn){unquoted}")
            return ""
        for problem in placeholder_problems(value):  # posted to all staff with its braces
            self.fail(item, "text", problem)
        if found := self.org.redactor().redact(value, CONTACT_DETAILS).removed:
            what = ", ".join(found)
            self.fail(
                item, "text", f"contains a patient identifier ({what}): announcements must not carry one"
            )
        return value.strip()

    def phases(self, item: dict) -> tuple[str, ...]:
        phases, problem = read_phases(item.get("phases", PHASES))
        if problem:
            self.fail(item, "phases", problem)
        return phases

    def when(self, item: dict) -> tuple[str | None, datetime | None]:
        given = [k for k in ("cron", "at", "relative") if k in item]
        if len(given) != 1:
            self.fail(item, None, "say when with exactly one of cron, at or relative")
            return None, None
        if given[0] == "cron":
            return self.cron(item), None
        if given[0] == "at":
            return None, self.local_time(item, "at")
        return None, self.relative(item)

    def cron(self, item: dict) -> str | None:
        value = item.get("cron")
        try:
            cron_trigger(str(value), self.org.timezone)
        except BadCron as exc:
            self.fail(item, "cron", str(exc))
            return None
        return str(value)

    def local_time(self, item: dict, key: str) -> datetime | None:
        """A local date and time; a date alone is the start of that day, or for `until` its end."""
        value = item.get(key)
        if value is None:
            return None
        try:
            parsed = local_date_time(value)
        except BadDateTime as exc:
            self.fail(item, key, str(exc))
            return None
        if not isinstance(parsed, datetime) and key == "at":
            self.fail(item, key, "needs a time as well as the date, e.g. 2027-01-18 07:00 (not midnight)")
            return None
        if not isinstance(parsed, datetime):
            return datetime.combine(parsed, time.max if key == "until" else time(0), tzinfo=self.org.timezone)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=self.org.timezone)

    def unknown_fields(self, spec: dict) -> bool:
        """Whether a relative date holds a field it does not read, each reported: 'time: 07:30' was passed
        over, and the post went out at the default 09:00."""
        unknown = [str(key) for key in spec if key not in _RELATIVE_KEYS]
        for key in unknown:
            takes = "relative takes days_before or days_after, and at"
            self.unknown_field(spec, key, _RELATIVE_KEYS, "relative", takes)
        return bool(unknown)

    def unknown_field(self, node: dict, key: str, known: Collection[str], label: str, takes: str) -> None:
        """A field that is not read, named with the known one it is most like, as a slip of it."""
        named = f" {key!r}" if label != key else ""
        hint = f" (did you mean {near}?)" if (near := meant(key, known)) else ""
        self.problems.append(
            Problem(self.path, line_of(node, key), f"unknown field{named}{hint}: {takes}", label)
        )

    def relative(self, item: dict) -> datetime | None:
        spec = item.get("relative")
        if isinstance(spec, dict) and self.unknown_fields(spec):
            return None
        offsets = [k for k in ("days_before", "days_after") if isinstance(spec, dict) and k in spec]
        if not isinstance(spec, dict) or len(offsets) != 1 or not _whole(spec[offsets[0]]):
            self.fail(item, "relative", 'must be {days_before: N, at: "09:00"} or {days_after: N, ...}')
            return None
        at = _clock_time(spec.get("at", "09:00"))
        if at is None:
            self.fail(spec, "at", "must be a local time of day such as 09:00")
            return None
        if self.org.golive.start is None:
            self.fail(item, "relative", "a date relative to go-live needs golive.start in the config")
            return None
        days = spec[offsets[0]] * (-1 if offsets[0] == "days_before" else 1)
        day = self.org.golive.start.astimezone(self.org.timezone).date() + timedelta(days=days)
        return datetime.combine(day, at, tzinfo=self.org.timezone)


def channel_problem(name: Any, org: OrgConfig) -> str | None:
    """Why a channel reference cannot be posted to, or None when it can."""
    if name in _CONFIG_CHANNELS:
        if getattr(org.channels, name) is None:
            return f"channel {name!r} is not set under channels: in the config ({org.named})"
        return None
    if not isinstance(name, str) or not CHANNEL_REF.match(name):
        return f"unknown channel {name!r}{_channel_meant(name)}: use {_CHANNEL_CHOICES}"
    return None


def _channel_meant(name: Any) -> str:
    """The channel a lead most likely meant: a slip of a config name ('announcments'), or a Slack
    channel's name as Slack shows it, which the bot reads only with its # and in lower case."""
    if not isinstance(name, str):
        return ""
    if near := meant(name, _CONFIG_CHANNELS, at=85):  # 'golive-announcements' is a channel's name
        return f" (did you mean {near}?)"
    named = "#" + name.lower().removeprefix("#")
    if not CHANNEL_REF.match(named):
        return ""
    why = (
        "A channel's name needs its #" if not name.startswith("#") else "Slack's channel names are lower case"
    )
    return f' (did you mean "{named}"? {why})'


def _commented_out(item: LineDict, key: str) -> str:
    """Why a key written with no value most likely has none: a #name left unquoted is a YAML comment."""
    if key not in item or item[key] is not None:
        return ""
    return (
        "; YAML reads an unquoted # as the start of a comment: write a channel's name in quotes, e.g."
        ' channels: ["#golive-announcements"]'
    )


def resolve_channel(name: str, org: OrgConfig) -> str:
    """A config channel name becomes the channel it names; ids and #names pass through."""
    return getattr(org.channels, name) if name in _CONFIG_CHANNELS else name


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3650


def _clock_time(value: Any) -> time | None:
    if isinstance(value, int) and not isinstance(value, bool):  # YAML 1.1 reads 09:00 unquoted as 540
        return time(value // 60, value % 60) if 0 <= value < 24 * 60 else None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value))
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def never_posted(announcements: list[Announcement], org: OrgConfig, now: datetime) -> list[str]:
    """Posts that are valid but will never be made, said as warnings: refusing them would stop the whole
    plan loading at start-up, and a plan that has run its course is normal after go-live. The posts of
    a phase that is over are its history, said once per file: in go-live week last week's countdown
    went out, and a line for each would bury the warning that matters."""
    current = phase_at(org.golive, now)
    done = [a for a in announcements if _over(a, org, now) and phase_at(org.golive, _last(a)) != current]
    warnings = [warning for a in announcements if a not in done and (warning := _never_posted(a, org, now))]
    return warnings + _history(done, org)


def _last(a: Announcement) -> datetime:
    return a.at or a.until or _LATEST


def _over(a: Announcement, org: OrgConfig, now: datetime) -> bool:
    """Whether every time of the post has passed, beyond the grace a late post is sent in."""
    return _last(a) < now - timedelta(minutes=org.schedule_grace_minutes)


def _history(done: list[Announcement], org: OrgConfig) -> list[str]:
    """One line per file and phase for the posts of phases that are over, naming them, so a date
    written in the wrong year is still seen."""
    groups: dict[tuple[str, str], list[Announcement]] = {}
    for a in done:
        groups.setdefault((a.source.rpartition(":")[0], phase_at(org.golive, _last(a))), []).append(a)
    return [_history_line(posts, phase) for (_, phase), posts in groups.items()]


def _history_line(posts: list[Announcement], phase: str) -> str:
    many = len(posts) > 1
    return (
        f"{posts[0].source}: warning: {len(posts)} {'posts are' if many else 'post is'} for the {phase}"
        f" phase, which is over ({', '.join(a.id for a in posts)}): {'they' if many else 'it'} went out then"
        " if the bot was running, and will not be posted again"
    )


def _never_posted(a: Announcement, org: OrgConfig, now: datetime) -> str | None:
    """Why one post will never be made: its last time has passed beyond the grace a late post gets, or
    its one time falls outside its own phases (a countdown kept for go-live after intensive support was
    made shorter), or its cron has no time to fall in."""
    if _over(a, org, now):
        key = "at" if a.at else "until"
        local = _last(a).astimezone(org.timezone)
        passed = f"{key} {local:%Y-%m-%d %H:%M} has passed"
        return f"{a.source}: {a.id}: warning: {passed}: it will not be posted from now on"
    if a.at is not None and (phase := phase_at(org.golive, a.at)) not in a.phases:
        return (
            f"{a.source}: {a.id}: warning: due {a.at:%Y-%m-%d %H:%M} in the {phase} phase, which is not"
            f" among its phases {list(a.phases)}: it will never be posted"
        )
    if a.cron is not None and (why := _cron_never_due(a, org)):
        phases = describe_phases(org.golive, a.phases, org.timezone)
        return f"{a.source}: {a.id}: warning: {why} ({phases}): it will never be posted"
    return None


def unset_dates(announcements: list[Announcement], org: OrgConfig) -> list[str]:
    """Placeholders for a go-live date the config does not set, said as warnings: the post would tell
    every member of staff that support runs 'until (not set)'."""
    warnings = []
    for a in announcements:
        for name in dict.fromkeys(placeholders_in(a.text)):
            key, shown = NEEDS_DATE.get(name, (None, ""))
            if key and getattr(org.golive, key) is None:
                warnings.append(
                    f"{a.source}: {a.id}: warning: {{{name}}} would read {shown!r}: golive.{key} is not set"
                    " in the config; set it, or take the placeholder out"
                )
    return warnings


def clock_changes(announcements: list[Announcement], org: OrgConfig) -> list[str]:
    """One-off posts (`at`, `relative`) at a time the clocks skip or repeat, said as warnings with when
    they really post: the lead wrote one moment and would otherwise learn of the other from the channel.
    A repeating post's rule for those nights is the README's, the same every year."""
    return [warning for a in announcements if a.at and (warning := _clock_change(a, a.at, org))]


def _clock_change(a: Announcement, at: datetime, org: OrgConfig) -> str | None:
    if (way := clock_change_at(at)) is None:  # an `at` written with its offset is one moment
        return None
    # through UTC: astimezone to the zone it is already in would keep the skipped 01:30 as written
    posted = f"{at.astimezone(UTC).astimezone(org.timezone):%H:%M %Z}"
    written = f"{at:%Y-%m-%d %H:%M}"
    if way == FORWARD:
        what, when = "does not happen", f"it posts at {posted}"
    else:
        what, when = "happens twice", f"it posts at the first, {posted}"
    return (
        f"{a.source}: {a.id}: warning: {written} {what} in {org.timezone.key} (the clocks go {way} that"
        f" night): {when}"
    )


def _cron_never_due(a: Announcement, org: OrgConfig) -> str | None:
    """Why a repeating post never falls due: its start and until leave no time in its phases (a go-live
    briefing given a start after intensive support ends), or none that its cron matches."""
    low, high = (a.start - _INSTANT if a.start else _EARLIEST), a.until or _LATEST
    pieces = within_phases(org.golive, a.phases, low, high)
    trigger = trigger_for(a, org.timezone)
    if any(next(due_times(trigger, after, until), None) is not None for after, until in pieces):
        return None
    bounds = "".join(
        f" {word} {when.astimezone(org.timezone):%Y-%m-%d %H:%M}"
        for word, when in (("from", a.start), ("until", a.until))
        if when
    )
    if not pieces:
        return f"no time{bounds} falls in its phases {list(a.phases)}"
    return f"cron {a.cron!r} matches no time{bounds} in its phases {list(a.phases)}"
