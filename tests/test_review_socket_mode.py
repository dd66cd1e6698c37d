"""Review: Socket Mode takes every surface as HTTP mode does, through the handler `serve` uses.

Requests go in as slack_sdk's `SocketModeRequest`s; a fake `SocketModeClient` records the acks, and the
bot's WebClient talks to the fake Slack Web API, so each test sees what Slack would have received.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, org_config, write_knowledge
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.config import Settings
from bot.runtime import Services, build_services
from bot.slack.socket_mode import socket_mode_handler

_ids = itertools.count(1)


class FakeSocketClient:
    """Stands in for slack_sdk's SocketModeClient: what the bot sends back on the socket is an ack."""

    def __init__(self) -> None:
        self.logger = logging.getLogger("fake-socket-mode")
        self.acks: list[dict[str, Any]] = []

    def send_socket_mode_response(self, response: SocketModeResponse | dict[str, Any]) -> None:
        self.acks.append(response.to_dict() if isinstance(response, SocketModeResponse) else response)


class SocketBot:
    def __init__(self, services: Services, fake: FakeSlack) -> None:
        self.services, self.fake = services, fake
        self.handler = socket_mode_handler(services, "xapp-test")
        self.client = FakeSocketClient()

    def send(self, kind: str, payload: Any, **envelope: Any) -> list[dict[str, Any]]:
        """One envelope through the handler; the acks it produced."""
        envelope_id = f"env-{next(_ids)}"
        before = len(self.client.acks)
        request = SocketModeRequest(kind, envelope_id, payload, **envelope)
        self.handler.handle(self.client, request)  # type: ignore[arg-type]
        acks = self.client.acks[before:]
        assert all(a["envelope_id"] == envelope_id for a in acks)
        return acks

    def event(self, event: dict[str, Any], event_id: str | None = None, **envelope: Any) -> list[Any]:
        body = {"type": "event_callback", "team_id": "T0TEST", "api_app_id": "A0TEST",
                "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": "T0TEST", "user_id": "U0BOT", "is_bot": True}]}  # fmt: skip
        return self.send("events_api", body, **envelope)

    def interactive(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        return self.send("interactive", {"team": {"id": "T0TEST"}, "api_app_id": "A0TEST", **payload})

    def command(self, text: str, **fields: Any) -> list[dict[str, Any]]:
        form = {"team_id": "T0TEST", "channel_id": "C0GENERAL", "user_id": "U0ASKER", "command": "/golive",
                "text": text, "response_url": self.fake.response_url(f"cmd-{next(_ids)}"),
                "trigger_id": f"trigger-{next(_ids)}", "api_app_id": "A0TEST", **fields}  # fmt: skip
        return self.send("slash_commands", form)

    def close(self) -> None:
        self.handler.app.listener_runner.listener_executor.shutdown(wait=True)
        self.handler.client.close()
        self.services.close()


@pytest.fixture
def socket_bot(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[Callable[[], SocketBot]]:
    made: list[SocketBot] = []

    def start() -> SocketBot:
        settings = Settings(
            org=org_config(), knowledge_dir=write_knowledge(tmp_path / "knowledge"),
            schedules_dir=tmp_path / "schedules", database_url=f"sqlite:///{tmp_path / 'bot.db'}",
            slack_bot_token=BOT_TOKEN, slack_app_token="xapp-test", slack_api_url=fake_slack.url,
        )  # fmt: skip
        made.append(SocketBot(build_services(settings), fake_slack))
        return made[-1]

    yield start
    for bot in made:
        bot.close()


def mention(text: str, ts: str = "1.000001", **extra: Any) -> dict[str, Any]:
    return {"type": "app_mention", "user": "U0ASKER", "channel": "C0GENERAL", "text": f"<@U0BOT> {text}",
            "ts": ts, "event_ts": ts, **extra}  # fmt: skip


def test_a_mention_is_acked_and_answered_once_though_slack_retries_it(socket_bot) -> None:
    bot = socket_bot()
    assert len(bot.event(mention("what is snomed"), event_id="Ev0ONCE")) == 1
    assert "SNOMED CT" in bot.fake.wait_for("chat.postMessage")[0].params["text"]
    retry = bot.event(mention("what is snomed"), event_id="Ev0ONCE", retry_attempt=1, retry_reason="timeout")
    assert len(retry) == 1
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("events_api", {"type": "event_callback"}),  # no event at all
        ("events_api", {"type": "event_callback", "event_id": "Ev1", "event": "text, not an object"}),
        (
            "events_api",
            {
                "type": "event_callback",
                "event_id": "Ev2",
                "event": {"type": "app_mention", "channel": "C" * 5000, "user": "U1"},
            },
        ),
        ("interactive", {"type": "block_actions", "user": {"id": "U1"}}),  # no actions
        ("interactive", {"type": "view_submission", "user": {"id": "U1"}, "view": "not a view"}),
        ("interactive", {"type": "shortcut", "user": {"id": "U1"}, "trigger_id": "t"}),  # no callback_id
        ("slash_commands", {"command": "/golive", "text": ["a", "list"], "user_id": "U1"}),
        (
            "slash_commands",
            {"command": "/golive", "text": "help", "response_url": "https://attacker.example/x"},
        ),
    ],
)
def test_a_malformed_or_hostile_payload_is_refused_before_bolt_as_http_answers_400(
    socket_bot, caplog, kind: str, payload: Any
) -> None:
    bot = socket_bot()
    with caplog.at_level(logging.WARNING):
        assert bot.send(kind, payload) == []  # not acked: Socket Mode's 400
    assert "refused a Socket Mode request" in caplog.text
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)
    bot.fake.wait_quiet()
    assert not [c for c in bot.fake.calls if c.method != "auth.test"]


