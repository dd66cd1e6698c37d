"""A signed payload whose nested fields have the wrong types is malformed, not a failure of ours: Bolt
reads fields the bot's own checks do not (authorizations[].team, event.message.user, response_urls),
so the front door answers 400 (HTTP) or refuses it (Socket Mode), and goes on serving."""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import pytest
from test_review_socket_mode import socket_bot  # noqa: F401  (the fixture)

from bot.store import health
from bot.store.health import HealthProbe

EVENT = {"type": "app_mention", "user": "U0ASKER", "channel": "C0GENERAL", "text": "<@U0BOT> what is snomed",
         "ts": "1.000001", "event_ts": "1.000001"}  # fmt: skip
NESTED = [
    {"authorizations": [{"team": 5}]},
    {"authorizations": [{"enterprise": 5}]},
    {"event": {**EVENT, "enterprise": 5}},
    {"event": {"type": "message", "subtype": "message_changed", "channel": "D1", "message": {"user": 5}}},
]
ACTIONS = [{"response_urls": 5}, {"response_urls": [1]}]


def _envelope(**fields: Any) -> dict[str, Any]:
    return {"type": "event_callback", "team_id": "T0TEST", "api_app_id": "A0TEST", "event_id": "Ev0NESTED",
            "event_time": int(time.time()), "event": EVENT, **fields}  # fmt: skip


def _click(**fields: Any) -> dict[str, Any]:
    return {"type": "block_actions", "user": {"id": "U0ASKER"}, "team": {"id": "T0TEST"},
            "actions": [{"action_id": "answer_helpful", "value": "{}"}], **fields}  # fmt: skip


@pytest.mark.parametrize("fields", NESTED)
def test_an_event_with_nested_fields_of_the_wrong_type_gets_400_and_the_server_goes_on(slack_bot, fields):
    bot = slack_bot()
    response = bot.post(json.dumps(_envelope(**fields)).encode())
    assert response.status == 400
    assert bot.mention("what is snomed").status == 200
    assert "SNOMED CT" in bot.fake.wait_for("chat.postMessage")[0].params["text"]


@pytest.mark.parametrize("fields", ACTIONS)
def test_a_click_with_nested_fields_of_the_wrong_type_gets_400(slack_bot, fields):
    bot = slack_bot()
    assert bot.interactive(_click(**fields)).status == 400


@pytest.mark.parametrize("fields", NESTED)
def test_socket_mode_refuses_nested_fields_of_the_wrong_type_without_a_traceback(socket_bot, caplog, fields):  # noqa: F811
    bot = socket_bot()
    with caplog.at_level(logging.WARNING):
        assert bot.send("events_api", _envelope(**fields)) == []
    assert "refused a Socket Mode request" in caplog.text and not any(r.exc_info for r in caplog.records)


def test_a_stalled_database_holds_no_health_check_caller_once_its_check_is_overdue(monkeypatch) -> None:
    stalled, checks, clock = threading.Event(), [], [100.0]

    def hangs(db: object) -> bool:
        checks.append(db)
        stalled.wait(60)
        return True

    monkeypatch.setattr(health, "reachable", hangs)
    probe = HealthProbe(object(), wait=30, now=lambda: clock[0])  # type: ignore[arg-type]
    first: list[bool] = []
    waiting = threading.Thread(target=lambda: first.append(probe.reachable()))
    waiting.start()  # starts the check, and waits for it
    while not checks:
        time.sleep(0.01)
    clock[0] += 31  # the check in flight is now overdue: nobody else waits for it
    answers: list[bool] = []
    callers = [threading.Thread(target=lambda: answers.append(probe.reachable())) for _ in range(8)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join(timeout=10)  # a guard only: answered at once, where waiting would take 30 s each
    assert answers == [False] * 8 and len(checks) == 1  # one check in flight, every caller answered
    stalled.set()
    waiting.join(timeout=10)
    assert first == [True]  # the database answered in the end, within the first caller's wait


def test_a_health_check_that_answers_is_believed(monkeypatch) -> None:
    monkeypatch.setattr(health, "reachable", lambda db: True)
    assert HealthProbe(object()).reachable() is True  # type: ignore[arg-type]
