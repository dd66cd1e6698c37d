"""Review: the HTTP front door against what a hostile or broken client can send it."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlencode

from fake_slack import FakeSlack
from slack_harness import org_config, request, sign
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack.app import is_slack_url, respond
from bot.slack.clients import make_client


def event_body(text: str = "what is snomed") -> bytes:
    return json.dumps({
        "type": "event_callback", "team_id": "T0TEST", "event_id": f"Ev{time.time_ns()}",
        "event": {"type": "app_mention", "user": "U0A", "channel": "C0A", "text": text, "ts": "1.2"},
    }).encode()  # fmt: skip


def test_a_timestamp_of_thousands_of_digits_is_refused_401_not_500(slack_bot) -> None:
    bot = slack_bot()
    body = event_body()
    for digits in (25, 5000):
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "9" * digits,
                   "X-Slack-Signature": sign(body)["X-Slack-Signature"]}  # fmt: skip
        assert request(bot.url + "/slack/events", "POST", body, headers).status == 401
    assert bot.get("/healthz").status == 200


def test_hundreds_of_slow_clients_do_not_stop_the_health_check_or_slack(slack_bot) -> None:
    bot = slack_bot()
    port = int(bot.url.rsplit(":", 1)[1])
    slow = []
    try:
        for _ in range(250):  # each sends part of its headers and then nothing (slowloris)
            conn = socket.create_connection(("127.0.0.1", port), timeout=5)
            conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: bot\r\n")
            slow.append(conn)
        started = time.monotonic()
        assert bot.get("/healthz").status == 200
        assert bot.mention("what is BAU").status == 200
        assert time.monotonic() - started < 3
    finally:
        for conn in slow:
            conn.close()


def command_form(response_url: str) -> bytes:
    return urlencode({
        "token": "x", "team_id": "T0TEST", "channel_id": "C0GENERAL", "user_id": "U0ASKER",
        "command": "/golive", "text": "what is snomed", "response_url": response_url, "trigger_id": "t1",
    }).encode()  # fmt: skip


FOREIGN = (
    "https://attacker.example/hooks", "http://hooks.slack.com/commands/T0/1/x",
    "https://hooks.slack.com.attacker.example/x", "https://user@attacker.example@hooks.slack.com/x",
)  # fmt: skip


def test_a_signed_request_naming_a_response_url_off_slack_is_refused_and_nothing_is_sent_there(
    slack_bot,
) -> None:
    bot, elsewhere = slack_bot(), FakeSlack()
    try:
        for url in (*FOREIGN, elsewhere.response_url("stolen")):
            response = bot.post(command_form(url), content_type="application/x-www-form-urlencoded")
            assert response.status == 400, url
            assert bot.action("answer_helpful", "{}", response_url=url).status == 400, url
        elsewhere.wait_quiet()
        assert elsewhere.attempts == []
        assert bot.command("what is snomed").status == 200  # the configured Slack's own still works
        assert bot.fake.wait_for("response_url")
    finally:
        elsewhere.close()


def test_replies_are_only_ever_posted_to_slacks_hosts_over_https() -> None:
    for url in FOREIGN:
        assert respond(WebClient(), url, text="hello") is False, url
    assert is_slack_url("https://hooks.slack.com/commands/T0/1/abc")
    assert is_slack_url("https://hooks.slack-gov.com/actions/T0/1/abc")
    assert not is_slack_url("https://hooks.slack.com:8443/commands/T0/1/abc")


def test_a_local_slack_is_trusted_only_by_the_client_that_talks_to_it() -> None:
    """A process that once made a client for one fake Slack must not trust it from another: ports are
    reused, and the CI run that failed had a stale fake's port handed to a hostile one."""
    earlier = make_client(Settings(org=org_config(), slack_api_url="http://127.0.0.1:40001/api/"))
    later = WebClient(base_url="http://127.0.0.1:40002/api/")
    assert is_slack_url("http://127.0.0.1:40001/response/x", earlier.base_url)
    assert not is_slack_url("http://127.0.0.1:40001/response/x", later.base_url)
    assert respond(later, "http://127.0.0.1:40001/response/x", text="hello") is False