def test_control_characters_are_cleaned_before_bolt_reads_ids_or_text(socket_bot) -> None:
    bot = socket_bot()
    assert len(bot.event(mention("where is the canteen\x1b[31m\x00"))) == 1
    assert len(bot.command("what is \x00snomed\x07")) == 1
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_for("response_url")
    echoed = bot.fake.everything()
    assert "canteen" in echoed and "SNOMED CT" in echoed
    assert "\\u001b" not in echoed and "\\u0000" not in echoed and "\\u0007" not in echoed


def test_a_legacy_interactive_payload_that_nothing_handles_is_still_acked(socket_bot) -> None:
    bot = socket_bot()
    acks = bot.interactive({"type": "interactive_message", "callback_id": "old",
                            "actions": [{"name": "x", "type": "button", "value": "1"}],
                            "user": {"id": "U0ASKER"}, "channel": {"id": "C0GENERAL"}})  # fmt: skip
    assert len(acks) == 1  # not a silent 404 that Slack counts as a failed delivery


def test_every_surface_is_acked_once_and_answered(socket_bot) -> None:
    bot = socket_bot()
    user = {"id": "U0ASKER", "username": "u0asker", "team_id": "T0TEST"}
    assert len(bot.event({"type": "message", "channel_type": "im", "user": "U0ASKER", "channel": "D0ASKER",
                          "text": "what is BAU", "ts": "3.1", "event_ts": "3.1"})) == 1  # fmt: skip
    assert len(bot.event({"type": "app_home_opened", "user": "U0ASKER", "tab": "home", "channel": "D0"})) == 1
    assert len(bot.event({"type": "reaction_added", "user": "U0ASKER"})) == 1  # nobody listens: still acked
    assert len(bot.command("help")) == 1
    shortcut = {"type": "shortcut", "callback_id": "gone", "trigger_id": "t1", "user": user}
    assert len(bot.interactive(shortcut)) == 1
    assert len(bot.interactive({
        "type": "block_actions", "user": user, "trigger_id": "t2",
        "actions": [{"type": "button", "action_id": "gone_button", "block_id": "b", "value": "v"}],
        "response_url": bot.fake.response_url("click"),
    })) == 1  # fmt: skip
    form = bot.interactive({"type": "view_submission", "user": user, "trigger_id": "t3",
                            "view": {"id": "V1", "type": "modal", "callback_id": "gone_form",
                                     "state": {"values": {}}}})  # fmt: skip
    assert form[0]["payload"]["response_action"] == "update"  # the form tells the person, in place
    for method in ("chat.postMessage", "views.publish", "response_url"):
        bot.fake.wait_for(method)
