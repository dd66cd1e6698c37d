"""Review: the HTTP front door against what a hostile or broken client can send it."""

from __future__ import annotations

import json
import socket
import time

from slack_harness import request, sign


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
