"""`golive-bot serve` as an operator runs it: a real process, real signals, the fake Slack for the Web API."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, GOLIVE_BOT, SIGNING_SECRET, bot_env, request, sign

SERVE = [*GOLIVE_BOT, "serve", "--host", "127.0.0.1"]


def test_serve_refuses_to_start_without_slack_secrets(tmp_path):
    done = subprocess.run([*GOLIVE_BOT, "serve"], env=bot_env(tmp_path), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "SLACK_SIGNING_SECRET" in done.stderr
    assert "golive-bot console" in done.stderr


def test_serve_refuses_to_start_with_nowhere_to_send_issues(tmp_path):
    (tmp_path / "bare.yaml").write_text("organisation: A Trust\n")
    env = bot_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                  GOLIVE_CONFIG=str(tmp_path / "bare.yaml"))  # fmt: skip
    done = subprocess.run([*GOLIVE_BOT, "serve"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert "channels.triage" in done.stderr and "bare.yaml" in done.stderr


def test_serve_refuses_a_token_that_slack_rejects(tmp_path, fake_slack: FakeSlack):
    fake_slack.fail("auth.test", error="invalid_auth")
    env = bot_env(
        tmp_path, SLACK_BOT_TOKEN="xoxb-wrong", SLACK_SIGNING_SECRET="s", SLACK_API_URL=fake_slack.url
    )
    done = subprocess.run([*GOLIVE_BOT, "serve", "--port", "0", "--host", "127.0.0.1"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in done.stderr
    assert "xoxb-wrong" not in done.stderr


@contextmanager
def serving(command: list[str], env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen]:
    """`golive-bot serve` as a process, killed at the end if the test left it running."""
    proc = subprocess.Popen(command, env=env, cwd=cwd, stderr=subprocess.PIPE, text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def ready(proc: subprocess.Popen, pattern: str) -> re.Match[str]:
    """The first line of the log that matches `pattern`, read as serve writes it (up to 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        assert line, "serve exited before it was ready"
        if found := re.search(pattern, line):
            return found
    raise AssertionError(f"serve never logged {pattern!r}")


def stopped(proc: subprocess.Popen) -> str:
    """The rest of the log after SIGTERM; serve must have stopped cleanly."""
    proc.send_signal(signal.SIGTERM)
    _, log = proc.communicate(timeout=30)
    assert proc.returncode == 0, log
    return log


@pytest.fixture
def served(tmp_path, fake_slack: FakeSlack) -> Iterator[tuple[subprocess.Popen, str]]:
    env = bot_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                  SLACK_API_URL=fake_slack.url, LOG_LEVEL="DEBUG")  # fmt: skip
    with serving([*SERVE, "--port", "0"], env, tmp_path) as proc:
        yield proc, ready(proc, r"serving Slack on (http://\S+)/slack/events")[1]


def test_serve_answers_slack_and_stops_cleanly_on_sigterm(served, fake_slack: FakeSlack):
    proc, url = served
    assert request(url + "/healthz", "GET").status == 200
    body = json.dumps({
        "type": "event_callback", "team_id": "T0TEST", "event_id": "Ev0SERVE",
        "event": {"type": "app_mention", "user": "U0A", "channel": "C0A", "text": "<@U0BOT> what is BAU?",
                  "ts": "1.000001"},
    }).encode()  # fmt: skip
    assert (
        request(
            url + "/slack/events", "POST", body, {"Content-Type": "application/json", **sign(body)}
        ).status
        == 200
    )
    assert "BAU" in fake_slack.wait_for("chat.postMessage")[0].params["text"]
    log = stopped(proc)
    assert "finishing requests in hand" in log
    for secret in (BOT_TOKEN, SIGNING_SECRET, "what is BAU"):  # no secrets, no request bodies in the log
        assert secret not in log


def test_serve_uses_socket_mode_when_an_app_token_is_set(tmp_path, fake_slack: FakeSlack):
    link = fake_slack.socket_mode()
    env = bot_env(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-test", SLACK_API_URL=fake_slack.url
    )
    with serving([*SERVE], env, tmp_path) as proc:
        payload = {"type": "event_callback", "team_id": "T0TEST", "event_id": "Ev0SOCKET",
                   "event": {"type": "app_mention", "user": "U0A", "channel": "C0A",
                             "text": "<@U0BOT> what is snomed", "ts": "2.000001"}}  # fmt: skip
        link.wait_for_ack(link.send_event(payload))
        reply = fake_slack.wait_for("chat.postMessage", timeout=10)[0]
        assert reply.params["thread_ts"] == "2.000001" and "SNOMED CT" in reply.params["text"]
        assert fake_slack.calls_to("apps.connections.open")
        escaped = {**payload["event"], "text": "<@U0BOT> where is the canteen\x1b[31m\x00", "ts": "2.000002"}
        hostile = {**payload, "event_id": "Ev0ESCAPE", "event": escaped}
        link.wait_for_ack(link.send_event(hostile))
        echoed = json.dumps(fake_slack.wait_for("chat.postMessage", count=2, timeout=10)[1].params)
        assert "canteen" in echoed and "\\u001b" not in echoed and "\\u0000" not in echoed
        stopped(proc)


