"""Configuration from one place: the environment plus one organisation file, read once and validated.

Everything below `load_settings` receives plain values; nothing else reads the environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.identifier_patterns import UnusablePattern, identifier_regex
from bot.localtime import BadDateTime, local_date_time
from bot.nearest import meant
from bot.privacy import IdentifierPattern, Redactor, url_without_secrets
from bot.yamlsource import InvalidFile, LineDict, Problem, line_of, load_yaml_file

DEFAULT_CONFIG_FILE = "golive.yaml"
DEFAULT_DATABASE_URL = "sqlite:///golive.db"
BUILT_IN = "(built-in defaults)"  # the source of an OrgConfig read from no file
PHASES = ("preliminary", "go-live", "maintenance")
# Names for UTC that people write meaning UK time: the clocks a go-live runs by change twice a year.
_NO_SUMMER_TIME = frozenset({"GMT", "UTC", "UCT", "GMT0", "GMT+0", "GMT-0", "ZULU", "UNIVERSAL", "GREENWICH"})
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")
# How a channel may be written anywhere the bot is told where to post (config, schedules, Slack forms):
# a Slack channel id (C…, G… private, D… direct message) or a #channel-name as Slack allows it.
CHANNEL_REF = re.compile(r"^(?:[CGD][A-Z0-9]{2,}|#[a-z0-9][a-z0-9_\-]{0,79})$")


def read_phases(value: Any) -> tuple[tuple[str, ...], str | None]:
    """The phases a plan's post or a contact is for, from a list or one name (written as a channel may
    be), with what is wrong with them, the one most likely meant too ('golive': go-live); all phases
    when they cannot be read, beside the problem."""
    phases = [value] if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else None
    if phases and all(p in PHASES for p in phases):
        return tuple(phases), None
    unknown = next((p for p in phases or () if p not in PHASES), None)
    near = meant(unknown, PHASES) if isinstance(unknown, str) else None
    which = f"unknown phase {unknown!r}{f' (did you mean {near}?)' if near else ''}: " if unknown else ""
    return PHASES, f"{which}phases are a list from {', '.join(PHASES)}"


@dataclass(frozen=True)
class Group:
    """People allowed to do something: Slack user ids and/or one Slack user group."""

    users: frozenset[str] = frozenset()
    usergroup: str | None = None

    @property
    def empty(self) -> bool:
        return not self.users and not self.usergroup


@dataclass(frozen=True)
class Contact:
    """Who to call, for a phase, optionally a site and a time-of-day window (local time)."""

    name: str
    how: str
    phases: tuple[str, ...] = PHASES
    sites: tuple[str, ...] = ()
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class GoLive:
    start: datetime | None = None
    intensive_support_ends: datetime | None = None


@dataclass(frozen=True)
class Channels:
    triage: str | None = None
    safety: str | None = None
    announcements: str | None = None
    command_centre: str | None = None


@dataclass(frozen=True)
class OrgConfig:
    """The organisation's go-live, as its config file describes it."""

    organisation: str = "Example NHS Trust"
    system_name: str = "the new system"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    golive: GoLive = field(default_factory=GoLive)
    channels: Channels = field(default_factory=Channels)
    maintenance_team: Group = field(default_factory=Group)
    clinical_safety_group: Group = field(default_factory=Group)
    comms_leads: Group = field(default_factory=Group)
    on_call_usergroup: str | None = None
    locations: tuple[str, ...] = ()
    system_areas: tuple[str, ...] = ()
    p1_ack_minutes: int = 15
    schedule_grace_minutes: int = 60
    contacts: tuple[Contact, ...] = ()
    identifier_patterns: tuple[IdentifierPattern, ...] = ()
    source: str = BUILT_IN

    def redactor(self) -> Redactor:
        return Redactor(self.identifier_patterns)

    @property
    def named(self) -> str:
        """The config file as messages name it, in brackets: BUILT_IN has its own, which doubled."""
        if self.source == BUILT_IN:
            return f"none found: no {DEFAULT_CONFIG_FILE} here, no --config FILE or GOLIVE_CONFIG"
        return self.source


