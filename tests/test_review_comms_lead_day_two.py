"""Review of the communications plan as a comms lead runs it through a go-live: proofreading the plan
with `golive-bot schedule --text`, posts that go out late, and posts the bot missed while it was down."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "golive.yaml")


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)


def test_schedule_text_names_who_is_on_call_when_each_post_goes_out(cli_database, capsys) -> None:
    """Before: the go-live morning briefing's 'who to call now' was read at midnight before go-live, so
    the lead proofread a briefing naming only the service desk, not the command centre it will name."""
    argv = ["--config", CONFIG, "--schedules", str(ROOT / "schedules"), "schedule", "--text"]
    assert main([*argv, "--from", "2027-01-18", "--days", "1"]) == 0
    briefing = capsys.readouterr().out.split("golive-morning-briefing")[1].split("top-10-at-10")[0]
    assert "*Go-live command centre*: ext 4444" in briefing
    assert "Night floorwalker" not in briefing