def test_serve_refuses_an_app_token_that_slack_rejects(tmp_path, fake_slack: FakeSlack):
    fake_slack.fail("apps.connections.open", error="invalid_auth")
    env = bot_env(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-wrong", SLACK_API_URL=fake_slack.url
    )
    done = subprocess.run(SERVE, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Slack refused SLACK_APP_TOKEN (invalid_auth)" in done.stderr
    assert "xapp-wrong" not in done.stderr


def test_serve_in_socket_mode_answers_the_health_check_on_the_port_given(tmp_path, fake_slack: FakeSlack):
    """The Procfile's web process in Socket Mode never took $PORT, so Heroku stopped it after 60 s
    (R10), again and again, and a container's probe of /healthz found nothing."""
    fake_slack.socket_mode()
    env = bot_env(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-test", SLACK_API_URL=fake_slack.url
    )
    with serving([*SERVE, "--port", "0"], env, tmp_path) as proc:
        found = ready(proc, r"health check on (http://\S+)/healthz|connected to Slack")
        assert found[1], "connected without answering the health check"
        assert request(found[1] + "/healthz", "GET").status == 200
        assert request(found[1] + "/slack/events", "POST", b"{}").status == 404  # events come over the socket
        stopped(proc)


def test_serve_names_its_database_and_warns_when_it_starts_a_new_one(tmp_path, fake_slack: FakeSlack):
    """Restarted from another folder, serve started a new, empty golive.db there without a word: open
    issues vanished from /golive issues, P1 call-outs stopped, and new issues took GL-0001 again."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = bot_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                  SLACK_API_URL=fake_slack.url)  # fmt: skip
    del env["DATABASE_URL"]

    def started() -> str:
        with serving([*SERVE, "--port", "0"], env, elsewhere) as proc:
            lines = []
            while not lines or "serving Slack" not in lines[-1]:
                lines.append(proc.stderr.readline())
                assert lines[-1], "serve exited before it was ready:\n" + "".join(lines)
            stopped(proc)
            return "".join(lines)

    first = started()
    new_file = f"WARNING bot.cli.serve: database: started a new, empty SQLite file {elsewhere / 'golive.db'}"
    assert new_file in first
    assert "start it there, or set DATABASE_URL" in first
    again = started()
    assert f"INFO bot.cli.serve: database: the SQLite file {elsewhere / 'golive.db'}" in again
    assert "new, empty" not in again


# `golive-bot serve`, with a second SIGTERM sent at every line the handler of the first one runs, once
# SIGUSR1 arms it: the worst timing two signals sent together (by `timeout`, or a kill of the process
# group beside one of the process) can have.
TWO_SIGNALS_AT_ONCE = """
import os, signal, sys, threading
from bot.cli.main import main

inside = []

def each_line(frame, event, arg):
    if event == "line" and len(inside) < 200:
        inside.append(1)
        os.kill(os.getpid(), signal.SIGTERM)
    return each_line

def calls(frame, event, arg):
    handler = frame.f_code.co_filename.endswith("serve.py") and frame.f_back.f_code.co_name == "wait"
    return each_line if handler or inside else None

def arm(*_):
    sys.settrace(calls)
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()

signal.signal(signal.SIGUSR1, arm)
sys.exit(main(sys.argv[1:]))
"""


def test_serve_stops_when_a_second_sigterm_comes_while_the_first_is_handled(tmp_path, fake_slack: FakeSlack):
    """The handler set a threading.Event; a second signal arriving while it held the Event's lock
    waited for that lock for ever, and serve hung until it was killed, its requests lost."""
    (tmp_path / "two_signals.py").write_text(TWO_SIGNALS_AT_ONCE)
    env = bot_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                  SLACK_API_URL=fake_slack.url)  # fmt: skip
    script = str(tmp_path / "two_signals.py")
    command = [sys.executable, script, "serve", "--host", "127.0.0.1", "--port", "0"]
    with serving(command, env, tmp_path) as proc:
        ready(proc, "serving Slack")
        proc.send_signal(signal.SIGUSR1)
        _, log = proc.communicate(timeout=20)
        assert proc.returncode == 0, log
        assert "stopping: finishing requests in hand" in log