@dataclass(frozen=True)
class Settings:
    """Everything the bot is told, from the environment and the config file."""

    org: OrgConfig
    knowledge_dir: Path = Path("knowledge")
    schedules_dir: Path = Path("schedules")
    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    log_level: str = "INFO"
    # What is wrong with the config file when it was read leniently (for `validate`); `org` then holds
    # the settings that could be read, so the other files can still be checked against them.
    config_problems: tuple[Problem, ...] = ()

    @property
    def has_slack(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values no log line may show."""
        found = (self.slack_bot_token, self.slack_signing_secret, self.slack_app_token)
        return tuple(v for v in found if v)

    def __repr__(self) -> str:  # secrets never reach a log line through repr()
        return (
            f"Settings(org={self.org.organisation!r}, database={url_without_secrets(self.database_url)!r}, "
            f"knowledge={str(self.knowledge_dir)!r}, slack={'yes' if self.has_slack else 'no'})"
        )


class InvalidEnvironment(ValueError):
    """An environment variable the bot cannot use, said so the person can set it right."""


PLACE_MAX = 100  # a location or system area, as the issue form stores it


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _env(env: dict[str, str], name: str) -> str | None:
    """The variable's value without the spaces or newline a copy and paste brings (a signing secret
    with a trailing newline fails every signature); None when unset or blank, so a default applies."""
    return (env.get(name) or "").strip() or None


def _database_url(raw: str | None) -> str:
    """DATABASE_URL as typed, with an '@' in the user name or password escaped as the URL needs.

    People paste their password as it is; 'p@ss' would otherwise make 'ss@host' the server (and put
    part of the password in the error). The last '@' before the host is the one that separates them.
    """
    if not raw:
        return DEFAULT_DATABASE_URL
    scheme, sep, rest = raw.partition("://")
    if not sep or scheme.startswith("sqlite") or rest.count("@") < 2:
        return raw
    credentials, _, host = rest.rpartition("@")
    return f"{scheme}://{credentials.replace('@', '%40')}@{host}"


def _log_level(env: dict[str, str]) -> str:
    level = (_env(env, "LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise InvalidEnvironment(
            f"LOG_LEVEL is {env.get('LOG_LEVEL')!r}; set it to one of {', '.join(LOG_LEVELS)}, or unset it "
            "for INFO."
        )
    return level


def load_settings(
    env: dict[str, str],
    config_file: str | None = None,
    knowledge_dir: str | None = None,
    schedules_dir: str | None = None,
    strict: bool = True,
) -> Settings:
    """Build Settings from the environment; command-line paths win over environment paths.

    An invalid config file raises InvalidFile, unless `strict` is False: then its problems are kept in
    `config_problems`, for a caller that reports them alongside other files' problems. A variable set to
    an empty string counts as unset; one the bot cannot use raises InvalidEnvironment.
    """
    path = config_file or _env(env, "GOLIVE_CONFIG")
    if path is None and Path(DEFAULT_CONFIG_FILE).exists():
        path = DEFAULT_CONFIG_FILE
    log_level = _log_level(env)
    org, problems = read_org_config(Path(path)) if path else (OrgConfig(), [])
    if problems and strict:
        raise InvalidFile(problems)
    return Settings(
        org=org,
        config_problems=tuple(problems),
        knowledge_dir=Path(knowledge_dir or _env(env, "GOLIVE_KNOWLEDGE_DIR") or "knowledge"),
        schedules_dir=Path(schedules_dir or _env(env, "GOLIVE_SCHEDULES_DIR") or "schedules"),
        database_url=_database_url(_env(env, "DATABASE_URL")),
        slack_bot_token=_env(env, "SLACK_BOT_TOKEN"),
        slack_signing_secret=_env(env, "SLACK_SIGNING_SECRET"),
        slack_app_token=_env(env, "SLACK_APP_TOKEN"),
        slack_api_url=_env(env, "SLACK_API_URL"),
        log_level=log_level,
    )


def load_org_config(path: Path) -> OrgConfig:
    """The organisation's config; raises InvalidFile listing every problem in it."""
    org, problems = read_org_config(path)
    if problems:
        raise InvalidFile(problems)
    return org


def read_org_config(path: Path) -> tuple[OrgConfig, list[Problem]]:
    """Every problem in the file, and the config made of the settings that could be read."""
    try:
        data = load_yaml_file(path)
    except InvalidFile as exc:
        return OrgConfig(source=str(path)), exc.problems
    if data is None:  # read as all defaults, it hid behind one 'not set' per post of the plan
        return OrgConfig(source=str(path)), [Problem(str(path), 1, _EMPTY_CONFIG)]
    reader = _Reader(str(path))
    return reader.org(data), reader.problems


_EMPTY_CONFIG = (
    "the config file is empty: it must hold the go-live's settings, at least golive.start, channels "
    "(triage, announcements) and people; copy the shipped, commented golive.yaml and fill in your own"
)


# The settings at the top of the file, in the order the shipped golive.yaml gives them.
_TOP_LEVEL = (
    "organisation", "system", "timezone", "golive", "channels", "people", "locations", "system_areas",
    "escalation", "schedules", "contacts", "privacy",
)  # fmt: skip


