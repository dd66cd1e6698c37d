"""The command line as a hurried or careless person meets it: each mistake gets one clear message, at
the right place, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_cli

from bot.answering.smalltalk import small_talk
from bot.cli import main as cli
from bot.plaintext import without_controls

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def golive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Runs `golive-bot ARGS` in an empty folder on the shipped knowledge base and plan."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("GOLIVE_KNOWLEDGE_DIR", str(REPO / "knowledge"))
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)
    monkeypatch.delenv("GOLIVE_SCHEDULES_DIR", raising=False)
    return lambda *argv: run_cli(capsys, list(argv))


def test_ctrl_c_while_a_command_loads_stops_quietly(golive, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(name: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.importlib, "import_module", interrupted)
    code, out, err = golive("report")
    assert (code, out, err) == (130, "", "\n")


@pytest.mark.parametrize("argv", [["--config"], ["ask", "x", "--knowledge"]])
def test_an_option_without_its_value_is_reported_once(golive, argv: list[str]) -> None:
    code, _, err = golive(*argv)
    assert code == 2 and err.count("expected one argument") == 1
    assert err.startswith(f"usage: golive-bot {'ask ' if 'ask' in argv else ''}[-h]")


@pytest.mark.parametrize("command", [["validate"], ["schedule"]])
def test_a_plan_file_given_for_the_plan_folder_is_a_mistake_not_no_plan(golive, command: list[str]) -> None:
    plan_file = REPO / "schedules" / sorted(p.name for p in (REPO / "schedules").glob("*.yaml"))[0]
    code, out, err = golive(*command, "--schedules", str(plan_file))
    assert code == 1, out + err
    said = f"{plan_file}: is a file, not a folder: give the folder that holds it ({plan_file.parent})"
    assert said in out + err
    assert "no schedules" not in out + err and "Traceback" not in err


@pytest.mark.parametrize("question", ["\u200b", "\u200b \ufeff", "\u2060"])
def test_a_question_of_invisible_characters_is_empty_not_recorded(golive, question: str) -> None:
    code, out, err = golive("ask", question)
    assert code == 2 and out == "" and "the question is empty" in err
    assert small_talk(question) == "help"  # in Slack, as a bare mention is: what the bot can do


def test_terminal_controls_are_spaces_and_windows_line_ends_are_line_ends() -> None:
    """A carriage return or a C1 control (U+009B opens a terminal command) echoed back rewrites the
    screen of whoever reads the console, the report or the issue log."""
    typed = "what is snomed\r\x9b2J\x9d0;TITLE\x9c bar\r\nnext line"
    assert without_controls(typed) == "what is snomed  2J 0;TITLE  bar\nnext line"
