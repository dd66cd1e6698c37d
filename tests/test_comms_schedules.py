"""The plan files: the shipped plan is valid, and every mistake is reported with its file and line."""

from __future__ import annotations

from pathlib import Path

from bot.clock import ManualClock
from bot.comms.schedules import read_schedules
from bot.config import GoLive, load_org_config
from tests.test_comms_setup import local, org, service

ROOT = Path(__file__).resolve().parent.parent


def item(ident: str, *fields: str, channels: str = "[announcements]") -> str:
    """One announcement in a plan file, two lines per field less to read in every test."""
    return f"  - id: {ident}\n    channels: {channels}\n" + "".join(f"    {f}\n" for f in fields)


def problems_in(tmp_path: Path, text: str, config=None) -> list[str]:
    (tmp_path / "plan.yaml").write_text(text)
    _, problems = read_schedules(tmp_path, config or org())
    return [str(p).replace(str(tmp_path) + "/", "") for p in problems]


def test_the_shipped_plan_is_valid_with_the_shipped_config() -> None:
    config = load_org_config(ROOT / "golive.yaml")
    announcements, problems = read_schedules(ROOT / "schedules", config)
    assert problems == []
    ids = {a.id for a in announcements}
    assert {
        "countdown-14",
        "countdown-1",
        "golive-morning-briefing",
        "top-10-at-10",
        "weekly-evaluation",
    } <= ids
    assert any("days to go-live" in a.text for a in announcements)


def test_a_relative_date_is_resolved_from_the_golive_date(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(
        "announcements:\n"
        "  - id: two-weeks\n    channels: [announcements]\n"
        '    relative: {days_before: 14, at: "09:00"}\n    text: Two weeks to go\n'
    )
    [announcement], problems = read_schedules(tmp_path, org())
    assert problems == []
    assert announcement.at == local(2027, 1, 4, 9, 0)


def test_a_bad_cron_expression_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        "announcements:\n  - id: daily\n    channels: [announcements]\n    cron: '0 25 * * *'\n    text: Hi\n"
    )
    [problem] = problems_in(tmp_path, text)
    assert problem.startswith("plan.yaml:4: cron: ")
    assert "not a valid cron expression" in problem


def test_a_cron_expression_without_five_fields_says_what_it_needs(tmp_path: Path) -> None:
    text = "announcements:\n  - id: daily\n    channels: [announcements]\n    cron: '0 9 * *'\n    text: Hi\n"
    assert problems_in(tmp_path, text) == [
        "plan.yaml:4: cron: '0 9 * *' needs five fields: minute hour day-of-month month day-of-week"
    ]


def test_an_unknown_placeholder_is_reported_with_its_line(tmp_path: Path) -> None:
    text = "announcements:\n" + item("a", "at: 2027-01-10 09:00", "text: '{days_to_go}'")
    [problem] = problems_in(tmp_path, text)
    assert problem.startswith("plan.yaml:5: text: unknown placeholder {days_to_go}")


def test_a_missing_or_unknown_channel_is_reported_with_its_line(tmp_path: Path) -> None:
    config = org(channels=org().channels.__class__(announcements="C0ANNOUNCE"))
    text = (
        "announcements:\n"
        "  - id: a\n    channels: [command_centre]\n    at: 2027-01-10 09:00\n    text: Hi\n"
        "  - id: b\n    channels: [the-canteen]\n    at: 2027-01-10 09:00\n    text: Hi\n"
        "  - id: c\n    at: 2027-01-10 09:00\n    text: Hi\n"
    )
    problems = problems_in(tmp_path, text, config)
    assert problems[0].startswith(
        "plan.yaml:3: channels: channel 'command_centre' is not set under channels:"
    )
    assert problems[1].startswith("plan.yaml:7: channels: unknown channel 'the-canteen'")
    assert problems[2].startswith("plan.yaml:10: channels: needs channels")


def test_a_relative_date_without_a_golive_date_is_reported(tmp_path: Path) -> None:
    text = "announcements:\n" + item("a", "relative: {days_before: 3}", "text: Hi")
    assert problems_in(tmp_path, text, org(golive=GoLive())) == [
        "plan.yaml:4: relative: a date relative to go-live needs golive.start in the config"
    ]


def test_duplicate_ids_unknown_phases_and_two_whens_are_each_reported(tmp_path: Path) -> None:
    text = (
        "announcements:\n"
        + item("a", "at: 2027-01-10 09:00", "text: Hi")
        + item("a", "cron: '0 9 * * *'", "text: Hi")
        + item("b", "phases: [golive]", "at: 2027-01-10 09:00", "text: Hi")
        + item("c", "at: 2027-01-10 09:00", "cron: '0 9 * * *'", "text: Hi")
    )
    assert problems_in(tmp_path, text) == [
        "plan.yaml:12: phases: unknown phase 'golive' (did you mean go-live?): phases are a list from"
        " preliminary, go-live, maintenance",
        "plan.yaml:15: say when with exactly one of cron, at or relative",
        "plan.yaml:6: id: duplicate id (first at plan.yaml:2)",
    ]


def test_a_yaml_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, "announcements:\n  - id: a\n    text: [unclosed\n")
    assert problem.startswith("plan.yaml:") and "YAML syntax error" in problem


def test_an_nhs_number_in_a_plan_text_is_refused(tmp_path: Path) -> None:
    text = "announcements:\n" + item("a", "at: 2027-01-10 09:00", "text: Call about 999 000 0018")
    assert problems_in(tmp_path, text) == [
        "plan.yaml:5: text: contains a patient identifier (NHS number): announcements must not carry one"
    ]


def test_the_shipped_plan_runs_from_the_countdown_to_maintenance_in_order(db) -> None:
    config = load_org_config(ROOT / "golive.yaml")
    plan, _ = read_schedules(ROOT / "schedules", config)
    clock = ManualClock(local(2026, 12, 1, 0, 0))
    posts = service(db, clock, config).upcoming(120, plan)
    golive = config.golive.start.date()

    def days(ident: str) -> list[int]:
        return [
            (p.when.astimezone(config.timezone).date() - golive).days
            for p in posts
            if p.announcement.id == ident
        ]

    for n in (28, 14, 7, 3, 1):
        assert days(f"countdown-{n}") == [-n]
    briefings = days("golive-morning-briefing")
    assert briefings == list(range(0, 26))  # every day of intensive support, 18 Jan to 12 Feb
    assert days("top-10-at-10") == briefings
    assert days("maintenance-begins") == [28]
    assert {p.phase for p in posts if p.announcement.id == "weekly-evaluation"} == {"go-live", "maintenance"}
