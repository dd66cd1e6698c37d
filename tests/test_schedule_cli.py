"""`golive-bot schedule` and `golive-bot validate` on the plan, as a comms lead runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main
from bot.comms.schedules import load_schedules
from bot.config import load_org_config
from bot.store import comms as store
from bot.store.database import Database
from tests.test_comms_setup import local

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "golive.yaml")


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)


def test_schedule_lists_the_golive_week_in_time_order_and_local_time(capsys) -> None:
    schedules = str(ROOT / "schedules")
    assert (
        main(
            ["--config", CONFIG, "--schedules", schedules, "schedule", "--from", "2027-01-17", "--days", "2"]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("When (Europe/London)")
    assert lines[1].startswith("Sun 17 Jan 2027 09:00") and "countdown-1" in lines[1]
    assert lines[2].startswith("Mon 18 Jan 2027 07:30") and "golive-morning-briefing" in lines[2]
    assert lines[3].startswith("Mon 18 Jan 2027 10:00") and "top-10-at-10" in lines[3]
    assert "#golive-command-centre" in lines[3]
    assert lines[-1] == "3 posts in the next 2 days."


def test_schedule_text_shows_each_post_as_it_would_read(capsys) -> None:
    schedules = str(ROOT / "schedules")
    argv = ["--config", CONFIG, "--schedules", schedules, "schedule", "--from", "2027-01-17", "--days", "1"]
    assert main([*argv, "--text"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "countdown-1" in lines[1] and lines[-1] == "1 post in the next 1 day."
    assert lines[3].startswith("    :rocket: *Go-live is tomorrow* (Monday 18 January 2027 07:00).")
    assert "{" not in "\n".join(lines)  # every placeholder filled in


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "18/01/2027"], "'18/01/2027' is not a date; write it as YYYY-MM-DD, e.g. 2027-01-18"),
        (["--days", "a week"], "'a week' is not allowed; give a whole number from 1 to 366"),
        (["--days", "400"], "'400' is not allowed; give a whole number from 1 to 366"),
    ],
)
def test_a_mistyped_option_says_what_to_type(args: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--config", CONFIG, "schedule", *args])
    assert exit.value.code == 2
    assert message in capsys.readouterr().err


def test_schedule_run_from_the_wrong_folder_says_where_it_looked(tmp_path: Path, capsys) -> None:
    assert main(["--config", CONFIG, "--schedules", str(tmp_path / "schedules"), "schedule"]) == 0
    out, err = capsys.readouterr()
    assert f"No plan folder {tmp_path / 'schedules'}/ here" in err and "--schedules DIR" in err
    assert out.startswith("Nothing is scheduled in the next 14 days")


def test_validate_reports_schedule_problems_with_file_and_line(tmp_path: Path, capsys) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "comms.yaml").write_text(
        "announcements:\n"
        "  - id: huddle\n    channels: [command_centre]\n    cron: '0 10 * * mon-fry'\n    text: Huddle\n"
    )
    assert main(["--config", CONFIG, "--schedules", str(plan), "validate"]) == 1
    out = capsys.readouterr().out
    assert f"{plan / 'comms.yaml'}:4: cron: " in out and "INVALID" in out


def test_schedule_refuses_an_invalid_plan_with_every_problem(tmp_path: Path, capsys) -> None:
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "comms.yaml").write_text(
        "announcements:\n  - id: x\n    channels: [nowhere]\n    text: '{oops}'\n"
    )
    assert main(["--config", CONFIG, "--schedules", str(plan), "schedule"]) == 1
    err = capsys.readouterr().err
    assert ":3: channels: unknown channel 'nowhere'" in err
    assert ":4: text: unknown placeholder {oops}" in err
    assert ":2: say when with exactly one of cron, at or relative" in err
    # a comms lead listing the plan was told 'The bot cannot start', as if the running bot had stopped
    assert err.startswith("golive-bot schedule cannot run: some files are invalid or missing:")
    assert "cannot start" not in err


def test_schedule_marks_a_post_a_comms_lead_paused_in_slack_and_says_who_and_since_when(
    tmp_path: Path, capsys
) -> None:
    """Whoever checks the plan on the server must not take a paused briefing for one that will post."""
    org = load_org_config(Path(CONFIG))
    db = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    db.migrate()
    store.sync_file_announcements(db, load_schedules(ROOT / "schedules", org), local(2027, 1, 17, 8, 0))
    assert store.pause(db, "golive-morning-briefing", "U0LEAD", local(2027, 1, 17, 8, 0))
    db.dispose()
    argv = ["--config", CONFIG, "--schedules", str(ROOT / "schedules"), "schedule", "--from", "2027-01-17"]
    assert main([*argv, "--days", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith("Mon 18 Jan 2027 07:30") and lines[2].endswith("PAUSED")
    assert not lines[1].endswith("PAUSED") and not lines[3].endswith("PAUSED")
    assert lines[-2] == "3 posts in the next 2 days, 1 of them paused."
    assert lines[-1] == (
        "PAUSED golive-morning-briefing by Slack user U0LEAD since Sun 17 Jan 2027 08:00: not posted until a"
        " comms lead resumes it in `/golive announcements`."
    )
