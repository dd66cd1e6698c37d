"""Review: `golive-bot validate` says what a fresh user's files would do wrong before go-live shows it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from cli_helpers import run_cli, trust_folder

from bot.cli import validate
from bot.clock import ManualClock
from bot.config import load_settings
from bot.store import comms as store
from bot.store.database import Database
from tests.test_comms_setup import local, service

CONFIG = """\
golive:
  start: 2027-01-18 07:00
channels:
  triage: "#golive-triage"
  announcements: "#golive-announcements"
people:
  maintenance_team:
    usergroup: S0123ABCD
  clinical_safety_group:
    users: []
  comms_leads: [U0123ABCD]
  on_call_usergroup: S0456EFGH
"""


def post(ident: str, when: str) -> str:
    return f"  - id: {ident}\n    channels: [announcements]\n    {when}\n    text: Hello\n"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trust's folder with a knowledge base, the config above and an empty schedules folder."""
    return trust_folder(tmp_path, monkeypatch, CONFIG)


def test_a_config_without_a_triage_channel_is_warned_about_as_serve_refuses_it(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text(CONFIG.replace('  triage: "#golive-triage"\n', ""))
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0  # the console works without it
    assert (
        "golive.yaml:3: warning: channels.triage is not set, so golive-bot serve will refuse to start" in out
    )


def test_no_config_at_all_is_warned_about_as_serve_refuses_it(site: Path, capsys) -> None:
    (site / "golive.yaml").unlink()
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0 and "serve needs one that sets channels.triage" in out.splitlines()[0]


def test_a_config_with_its_triage_channel_is_not_warned_about(site: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0 and "channels.triage" not in out


def test_an_empty_schedules_file_is_a_problem_not_a_cancelled_plan(site: Path, capsys) -> None:
    (site / "schedules" / "2-golive.yaml").write_text("")
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 1
    assert out.splitlines()[0] == (
        "schedules/2-golive.yaml:1: the file is empty: list its announcements under 'announcements:', "
        "or delete the file if the plan needs none from it"
    )


def test_the_stored_plan_is_kept_while_a_schedules_file_is_empty(tmp_path: Path, db: Database) -> None:
    comms = service(db, ManualClock(local(2027, 1, 1, 9, 0)))
    (tmp_path / "plan.yaml").write_text("announcements:\n" + post("countdown", "at: 2027-01-17 09:00"))
    assert comms.sync_files(tmp_path)
    (tmp_path / "plan.yaml").write_text("# emptied by mistake\n")
    assert not comms.sync_files(tmp_path)
    assert [s.announcement.id for s in store.active_announcements(db)] == ["countdown"]


def test_posts_whose_time_has_passed_are_warned_about_with_file_and_line(site: Path, capsys) -> None:
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n"
        + post("golive-day", "at: 2020-01-18 07:30")
        + post("daily", 'cron: "0 9 * * *"\n    until: 2020-02-01')
    )
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 0  # a plan that has run its course is normal after go-live
    assert (
        "schedules/plan.yaml:2: golive-day: warning: at 2020-01-18 07:30 has passed: it will not be posted"
        in out
    )
    assert (
        "schedules/plan.yaml:6: daily: warning: until 2020-02-01 23:59 has passed: it will not be posted"
        in out
    )


@pytest.mark.parametrize(
    ("now", "warned"),
    [
        (local(2027, 1, 18, 7, 0), False),  # still to come
        (local(2027, 1, 18, 8, 0), False),  # late, but within the hour's grace a late post is sent in
        (local(2027, 1, 18, 8, 31), True),
    ],
)
def test_whether_a_post_has_passed_is_judged_by_the_clock_given(site: Path, capsys, now, warned) -> None:
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n" + post("golive-day", "at: 2027-01-18 07:30")
    )
    settings = load_settings({}, strict=False)
    assert validate.run(argparse.Namespace(), settings, ManualClock(now)) == 0
    assert ("at 2027-01-18 07:30 has passed" in capsys.readouterr().out) is warned


def test_an_empty_config_file_is_said_to_be_empty_not_blamed_on_the_plan(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text("# to fill in\n")
    (site / "schedules" / "plan.yaml").write_text("announcements:\n" + post("hello", "at: 2027-01-18 07:30"))
    code, out, _ = run_cli(capsys, ["validate"])
    assert code == 1
    first, echoes, *_ = out.splitlines()
    assert first.startswith("golive.yaml:1: the config file is empty: it must hold the go-live's settings")
    assert echoes.startswith(
        "schedules: 1 more problem(s) where the plan needs what the config could not give"
    )


def test_without_a_config_file_the_plan_says_none_was_found_without_doubled_brackets(
    site: Path, capsys
) -> None:
    (site / "golive.yaml").unlink()
    (site / "schedules" / "plan.yaml").write_text("announcements:\n" + post("hello", "at: 2027-01-18 07:30"))
    _, out, _ = run_cli(capsys, ["validate"])
    assert "((" not in out
    assert "in the config (none found: no golive.yaml here, no --config FILE or GOLIVE_CONFIG)" in out


def test_warnings_about_empty_people_name_the_line_of_the_setting(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text(CONFIG.replace("  on_call_usergroup: S0456EFGH\n", ""))
    _, out, _ = run_cli(capsys, ["validate"])
    assert "golive.yaml:9: warning: people.clinical_safety_group is empty" in out
    assert "golive.yaml:6: warning: people.on_call_usergroup is not set" in out  # no key: the people: line


def test_warnings_about_people_have_no_line_when_the_file_has_no_people(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text(CONFIG.partition("people:")[0])
    _, out, _ = run_cli(capsys, ["validate"])
    assert "golive.yaml: warning: people.maintenance_team is empty" in out
