"""Review: `golive-bot validate` catches what a comms lead's plan would get wrong in Slack, before it is
posted to all staff: a misspelt placeholder posted with its braces, a daily post that can never run,
the end of a very long post cut off."""

from __future__ import annotations

import argparse
import re
from dataclasses import replace
from pathlib import Path

import pytest
from cli_helpers import trust_folder

from bot.cli import validate
from bot.clock import ManualClock
from bot.config import load_org_config, load_settings
from tests.test_comms_schedules import item, problems_in
from tests.test_comms_setup import local

CONFIG = """\
golive:
  start: 2027-01-18 07:00
  intensive_support_ends: 2027-02-12 17:00
channels:
  triage: "#golive-triage"
  announcements: "#golive-announcements"
"""
BEFORE_GOLIVE = local(2026, 12, 1, 9, 0)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trust's folder with a knowledge base, the config above and an empty schedules folder."""
    return trust_folder(tmp_path, monkeypatch, CONFIG)


def validated(site: Path, *posts: str, now=BEFORE_GOLIVE, capsys) -> tuple[int, str]:
    """validate's exit code and output for a plan of these posts, as run at `now`."""
    (site / "schedules" / "plan.yaml").write_text("announcements:\n" + "".join(posts))
    code = validate.run(argparse.Namespace(), load_settings({}, strict=False), ManualClock(now))
    return code, capsys.readouterr().out


def text_problems(tmp_path: Path, text: str) -> list[str]:
    """The problems with one post of this text (a YAML double-quoted string)."""
    return problems_in(tmp_path, "announcements:\n" + item("a", "at: 2027-01-10 09:00", f"text: {text}"))


# 1. A brace that is not part of a known placeholder is posted as written: an error, with the fix.


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ('"Live on { golive_date }."', "'{ golive_date }' is not a placeholder"),
        ('"Live on {golive-date}."', "'{golive-date}' is not a placeholder"),
        ('"Live on {golive date}."', "'{golive date}' is not a placeholder"),
        ('"Live on {golive_date."', "unclosed brace in '{golive_date.'"),
        ('"Live on golive_date}."', "closing brace with no opening one in 'golive_date}.'"),
        ('"Live on {golive_date}}."', "closing brace with no opening one in '{golive_date}}.'"),
    ],
)
def test_a_misspelt_placeholder_is_an_error_saying_which_was_meant(tmp_path: Path, text, what) -> None:
    [problem] = text_problems(tmp_path, text)
    assert problem.startswith(f"plan.yaml:5: text: {what}")
    assert problem.endswith("would be posted as written: did you mean {golive_date}?")


def test_doubled_braces_around_a_placeholder_are_an_error(tmp_path: Path) -> None:
    """Not str.format's escape: each outer brace would be posted around the date."""
    problems = text_problems(tmp_path, '"Live on {{golive_date}}."')
    assert [p.split(": text: ")[1].split(" would")[0] for p in problems] == [
        "unclosed brace in '{{golive_date}}.'",
        "closing brace with no opening one in '{{golive_date}}.'",
    ]


def test_an_unknown_placeholder_says_which_was_meant(tmp_path: Path) -> None:
    assert text_problems(tmp_path, '"Live on {Golive_Date}."') == [
        "plan.yaml:5: text: unknown placeholder {Golive_Date}: did you mean {golive_date}?"
    ]


def test_a_lone_brace_like_no_placeholder_lists_the_known_ones(tmp_path: Path) -> None:
    [problem] = text_problems(tmp_path, '"Ring 7777 :-} any time"')
    assert problem.startswith("plan.yaml:5: text: closing brace with no opening one in ':-}' would be posted")
    assert "(known: contact_now, days_since_golive," in problem


def test_every_stray_brace_is_reported_in_text_order_and_placeholders_are_not(tmp_path: Path) -> None:
    text = '"{system} goes live {golive_date. Call {contact_now} or {helpdesk}"'
    problems = text_problems(tmp_path, text)
    assert len(problems) == 2
    assert "unclosed brace in '{golive_date.'" in problems[0]
    assert "unknown placeholder {helpdesk}" in problems[1]


def test_validate_fails_on_a_misspelt_placeholder(site: Path, capsys) -> None:
    post = item("countdown", "at: 2027-01-04 09:00", 'text: "Live on {golive_date."')
    code, out = validated(site, post, capsys=capsys)
    assert code == 1
    assert "schedules/plan.yaml:5: text: unclosed brace in '{golive_date.'" in out


# 2. A repeating post whose start and until leave no time in its phases, or no time its cron matches.

BRIEFING = 'cron: "30 7 * * *"\n    phases: [go-live]'


