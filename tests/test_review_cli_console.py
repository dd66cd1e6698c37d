"""Review: the console takes whatever a terminal or a pipe gives it, as Slack's front door would."""

from __future__ import annotations

import io

import pytest
from slack_harness import org_config, write_knowledge
from sqlalchemy import select

from bot.cli.console import Console
from bot.config import Settings
from bot.runtime import build_services
from bot.store.answers import UnansweredRow


@pytest.fixture
def console(tmp_path, database_url: str):
    settings = Settings(
        org=org_config(),
        knowledge_dir=write_knowledge(tmp_path / "kb"),
        schedules_dir=tmp_path / "schedules",
        database_url=database_url,
    )
    services = build_services(settings)
    yield services
    services.close()


def test_control_characters_in_a_line_are_spaces_not_a_crash(console) -> None:
    out = io.StringIO()
    piped = "where is the \x00 canteen\x1b[2J\nwhat is snomed\n"
    assert Console(console, out).loop(io.StringIO(piped)) == 0
    shown = out.getvalue()
    assert "\x00" not in shown and "\x1b" not in shown
    assert "SNOMED CT" in shown  # the next line is still answered
    with console.db.session() as session:
        [asked] = session.scalars(select(UnansweredRow.question)).all()
    assert asked == "where is the   canteen [2J"
