"""Review: `golive-bot serve` in Socket Mode as an operator runs it, with the fake Slack for the Web API."""

from __future__ import annotations

import subprocess

from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, GOLIVE_BOT, bot_env

SERVE = [*GOLIVE_BOT, "serve", "--host", "127.0.0.1"]


def test_a_bot_token_given_as_the_app_token_is_refused_before_connecting(tmp_path, fake_slack: FakeSlack):
    secret = "xoxb-1234-5678-pasted-in-the-wrong-place"
    env = bot_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=secret, SLACK_API_URL=fake_slack.url)
    done = subprocess.run(SERVE, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "SLACK_APP_TOKEN" in done.stderr and "xapp-" in done.stderr and "Traceback" not in done.stderr
    assert secret not in done.stderr and secret not in done.stdout
    assert not fake_slack.calls  # nothing sent to Slack with the wrong token
