"""The HTTP front door refuses what Slack did not send, and survives what it should never receive."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import replace
from urllib.parse import urlencode

import pytest
from slack_harness import SIGNING_SECRET, request, sign

from bot.slack.server import MAX_BODY, SlackWsgi
from bot.store.database import Database


def event_body(text: str = "what is snomed") -> bytes:
    return json.dumps({
        "type": "event_callback", "team_id": "T0TEST", "event_id": "Ev0SECURITY",
        "event": {"type": "app_mention", "user": "U0A", "channel": "C0A", "text": text, "ts": "1.2"},
    }).encode()  # fmt: skip


def test_health_check_reports_the_database(slack_bot):
    bot = slack_bot()
    response = bot.get("/healthz")
    assert response.status == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_health_check_fails_when_the_database_is_unreachable(slack_bot):
    bot = slack_bot()
    unreachable = replace(bot.services, db=Database("postgresql://nobody@127.0.0.1:1/none"))
    wsgi = SlackWsgi(bot.app, unreachable, SIGNING_SECRET)
    statuses = []
    body = wsgi(
        {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"}, lambda status, headers: statuses.append(status)
    )
    assert statuses == ["503 Service Unavailable"]
    assert json.loads(b"".join(body)) == {"status": "unhealthy", "database": "unreachable"}
    unreachable.db.dispose()


def test_unknown_paths_and_methods_are_refused(slack_bot):
    bot = slack_bot()
    assert bot.get("/").status == 404
    assert bot.get("/slack/events").status == 405
    assert bot.post(b"{}", path="/healthz").status == 405
    assert request(bot.url + "/slack/events", "PUT", b"{}").status == 405


def test_a_forged_signature_is_refused_and_nothing_is_posted(slack_bot):
    bot = slack_bot()
    assert bot.post(event_body(), sign_with="not-the-secret").status == 401
    assert bot.post(event_body(), sign_with=None).status == 401
    headers = sign(event_body())
    tampered = event_body("<!channel> something else")
    assert request(bot.url + "/slack/events", "POST", tampered, headers).status == 401
    assert bot.fake.attempts == [] or {c.method for c in bot.fake.attempts} == {"auth.test"}


def test_signature_headers_of_any_shape_are_refused_not_crashed_on(slack_bot):
    bot = slack_bot()
    good = sign(event_body())
    now, signature_ok = good["X-Slack-Request-Timestamp"], good["X-Slack-Signature"]
    odd = (
        ("\u00b2", signature_ok),
        ("1e9", signature_ok),
        (now, "v0=\u00e9t\u00e9"),
        ("", ""),
        (now, "v0=" + "0" * 64),
    )
    for timestamp, signature in odd:
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
                   "X-Slack-Signature": signature}  # fmt: skip
        response = request(bot.url + "/slack/events", "POST", event_body(), headers)
        assert response.status == 401, (timestamp, signature)


def test_a_stale_timestamp_is_refused_as_a_replay(slack_bot):
    bot = slack_bot()
    assert bot.post(event_body(), timestamp=int(time.time()) - 6 * 60).status == 401
    assert bot.fake.calls_to("chat.postMessage") == []


def test_an_oversized_body_is_refused_before_it_is_read(slack_bot):
    bot = slack_bot()
    port = int(bot.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        # Only the headers are sent: the refusal must come without the body being read.
        conn.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {MAX_BODY + 1}\r\n\r\n".encode()
        )
        assert conn.recv(200).startswith(b"HTTP/1.1 413")
    assert bot.get("/healthz").status == 200


JSON, FORM = "application/json", "application/x-www-form-urlencoded"


def as_json(data: object) -> tuple[bytes, str]:
    return json.dumps(data).encode(), JSON


def as_payload(data: object) -> tuple[bytes, str]:
    return urlencode({"payload": json.dumps(data)}).encode(), FORM


def callback(event: object, **extra: object) -> tuple[bytes, str]:
    return as_json({"type": "event_callback", "event_id": "Ev1", "event": event, **extra})


CLICK = {"type": "block_actions", "user": {"id": "U1"}}
HOSTILE = {
    "not json": (b"{this is not json", JSON),
    "json array": as_json([1, 2, 3]),
    "json string": as_json("event_callback"),
    "empty body": (b"", JSON),
    "no type": as_json({"event_id": "Ev1", "event": {"type": "app_mention"}}),
    "type is a number": as_json({"type": 7}),
    "event is a string": callback("app_mention"),
    "event without type": callback({"user": "U1"}),
    "event without id": as_json({"type": "event_callback", "event": {"type": "app_mention"}}),
    "user is a list": callback({"type": "app_mention", "user": ["U1"]}),
    "text is an object": callback({"type": "message", "channel_type": "im", "text": {"a": 1}}),
    "team is a string": as_json({**CLICK, "team": "T1"}),
    "authorizations not a list": callback({"type": "app_mention"}, authorizations=5),
    "deep nesting": (b'{"type": "event_callback", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", JSON),
    "very deep nesting": (b"{" + b'"a":{' * 100_000 + b"}" * 100_001, JSON),
    "not utf-8": (b'{"type": "event_callback", "text": "\xff\xfe\xfa"}', JSON),
    "payload not json": (b"payload=%7Bnope", FORM),
    "payload is a list": (b"payload=%5B1%5D", FORM),
    "actions not objects": as_payload({**CLICK, "actions": ["x"]}),
    "action value a number": as_payload({**CLICK, "actions": [{"action_id": "answer_helpful", "value": 5}]}),
    "user is a string": as_payload({**CLICK, "user": "U1", "actions": []}),
    "form with nothing we know": (b"hello=world", FORM),
    "too many fields": ("&".join(f"f{i}=1" for i in range(500)).encode(), FORM),
    "binary": (bytes(range(256)), "application/octet-stream"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_bodies_get_a_4xx_and_the_server_keeps_serving(slack_bot, name):
    bot = slack_bot()
    body, content_type = HOSTILE[name]
    response = bot.post(body, content_type=content_type)  # correctly signed
    assert 400 <= response.status < 500, (name, response.status, response.body[:200])
    assert bot.get("/healthz").status == 200
    bot.mention("what is BAU")
    assert "BAU" in bot.fake.wait_for("chat.postMessage")[0].params["text"]


def test_buttons_with_values_that_are_not_ours_change_nothing(slack_bot):
    bot = slack_bot()
    for value in (
        "",
        "not json",
        "[1]",
        json.dumps({"e": "no-such-entry", "q": "x"}),
        json.dumps({"u": "1", "q": 3}),
    ):
        assert bot.action("answer_helpful", value).status == 200
        assert bot.action("answer_pass_to_support", value).status == 200
    replies = bot.fake.wait_for("response_url", count=10)
    said = ("no longer works", "taken out of my knowledge base")  # an entry id no answer has: gone
    assert all(any(s in c.params["text"] for s in said) for c in replies)
    assert bot.fake.calls_to("chat.postMessage") == []


def test_a_slash_command_that_mentions_payload_is_still_answered(slack_bot):
    # Bolt's own parser drops a form body containing the word "payload"; ours must not.
    bot = slack_bot()
    assert bot.command("what is the payload of snomed").status == 200
    assert bot.fake.wait_for("response_url")[0].params["response_type"] == "ephemeral"
