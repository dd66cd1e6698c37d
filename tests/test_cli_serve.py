"""`golive-bot serve` started wrongly, as an IT team might on its first deployment: told what to fix."""

from __future__ import annotations

import socket
import subprocess

from fake_slack import FakeSlack
from slack_harness import GOLIVE_BOT, bot_env


def serve(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = bot_env(tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", **env)
    return subprocess.run([*GOLIVE_BOT, "serve", *args], env=environment, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_a_port_in_use_is_explained_not_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = serve(tmp_path, "--host", "127.0.0.1", "--port", str(port))
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port} (Address already in use)" in done.stderr
    assert "choose another --port" in done.stderr and "Traceback" not in done.stderr


def test_a_port_that_is_not_a_number_is_explained(tmp_path):
    done = serve(tmp_path, PORT="web")
    assert done.returncode == 2
    assert "PORT is 'web'; set it to a port number from 0 to 65535, or give --port N." in done.stderr
    done = serve(tmp_path, "--port", "http")
    assert done.returncode == 2
    assert "'http' is not allowed; give a whole number from 0 to 65535" in done.stderr


def test_serving_with_nobody_in_the_maintenance_team_is_logged_as_a_warning(tmp_path, fake_slack: FakeSlack):
    fake_slack.fail("auth.test", error="invalid_auth")  # stop once the warnings are out
    done = serve(tmp_path, "--host", "127.0.0.1", "--port", "0", SLACK_API_URL=fake_slack.url)
    assert "WARNING" in done.stderr
    assert "people.maintenance_team is empty, so nobody can acknowledge" in done.stderr


def test_serving_with_a_go_live_date_long_past_or_an_unknown_contact_site_is_logged(tmp_path, fake_slack):
    """Most trusts never run validate: what it warns of is logged when the bot starts."""
    fake_slack.fail("auth.test", error="invalid_auth")  # stop once the warnings are out
    environment = bot_env(
        tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", SLACK_API_URL=fake_slack.url
    )
    (tmp_path / "golive.yaml").write_text(
        "channels:\n  triage: C0TRIAGE\ngolive:\n  start: 2020-01-06 07:00\nlocations: [Ward 3]\n"
        "contacts:\n  - name: Midwife lead\n    how: bleep 1234\n    sites: [Maternity]\n"
    )
    done = subprocess.run([*GOLIVE_BOT, "serve", "--port", "0"], env=environment, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "golive.start 2020-01-06 07:00 was" in done.stderr and "Maternity" in done.stderr, done.stderr
