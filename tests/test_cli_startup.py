"""`golive-bot` loads only what the command it runs needs, so scripts calling `ask --json` start quickly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import ISSUE_ACTIONS, SUBCOMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sqlalchemy", "alembic", "slack_sdk", "slack_bolt", "apscheduler", "matplotlib")
_PROBE = """
import json, sys
from bot.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "loaded": sorted(sys.modules)}))
"""


def run_probe(tmp_path: Path, *argv: str) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_ask_json_answers_without_loading_the_database_or_slack(tmp_path: Path) -> None:
    knowledge = str(ROOT / "knowledge")
    *answers, probe = run_probe(tmp_path, "--knowledge", knowledge, "ask", "--json", "what is pas")
    assert answers[0]["match"]["id"] == "patient-administration-system"
    assert probe["code"] == 0
    assert [name for name in HEAVY if name in probe["loaded"]] == []


def test_help_still_lists_every_command() -> None:
    help_text = build_parser().format_help()
    assert all(name in help_text for name in SUBCOMMANDS)


def test_global_options_may_come_before_the_command_and_its_own_options_after() -> None:
    args = build_parser(["--schedules", "plan", "schedule", "--days", "3"]).parse_args(
        ["--schedules", "plan", "schedule", "--days", "3"]
    )
    assert (args.command, args.schedules, args.days) == ("schedule", "plan", 3)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--config", "trust.yaml", "--knowledge", "kb"],
        ["issues", "export", "--format", "json", "--config", "trust.yaml", "--knowledge", "kb"],
        ["--config", "trust.yaml", "ask", "--knowledge", "kb", "what is pas"],
        ["--config", "old.yaml", "validate", "--config", "trust.yaml", "--knowledge", "kb"],
    ],
)
def test_the_file_options_work_after_any_command_too(argv: list[str]) -> None:
    args = build_parser(argv).parse_args(argv)
    assert (args.config, args.knowledge, args.schedules) == ("trust.yaml", "kb", None)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["reports", "--json"], "'reports'. Did you mean `golive-bot report`? "),
        (["--config", "trust.yaml", "issue", "list"], "'issue'. Did you mean `golive-bot issues`? "),
        (["hello"], "'hello'. The commands"),
        (["export", "--format", "json"], "'export'. Did you mean `golive-bot issues export`? "),
        (["show", "GL-0001"], "'show'. Did you mean `golive-bot issues show`? "),
    ],
)
def test_a_mistyped_command_is_named_with_the_likeliest_one(argv: list[str], said: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"golive-bot: there is no command {said}")
    assert "The commands are start, ask, console" in err


@pytest.mark.parametrize("action", ISSUE_ACTIONS)
def test_each_issue_action_a_mistyped_command_points_to_exists(action: str, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["issues", action, "--help"])
    assert f"usage: golive-bot issues {action}" in capsys.readouterr().out


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`golive-bot issues export | head` is how people look at output; head closing the pipe is no error."""
    read_end, write_end = os.pipe()
    command = [sys.executable, "-m", "bot.cli.main", "--knowledge", str(ROOT / "knowledge"), "ask", "--json"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    bot = subprocess.Popen(command, cwd=tmp_path, env=env, stdin=subprocess.PIPE, stdout=write_end,
                           stderr=subprocess.PIPE)  # fmt: skip
    os.close(write_end)
    os.close(read_end)  # as head does after its first lines
    _, err = bot.communicate(b"what is pas\n" * 50, timeout=60)
    assert bot.returncode == 1
    assert b"Traceback" not in err and b"BrokenPipeError" not in err