def test_a_daily_post_starting_after_its_phases_end_is_warned_about(site: Path, capsys) -> None:
    """Intensive support ends on 12 February: a go-live briefing from 1 March never runs."""
    post = item("briefing", BRIEFING, "start: 2027-03-01 00:00", "text: Day {golive_day}")
    code, out = validated(site, post, capsys=capsys)
    assert code == 0
    assert (
        "schedules/plan.yaml:2: briefing: warning: no time from 2027-03-01 00:00 falls in its phases "
        "['go-live'] (go-live 2027-01-18 07:00 to 2027-02-12 17:00): it will never be posted"
    ) in out


def test_a_daily_post_ending_before_its_phases_begin_is_warned_about(site: Path, capsys) -> None:
    post = item("briefing", BRIEFING, "until: 2026-12-24", "text: Day {golive_day}")
    _, out = validated(site, post, capsys=capsys)
    assert (
        "briefing: warning: no time until 2026-12-24 23:59 falls in its phases ['go-live'] "
        "(go-live 2027-01-18 07:00 to 2027-02-12 17:00): it will never be posted"
    ) in out


def test_a_post_whose_cron_matches_no_time_in_its_window_is_warned_about(site: Path, capsys) -> None:
    """Saturdays only, from Monday to Friday of go-live week."""
    post = item("weekend", 'cron: "0 9 * * 6"', "start: 2027-01-18", "until: 2027-01-22", "text: Hi")
    _, out = validated(site, post, capsys=capsys)
    assert (
        "weekend: warning: cron '0 9 * * 6' matches no time from 2027-01-18 00:00 until 2027-01-22 23:59 "
        "in its phases ['preliminary', 'go-live', 'maintenance'] (preliminary until 2027-01-18 07:00, "
        "go-live 2027-01-18 07:00 to 2027-02-12 17:00, maintenance from 2027-02-12 17:00): "
        "it will never be posted"
    ) in out


def test_a_cron_that_matches_no_date_at_all_is_warned_about(site: Path, capsys) -> None:
    _, out = validated(site, item("never", 'cron: "0 9 31 4 *"', "text: Hi"), capsys=capsys)
    assert "never: warning: cron '0 9 31 4 *' matches no time in its phases" in out


def test_a_go_live_post_without_a_go_live_date_is_warned_about(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text(CONFIG[CONFIG.index("channels:") :])  # no golive: dates yet
    _, out = validated(site, item("briefing", BRIEFING, "text: Hi"), capsys=capsys)
    assert (
        "briefing: warning: no time falls in its phases ['go-live'] (go-live never: golive.start is not "
        "set in the config): it will never be posted"
    ) in out


@pytest.mark.parametrize(
    "when",
    [
        BRIEFING,
        f"{BRIEFING}\n    start: 2027-02-12 00:00",  # its last morning, 12 February
        f"{BRIEFING}\n    until: 2027-01-18 07:30",  # go-live day's briefing alone
        'cron: "0 9 29 2 *"',  # 29 February comes in 2028
        'cron: "0 9 * * 6"\n    start: 2027-01-18\n    until: 2027-01-23',
    ],
)
def test_a_repeating_post_with_a_time_to_run_is_not_warned_about(site: Path, capsys, when) -> None:
    code, out = validated(site, item("post", when, "text: Hi"), capsys=capsys)
    assert code == 0 and "never be posted" not in out


def test_the_shipped_plan_is_not_warned_about_before_go_live(capsys) -> None:
    settings = load_settings({}, strict=False)
    settings = replace(settings, org=load_org_config(ROOT / "golive.yaml"), schedules_dir=ROOT / "schedules")
    checked = validate.check_schedules(settings, BEFORE_GOLIVE)
    assert checked.problems == [] and checked.warnings == []


# 3. A post longer than Slack is sent loses its end, shown as '…': warned about, with how much.


def long_post(lines: int) -> str:
    """A post of `lines` lines of 100 characters each (99 and the line break)."""
    body = "".join(f"      {n:05d} " + "x" * 93 + "\n" for n in range(lines))
    return f"  - id: handbook\n    channels: [announcements]\n    at: 2027-01-10 09:00\n    text: |\n{body}"


def test_a_post_longer_than_a_slack_post_shows_is_warned_about_with_how_much(site: Path, capsys) -> None:
    """Three sections of 3,000 characters hold 9,000 (Slack refuses a message of much more): of 14,000,
    the last 5,000 or so are cut."""
    code, out = validated(site, long_post(140), capsys=capsys)
    assert code == 0
    [warning] = [line for line in out.splitlines() if "handbook" in line]
    assert warning.startswith(  # the last line break is not posted
        "schedules/plan.yaml:2: handbook: warning: its text is 13,999 characters, about "
    )
    assert warning.endswith(
        " more than one post shows (3 sections of up to 3,000): the rest would be cut off at '…'; "
        "split it into two announcements"
    )
    cut = int(re.search(r"about ([\d,]+) more", warning)[1].replace(",", ""))  # type: ignore[index]
    assert 4_990 <= cut <= 5_010


def test_a_long_post_that_fits_is_not_warned_about(site: Path, capsys) -> None:
    code, out = validated(site, long_post(89), capsys=capsys)
    assert code == 0 and "handbook" not in out