class _Reader:
    """Reads the config mapping, collecting every problem with its line instead of stopping."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, node: Any, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, line_of(node, key), message, key))

    def org(self, data: Any) -> OrgConfig:
        if not isinstance(data, dict):
            self.fail(data, None, "the config file must be a mapping of settings")
            return OrgConfig(source=self.path)
        self.only(data, _TOP_LEVEL)
        self.only(data.get("golive"), ("start", "intensive_support_ends"))
        self.only(data.get("people"), ("maintenance_team", "clinical_safety_group", "comms_leads",
                                       "on_call_usergroup"))  # fmt: skip
        self.only(data.get("escalation"), ("p1_ack_minutes",))
        self.only(data.get("schedules"), ("grace_minutes",))
        self.only(data.get("privacy"), ("identifier_patterns",))
        tz = self.timezone(data)
        people = self.mapping(data, "people")
        return OrgConfig(
            organisation=self.text(data, "organisation") or OrgConfig.organisation,
            system_name=self.text(data, "system") or OrgConfig.system_name,
            timezone=tz,
            golive=self.golive(self.mapping(data, "golive"), tz),
            channels=self.channels(self.mapping(data, "channels")),
            maintenance_team=self.group(people, "maintenance_team"),
            clinical_safety_group=self.group(people, "clinical_safety_group"),
            comms_leads=self.group(people, "comms_leads"),
            on_call_usergroup=self.usergroup(people, "on_call_usergroup"),
            locations=self.places(data, "locations"),
            system_areas=self.places(data, "system_areas"),
            p1_ack_minutes=self.minutes(self.mapping(data, "escalation"), "p1_ack_minutes", 15),
            schedule_grace_minutes=self.minutes(self.mapping(data, "schedules"), "grace_minutes", 60),
            contacts=self.contacts(data),
            identifier_patterns=self.patterns(self.mapping(data, "privacy")),
            source=self.path,
        )

    def only(self, data: Any, allowed: tuple[str, ...]) -> None:
        """A key the bot does not read in a section is a mistake: a misspelt `hour:` or
        `identifier_pattern:` would otherwise be dropped without a word, and its setting lost."""
        if not isinstance(data, dict):
            return
        for key in data:
            if key not in allowed:
                close = meant(str(key), allowed)
                hint = f"did you mean {close!r}? " if close else ""
                self.fail(data, str(key), f"unknown setting; {hint}the bot reads {', '.join(allowed)} here")

    def mapping(self, data: dict, key: str) -> dict:
        value = data.get(key)
        if value is None:
            return LineDict()
        if not isinstance(value, dict):
            self.fail(data, key, "must be a mapping")
            return LineDict()
        return value

    def text(self, data: dict, key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(data, key, "must be non-empty text")
            return None
        return value.strip()

    def text_list(self, data: dict, key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(data, key, "must be a list of names")
            return ()
        return tuple(v.strip() for v in value)

    def places(self, data: dict, key: str) -> tuple[str, ...]:
        """Locations and system areas: offered in the issue form, which stores at most PLACE_MAX."""
        names = self.text_list(data, key)
        if too_long := [n for n in names if len(n) > PLACE_MAX]:
            self.fail(data, key, f"keep each name to {PLACE_MAX} characters: the issue form cannot save "
                      f"{too_long[0][:40]!r}...")  # fmt: skip
        return names

    def timezone(self, data: dict) -> ZoneInfo:
        name = self.text(data, "timezone") or "Europe/London"
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
            meant = {z.lower(): z for z in available_timezones()}.get(name.lower())
            hint = f"did you mean {meant}?" if meant else "e.g. Europe/London"
            self.fail(data, "timezone", f"unknown time zone {name!r} ({hint})")
            return ZoneInfo("Europe/London")
        if name.upper().removeprefix("ETC/") in _NO_SUMMER_TIME:
            self.fail(
                data,
                "timezone",
                f"{name} never moves to British Summer Time, so from the end of March to the end of "
                "October every post would be an hour out; write Europe/London",
            )
            return ZoneInfo("Europe/London")
        return zone

    def when(self, data: dict, key: str, tz: ZoneInfo) -> datetime | None:
        value = data.get(key)
        if value is None:
            return None
        try:
            parsed = local_date_time(value)
        except BadDateTime as exc:
            self.fail(data, key, str(exc))
            return None
        if not isinstance(parsed, datetime):  # a date alone: the day's start
            parsed = datetime.combine(parsed, time(0))
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)

    def golive(self, data: dict, tz: ZoneInfo) -> GoLive:
        start = self.when(data, "start", tz)
        ends = self.when(data, "intensive_support_ends", tz)
        if start and ends and ends <= start:
            self.fail(data, "intensive_support_ends", "must be after the go-live start")
        if ends and data.get("start") is None:  # a start that could not be read is reported once, above
            self.fail(data, "intensive_support_ends", "needs golive.start as well")
        return GoLive(start, ends)

    def channels(self, data: dict) -> Channels:
        values = {}
        for key in ("triage", "safety", "announcements", "command_centre"):
            value = data.get(key)
            if value is None and key in data and self.commented_out(data, key):
                self.fail(data, key, "is empty: YAML reads a # after the colon as a comment; put the "
                          'channel name in quotes, e.g. "#golive-triage"')  # fmt: skip
            if value is not None and not (isinstance(value, str) and CHANNEL_REF.match(value)):
                self.fail(data, key, "must be a channel id (C0123ABCD) or #channel-name")
                value = None
            values[key] = value
        for key in data:
            if key not in values:
                self.fail(
                    data,
                    str(key),
                    "unknown channel (triage, safety, announcements, command_centre)",
                )
        return Channels(**values)

    def commented_out(self, data: dict, key: str) -> bool:
        """Whether the key's line is `key: #something`: a #channel-name written without quotes."""
        try:
            lines = Path(self.path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return False
        number = line_of(data, key)
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        return line.partition(":")[2].lstrip().startswith("#")

    def usergroup(self, data: dict, key: str) -> str | None:
        value = data.get(key)
        if value is not None and not (isinstance(value, str) and _GROUP_ID.match(value)):
            self.fail(data, key, "must be a Slack user group id (S0123ABCD)")
            return None
        return value

    def group(self, people: dict, key: str) -> Group:
        data = people.get(key)
        if data is None:
            return Group()
        if isinstance(data, list):
            data = LineDict(users=data)
        if not isinstance(data, dict):
            self.fail(people, key, "must list users (U0123ABCD ids) and/or a usergroup")
            return Group()
        self.only(data, ("users", "usergroup"))
        return Group(frozenset(self.users(data, people, key)), self.usergroup(data, "usergroup"))

    def users(self, group: dict, people: dict, key: str) -> list[str]:
        """Slack user ids; one id on its own is a list of one, as a schedule's one channel is."""
        users = group.get("users", [])
        if isinstance(users, str):
            ids = re.split(r"[\s,;]+", users.strip())
            if len(ids) == 1 and _USER_ID.match(ids[0]):
                return ids
            if all(_USER_ID.match(u) for u in ids):  # 'U01AAAAAA, U01BBBBBB': one text, not a list
                listed = ", ".join(ids)
                self.fail(
                    people, key, f"users must be a list of Slack user ids: write it as users: [{listed}]"
                )
                return []
        if not isinstance(users, list):
            self.fail(people, key, "users must be a list of Slack user ids such as [U0123ABCD]")
            return []
        if wrong := [u for u in users if not (isinstance(u, str) and _USER_ID.match(u))]:
            self.fail(
                people, key, f"users must be Slack user ids such as U0123ABCD ({wrong[0]!r} is not one)"
            )
            return []
        return users

    def minutes(self, data: dict, key: str, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 24 * 60:
            self.fail(data, key, "must be a whole number of minutes from 1 to 1440")
            return default
        return value

    def contacts(self, data: dict) -> tuple[Contact, ...]:
        items = data.get("contacts", [])
        if not isinstance(items, list):
            self.fail(data, "contacts", "must be a list of contacts")
            return ()
        return tuple(c for c in (self.contact(item) for item in items) if c)

    def contact(self, item: Any) -> Contact | None:
        if not isinstance(item, dict) or not self.text(item, "name") or not self.text(item, "how"):
            self.fail(item, None, "a contact needs a name and how to reach it")
            return None
        self.only(item, ("name", "how", "phases", "sites", "hours"))
        phases, problem = read_phases(item.get("phases", PHASES))
        if problem:
            self.fail(item, "phases", problem)
        hours = item.get("hours")
        start = end = None
        if hours is not None:
            match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", str(hours))
            if (
                not match
                or int(match[1]) > 23
                or int(match[3]) > 24
                or int(match[2]) > 59
                or int(match[4]) > 59
            ):
                self.fail(item, "hours", "must look like 08:00-20:00 (local time)")
            else:
                start = time(int(match[1]), int(match[2]))
                end = time(int(match[3]) % 24, int(match[4]))
        return Contact(
            name=item["name"].strip(),
            how=item["how"].strip(),
            phases=tuple(phases),
            sites=self.text_list(item, "sites"),
            start=start,
            end=end,
        )

    def patterns(self, data: dict) -> tuple[IdentifierPattern, ...]:
        items = data.get("identifier_patterns", [])
        if not isinstance(items, list):
            self.fail(data, "identifier_patterns", "must be a list of {name, pattern}")
            return ()
        result = []
        for item in items:
            name = self.text(item, "name") if isinstance(item, dict) else None
            pattern = self.text(item, "pattern") if isinstance(item, dict) else None
            if not name or not pattern:
                self.fail(item, None, "an identifier pattern needs a name and a pattern")
                continue
            self.only(item, ("name", "pattern"))
            try:
                result.append(IdentifierPattern(name, identifier_regex(pattern)))
            except UnusablePattern as exc:
                self.fail(item, "pattern", str(exc))
        return tuple(result)
