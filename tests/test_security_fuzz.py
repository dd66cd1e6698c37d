"""Signed payloads of every kind the bot handles, mangled at random: never a 5xx nor a handler that
raises, and the bot serves on.

Each run is seeded, so a failure names the seed that reproduces it. FUZZ_SEEDS=200 runs many more
(this is how numbers in an event's user or channel, a null view, a forged form state and a lone surrogate
in an event's ts were found).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import random
from typing import Any
from urllib.parse import urlencode

import pytest
from fuzzing import mangle
from slack_harness import RunningBot

from bot.slack import blocks
from bot.slack import issue_blocks as ib
from bot.slack.announcements import CANCEL, COMPOSE, CONFIRM, MENU
from bot.slack.issues import MESSAGE_SHORTCUT, SHORTCUT

REQUESTS = 200
USER = {"id": "U0ASKER", "username": "u0asker", "team_id": "T0TEST"}
BUTTONS = (
    (blocks.HELPFUL, json.dumps({"e": "snomed-ct", "q": "what is snomed"})),
    (blocks.NOT_HELPFUL, json.dumps({"e": "snomed-ct", "q": "what is snomed"})),
    (blocks.PICK + "_0", json.dumps({"e": "snomed-ct", "q": "snomed"})),
    (blocks.PASS_TO_SUPPORT, json.dumps({"u": 1, "q": "help"})),
    (blocks.NONE_OF_THESE, json.dumps({"q": "zz"})),
    *(
        (action, "1")
        for action in (ib.ACKNOWLEDGE, ib.ASSIGN, ib.RESOLVE, ib.REOPEN, ib.CONFIRM, ib.PLUS_ONE)
    ),
    (ib.OPEN_FORM, ""),
    (CANCEL, ""),
)
EVENTS = (
    {"type": "app_mention", "user": "U0ASKER", "channel": "C0GENERAL", "text": "<@U0BOT> what is bau",
     "ts": "1.5", "event_ts": "1.5"},
    {"type": "message", "channel_type": "im", "user": "U0ASKER", "channel": "D0ASKER", "text": "what is pas",
     "ts": "1.6"},
    {"type": "app_home_opened", "user": "U0ASKER", "tab": "home"},
    {"type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D0ASKER",
     "message": {"text": "x"}},
)  # fmt: skip


def valid_payloads() -> list[tuple[str, dict[str, Any]]]:
    """One well-formed payload of each kind: (how it is sent, the payload)."""
    clicks = [
        {"type": "block_actions", "user": USER, "trigger_id": "t1",
         "actions": [{"type": "button", "action_id": action, "block_id": "b1", "value": value}],
         "container": {"type": "message", "message_ts": "1.2", "channel_id": "C0GENERAL"},
         "channel": {"id": "C0GENERAL", "name": "general"},
         "message": {"type": "message", "ts": "1.2", "text": "", "blocks": []}, "response_url": "RESPOND"}
        for action, value in BUTTONS
    ]  # fmt: skip
    choice = {
        "type": "overflow",
        "action_id": MENU,
        "block_id": "b1",
        "selected_option": {"text": {"type": "plain_text", "text": "Pause"}, "value": "announcement_pause:x"},
    }
    clicks.append({**clicks[-1], "actions": [choice]})  # a choice from an announcement's menu
    values = {"summary": {"v": {"type": "plain_text_input", "value": "printer broken"}},
              "severity": {"v": {"type": "static_select", "selected_option": {"value": "p1"}}}}  # fmt: skip
    forms = [
        {"type": "view_submission", "user": USER, "trigger_id": "t2",
         "view": {"id": "V0", "type": "modal", "hash": "h", "callback_id": callback, "private_metadata": "{}",
                  "state": {"values": values}}}
        for callback in (ib.FORM, ib.RESOLVE_FORM, COMPOSE, CONFIRM)
    ]  # fmt: skip
    shortcuts = [
        {"type": "shortcut", "callback_id": SHORTCUT, "trigger_id": "t3", "user": USER, "action_ts": "1.3"},
        {"type": "message_action", "callback_id": MESSAGE_SHORTCUT, "trigger_id": "t4", "user": USER,
         "channel": {"id": "C0GENERAL", "name": "general"}, "message_ts": "1.4", "response_url": "RESPOND",
         "message": {"type": "message", "ts": "1.4", "text": "printer broken", "user": "U0OTHER"}},
    ]  # fmt: skip
    commands = [
        {"text": text, "user_id": "U0ASKER", "channel_id": "C0GENERAL", "command": "/golive"}
        for text in ("what is snomed", "issue", "issues", "help", "announce", "report", "gaps")
    ]
    return (
        [("interactive", p) for p in (*clicks, *forms, *shortcuts)]
        + [("event", e) for e in EVENTS]
        + [("command", c) for c in commands]
    )


def send(bot: RunningBot, kind: str, payload: dict[str, Any], n: int) -> int:
    """Sent as the harness sends each kind; a slash command's mangled fields as form text."""
    if kind == "event":
        return bot.send_event(payload, event_id=f"EvF{n}").status
    if kind == "command":
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in payload.items()}
        fields |= {"team_id": "T0TEST", "response_url": bot.fake.response_url(f"c{n}"), "trigger_id": "t"}
        body = urlencode(fields, errors="surrogatepass").encode()
        return bot.post(body, content_type="application/x-www-form-urlencoded").status
    if payload.get("response_url") == "RESPOND":
        payload["response_url"] = bot.fake.response_url(f"r{n}")
    return bot.interactive(payload).status


@pytest.mark.parametrize("seed", range(int(os.environ.get("FUZZ_SEEDS", "3"))))
def test_mangled_payloads_never_get_a_5xx_nor_crash_a_handler_and_the_bot_answers_after(
    slack_bot, caplog: pytest.LogCaptureFixture, seed: int
) -> None:
    """A handler runs after the ack: one that raised would leave the person with no reply at all."""
    caplog.set_level(logging.ERROR)
    bot = slack_bot()
    rng = random.Random(seed)
    kinds = valid_payloads()
    failures = []
    for n in range(REQUESTS):
        kind, valid = rng.choice(kinds)
        payload = copy.deepcopy(valid)
        for _ in range(rng.randint(1, 3)):
            mangle(payload, rng)
        if (status := send(bot, kind, payload, n)) >= 500:
            failures.append((status, kind, json.dumps(payload)[:300]))
    assert failures == []
    assert bot.mention("what is snomed?", event_id="EvAFTER").status == 200
    bot.fake.wait_quiet()
    assert any("SNOMED" in call.text for call in bot.fake.calls_to("chat.postMessage"))
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
