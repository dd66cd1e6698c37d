"""Review: `golive-bot start` with only part of the Slack settings says what is missing."""

from __future__ import annotations

import pytest
from cli_helpers import run_cli
from slack_harness import bot_env


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "abc"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_half_the_slack_settings_is_an_error_not_the_console(tmp_path, monkeypatch, capsys, given, missing):
    for name, value in bot_env(tmp_path, **given).items():
        monkeypatch.setenv(name, value)
    for name in {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"} - set(given):
        monkeypatch.delenv(name, raising=False)
    code, out, err = run_cli(capsys, ["start"])
    assert code == 2 and "local console" not in out
    assert f"golive-bot serve cannot start: set {missing}" in err
    assert "To try the bot without Slack, run: golive-bot console" in err
