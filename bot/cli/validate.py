"""`golive-bot validate`: check every file the bot reads, and list every problem as file:line: id: message.

Each check is one function in VALIDATORS; a new kind of file (e.g. schedules) adds one more.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import Clock, SystemClock
from bot.comms.model import Announcement
from bot.config import BUILT_IN, OrgConfig, Settings
from bot.yamlsource import InvalidFile, Problem, line_of, read_yaml_file


@dataclass(frozen=True)
class Checked:
    """What one check found: its problems, and a few words on what it checked when all is well."""

    summary: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # allowed, but probably not what a go-live wants


Validator = Callable[[Settings, datetime], Checked]  # and the time validate runs: some posts have passed


def check_config(settings: Settings, now: datetime) -> Checked:
    """Read leniently by main (see `lenient_config`), so a broken config does not hide the other files."""
    org = settings.org
    if org.source == BUILT_IN:  # said in the summary, which would otherwise read as ready to serve
        return Checked(
            "no organisation config file (built-in defaults: enough for golive-bot console, but serve "
            "needs one that sets channels.triage)"
        )
    warnings = _no_triage(org) + readiness_warnings(settings, now)
    return Checked(f"config {org.source}", list(settings.config_problems), warnings)


def readiness_warnings(settings: Settings, now: datetime) -> list[str]:
    """What a config allows but a go-live should not run with for long; `serve` logs them at start, for a
    trust that never runs validate."""
    return unstaffed(settings) + _unknown_sites(settings.org) + _long_ago(settings.org, now)


def _no_triage(org: OrgConfig) -> list[str]:
    """`serve` refuses to start without a triage channel, though the console works: say so before go-live."""
    if org.channels.triage:
        return []
    message = (
        "warning: channels.triage is not set, so golive-bot serve will refuse to start: logged issues "
        "would have nowhere to go for the maintenance team; set it to the triage channel's id (C0123ABCD) "
        'or "#name" (golive-bot console works without it)'
    )
    return [str(Problem(org.source, _line(_config_data(org), "channels", "triage"), message))]


# Who each group is for, and what goes wrong in Slack while it is empty.
_GROUPS = (
    ("maintenance_team", "nobody can acknowledge, assign or resolve issues"),
    ("clinical_safety_group", "patient-safety issues can never be closed"),
    ("comms_leads", "nobody can schedule announcements from Slack"),
)


def unstaffed(settings: Settings) -> list[str]:
    """The shipped example leaves the people empty; a trust that forgets to fill them in finds out here."""
    org = settings.org
    found = {
        name: f"warning: people.{name} is empty, so {effect}; add Slack user ids (U0123ABCD) under users, "
        "or a user group id (S0123ABCD) as usergroup"
        for name, effect in _GROUPS
        if getattr(org, name).empty
    }
    if not org.on_call_usergroup:
        found["on_call_usergroup"] = (
            "warning: people.on_call_usergroup is not set, so P1 and patient-safety posts mention nobody; "
            "set it to the on-call user group's id (S0123ABCD)"
        )
    data = _config_data(org) if found else None
    return [str(Problem(org.source, _line(data, "people", name), message)) for name, message in found.items()]


LONG_AGO = timedelta(days=90)  # a go-live further back than this is likely an earlier one's date


def _long_ago(org: OrgConfig, now: datetime) -> list[str]:
    """A config copied from an earlier go-live, or never updated, runs a plan and contacts long over."""
    from bot.comms.phases import position_at

    start = org.golive.start
    if start is None or now - start < LONG_AGO:
        return []
    position = position_at(org, now)
    message = (
        f"warning: golive.start {start.astimezone(org.timezone):%Y-%m-%d %H:%M} was "
        f"{position.days_since_golive} days ago, so the bot is in the {position.phase_name} phase: if this "
        "config is for a new go-live, set its golive.start and intensive_support_ends"
    )
    return [str(Problem(org.source, _line(_config_data(org), "golive", "start"), message))]


def _unknown_sites(org: OrgConfig) -> list[str]:
    """A contact for a site no location names is never listed when staff ask for that location."""
    from bot.comms.contacts import unknown_sites
    from bot.nearest import meant

    found = unknown_sites(org)
    data = _config_data(org) if found else None
    warnings = []
    for contact, site in found:
        close = meant(site, org.locations)
        hint = f"did you mean {close!r}? " if close else ""
        message = (
            f"warning: contact {contact.name!r} is for site {site!r}, which is none of the locations, so "
            f"staff asking `/golive contact` for a location never see it; {hint}(locations: "
            f"{', '.join(org.locations)})"
        )
        warnings.append(str(Problem(org.source, _contact_line(data, contact.name, "sites"), message)))
    return warnings


def _contact_line(data: Any, name: str, key: str) -> int:
    """The line of `key:` in the contact of this name, else of `contacts:`."""
    items = data.get("contacts") if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and str(item.get("name", "")).strip() == name:
            return line_of(item, key)
    return line_of(data, "contacts") if isinstance(data, dict) else 0


def _config_data(org: OrgConfig) -> Any:
    """The config file as parsed, for the lines of settings the warnings are about; None without one."""
    if org.source == BUILT_IN:
        return None
    try:
        return read_yaml_file(Path(org.source))[0]
    except InvalidFile:
        return None


def _line(data: Any, section: str, key: str) -> int:
    """The line of `section: key:`, else of `section:`, so a warning points at where to fill it in."""
    part = data.get(section) if isinstance(data, dict) else None
    if isinstance(part, dict) and key in part:
        return line_of(part, key)
    return line_of(data, section) if isinstance(data, dict) and section in data else 0


def missing_knowledge(settings: Settings) -> Problem | None:
    """The bot cannot answer anything without a knowledge base: say where it looked and how to point it."""
    folder = settings.knowledge_dir
    if folder.exists():  # a file in its place is the loader's to explain
        return None
    return Problem(
        str(folder), 0, "knowledge base folder not found: run golive-bot from the folder that holds "
        "knowledge/, or give its place with --knowledge DIR or GOLIVE_KNOWLEDGE_DIR (the project ships an "
        "example knowledge base in knowledge/ to copy and edit)",
    )  # fmt: skip


def check_knowledge(settings: Settings, now: datetime) -> Checked:
    from bot.answering.loader import load_knowledge
    from bot.answering.reach import reach_warnings

    if problem := missing_knowledge(settings):
        return Checked("", [problem])
    try:
        knowledge = load_knowledge(settings.knowledge_dir)
    except InvalidFile as exc:
        return Checked("", exc.problems)
    return Checked(
        f"{len(knowledge.entries)} entries, {len(knowledge.synonyms)} synonym groups "
        f"in {len(knowledge.files)} knowledge files ({settings.knowledge_dir})",
        warnings=[
            str(w) for w in (*knowledge.warnings, *reach_warnings(knowledge.entries, knowledge.synonyms))
        ],
    )


def check_schedules(settings: Settings, now: datetime) -> Checked:
    """A trust may have no plan yet: no folder is not an error, only announcements from Slack are posted,
    but it is warned of, as a folder named with a slip would silently post nothing of the plan."""
    from bot.comms.schedules import clock_changes, never_posted, read_schedules, unset_dates

    if not settings.schedules_dir.exists():
        summary = f"no schedules (no {settings.schedules_dir}/ folder; only announcements from Slack)"
        return Checked(summary, warnings=[_no_plan_folder(settings)])
    announcements, problems = read_schedules(settings.schedules_dir, settings.org)
    if settings.config_problems:
        problems = _without_config_echoes(problems, settings)
    summary = f"{len(announcements)} announcements in {settings.schedules_dir}"
    warnings = [
        *never_posted(announcements, settings.org, now),
        *clock_changes(announcements, settings.org),
        *unset_dates(announcements, settings.org),
        *cut_off(announcements),
    ]
    return Checked(summary, problems, warnings)


def _no_plan_folder(settings: Settings) -> str:
    message = (
        "warning: no schedules folder here, so no countdown, briefing or other post of the plan is made,"
        " only announcements from Slack; run golive-bot from the folder that holds schedules/, or give its"
        " place with GOLIVE_SCHEDULES_DIR or --schedules DIR (the project ships an example plan in"
        " schedules/ to copy and edit)"
    )
    return str(Problem(str(settings.schedules_dir), 0, message))


def cut_off(announcements: list[Announcement]) -> list[str]:
    """Posts too long for Slack: what their sections cannot hold is cut at '…', and nobody sees that
    until all staff do. Measured as the bot posts them, before their figures are filled in."""
    from bot.slack.blocks import MESSAGE_SECTIONS, SECTION_LIMIT

    return [
        f"{a.source}: {a.id}: warning: its text is {len(a.text):,} characters, about {lost:,} more than one "
        f"post shows ({MESSAGE_SECTIONS} sections of up to {SECTION_LIMIT:,}): the rest would be cut off at "
        "'…'; split it into two announcements"
        for a in announcements
        if (lost := _lost(a.text))
    ]


def _lost(text: str) -> int:
    """How many characters of the text its post would not show: the sections past the last one it is
    given, less what that last one shows before its '…'. Each cut drops a line break or so: 'about'."""
    from bot.slack.blocks import MESSAGE_SECTIONS, SECTION_LIMIT, sections

    if len(text) <= SECTION_LIMIT:
        return 0
    whole = [block["text"]["text"] for block in sections(text, most=len(text))]
    if len(whole) <= MESSAGE_SECTIONS:
        return 0
    shown = sections(text, MESSAGE_SECTIONS)[-1]["text"]["text"].removesuffix("…")
    return sum(len(part) for part in whole[MESSAGE_SECTIONS - 1 :]) - len(shown)


def _without_config_echoes(problems: list[Problem], settings: Settings) -> list[Problem]:
    """With a broken config, the plan's complaints about what the config lacks are echoes, one per post.

    A config that fails to parse made every channel and the go-live date look unset: 25 lines that
    buried the one that mattered. They are counted in one line instead; the plan's own mistakes stay.
    """
    own = [p for p in problems if "in the config" not in p.message]
    echoes = len(problems) - len(own)
    if not echoes:
        return own
    note = (
        f"{echoes} more problem(s) where the plan needs what the config could not give (its channels or "
        "go-live date); fix the config above and run validate again"
    )
    return [*own, Problem(str(settings.schedules_dir), 0, note)]


VALIDATORS: tuple[Validator, ...] = (check_knowledge, check_config, check_schedules)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check the knowledge base, the schedules and the organisation config",
        description="Lists every problem as file:line: id: message and exits 1 if there is any, 0 "
        "otherwise; warns about settings that are allowed but leave a go-live short (no maintenance team).",
    )
    p.set_defaults(func=run, lenient_config=True)


def run(args: argparse.Namespace, settings: Settings, clock: Clock | None = None) -> int:
    now = (clock or SystemClock()).now()
    results = [check(settings, now) for check in VALIDATORS]
    problems = [p for r in results for p in r.problems]
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.path for p in problems})
        print(f"INVALID: {len(problems)} problem(s) in {files} file(s); fix them and run validate again.")
        return 1
    print("OK: " + "; ".join(r.summary for r in results))
    for warning in (w for r in results for w in r.warnings):
        print(warning)
    return 0
