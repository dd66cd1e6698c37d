"""A slow or rate-limited Slack Web API delays replies, never acks, and each request gets one reply.

Slack waits 3 s for an ack. Bolt runs listeners on a pool of threads and, when a listener has not
acked in time, hands the request to the next listener that matches: the catch-all fallbacks, which
told people their click was 'from an older version of the bot' while the real reply came later.
"""

from __future__ import annotations

import json
import logging
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from fake_slack import FakeSlack
from slack_harness import (
    GOLIVE_BOT,
    SIGNING_SECRET,
    Response,
    RunningBot,
    bot_env,
    org_config,
    write_knowledge,
)
from slack_sdk import WebClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.clock import ManualClock
from bot.config import Group, Settings
from bot.roles import MembershipUnknown
from bot.runtime import build_services
from bot.slack import app as slack_app
from bot.slack import deadline
from bot.slack.app import TOO_LATE_TO_OPEN, TokenProblem
from bot.slack.clients import retry_handlers
from bot.slack.fallback import OUT_OF_DATE
from bot.slack.listeners import RequestScope, _run_for, after_ack
from bot.slack.membership import SlackMembership
from bot.slack.server import SlackWsgi
from bot.slack.socket_mode import socket_mode_handler

ACK_WITHIN = 1.5  # seconds: well inside Slack's 3, with room for a loaded CI machine
ISSUE_FORM = {"id": "V0SLOW", "callback_id": "golive_issue_form"}


def timed(send: Callable[[], Response]) -> tuple[Response, float]:
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def concurrently(**jobs: Callable[[], Response]) -> dict[str, tuple[Response, float]]:
    """Send each request on its own thread, as Slack does; each one's response and how long it took."""
    done: dict[str, tuple[Response, float]] = {}
    threads = [
        threading.Thread(target=lambda n=n, j=j: done.__setitem__(n, timed(j))) for n, j in jobs.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return done


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def attempts(fake: FakeSlack, method: str) -> int:
    return sum(1 for call in fake.attempts if call.method == method)


def replies_to(fake: FakeSlack, name: str) -> list[str]:
    """The texts posted to the response_url named `name`."""
    return [c.params.get("text", "") for c in fake.calls_to("response_url") if c.path == f"/response/{name}"]


def command(bot: RunningBot, text: str, name: str, user: str = "U0ASKER") -> Response:
    """`/golive text`, whose replies go to the response_url named `name`."""
    form = {"team_id": bot.team_id, "channel_id": "C0GENERAL", "user_id": user, "command": "/golive",
            "text": text, "response_url": bot.fake.response_url(name), "trigger_id": f"trigger-{name}",
            "api_app_id": "A0TEST"}  # fmt: skip
    return bot.post(urlencode(form).encode(), content_type="application/x-www-form-urlencoded")


def click(bot: RunningBot, name: str) -> Response:
    """A click on a triage button, whose reply goes to the response_url named `name`."""
    return bot.action("issue_acknowledge", "GL-0001", response_url=bot.fake.response_url(name))


def open_home_tabs(bot: RunningBot, people: int) -> None:
    for n in range(people):
        user = f"U0HOME{n}"
        event = {"type": "app_home_opened", "user": user, "channel": f"D0HOME{n}", "tab": "home"}
        assert bot.send_event(event).status == 200


def test_while_views_publish_is_rate_limited_everything_else_is_acked_at_once_and_answered_once(slack_bot):
    bot = slack_bot()
    bot.fake.fail("views.publish", status=429, retry_after=3, times=5)
    open_home_tabs(bot, 5)
    wait_until(lambda: attempts(bot.fake, "views.publish") >= 4)  # the publishes now wait out Retry-After
    done = concurrently(
        status=lambda: command(bot, "status", "status"),
        button=lambda: bot.action(
            "issue_acknowledge", "GL-0001", response_url=bot.fake.response_url("click")
        ),
        form=lambda: bot.view_submission(ISSUE_FORM),
        shortcut=lambda: bot.shortcut("log_issue", user="U0SHORTCUT"),
    )
    for name, (response, seconds) in done.items():
        assert response.status == 200 and seconds < ACK_WITHIN, (name, response.status, seconds)
    assert done["form"][0].json()["response_action"] == "errors"  # the form's own answer, not the fallback's
    wait_until(lambda: replies_to(bot.fake, "status") and replies_to(bot.fake, "click"))
    bot.fake.wait_for("views.open")
    bot.fake.wait_quiet(0.5)
    [status] = replies_to(bot.fake, "status")
    assert "Go-live of" in status
    [click] = replies_to(bot.fake, "click")
    assert click != OUT_OF_DATE
    assert len(bot.fake.calls_to("views.open")) == 1
    assert OUT_OF_DATE not in bot.fake.everything() and "I answer `/golive` only" not in bot.fake.everything()


def test_a_slow_response_url_delays_the_replies_not_the_acks(slack_bot):
    bot = slack_bot()
    bot.fake.slow("response_url", 2.5)
    done = concurrently(**{f"c{n}": lambda n=n: command(bot, "status", f"slow-{n}") for n in range(8)})
    for name, (response, seconds) in done.items():
        assert response.status == 200 and response.body == b"" and seconds < ACK_WITHIN, (name, seconds)
    bot.fake.wait_for("response_url", count=8, timeout=15)
    for n in range(8):
        [reply] = replies_to(bot.fake, f"slow-{n}")
        assert "Go-live of" in reply


def test_a_reply_and_a_private_note_keep_their_order_when_slack_is_slow(slack_bot):
    bot = slack_bot()
    bot.fake.slow("response_url", 0.3)
    response, seconds = timed(lambda: command(bot, "what is BAU? my NHS number is 943 476 5919", "noted"))
    assert response.status == 200 and seconds < ACK_WITHIN
    wait_until(lambda: len(replies_to(bot.fake, "noted")) == 2)
    note, answer = replies_to(bot.fake, "noted")
    assert "removed" in note.lower() and "BAU" in answer
    assert "943" not in bot.fake.everything()


def test_a_listener_that_acks_late_answers_alone_and_a_stale_form_is_not_opened(slack_bot):
    """Listener threads all held (a stand-in for slow work): Bolt gives up on the ack after 3 s. The
    fallbacks must not then answer; the late listeners do, once, and a form whose trigger has expired
    is not opened but the person is told to try again."""
    bot = slack_bot()
    release = threading.Event()
    executor = bot.app.listener_runner.listener_executor
    held = [executor.submit(release.wait, 30) for _ in range(64)]
    try:
        done = concurrently(
            status=lambda: command(bot, "status", "late-status"),
            button=lambda: bot.action(
                "issue_acknowledge", "GL-0001", response_url=bot.fake.response_url("late")
            ),
            shortcut=lambda: bot.shortcut("log_issue", user="U0LATE"),
        )
    finally:
        release.set()
    assert all(f.result(timeout=10) for f in held)
    assert "I answer `/golive` only" not in done["status"][0].body.decode()
    wait_until(lambda: replies_to(bot.fake, "late-status") and replies_to(bot.fake, "late"))
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet(0.5)
    told = bot.fake.calls_to("chat.postMessage")
    [status] = replies_to(bot.fake, "late-status")
    assert "Go-live of" in status
    [click] = replies_to(bot.fake, "late")
    assert click != OUT_OF_DATE
    assert [(c.params["channel"], c.params["text"]) for c in told] == [("U0LATE", TOO_LATE_TO_OPEN)]
    assert attempts(bot.fake, "views.open") == 0  # its trigger had expired
    assert OUT_OF_DATE not in bot.fake.everything()


def test_a_form_command_that_reached_the_bot_too_late_says_to_try_again(slack_bot, monkeypatch):
    bot = slack_bot()
    monkeypatch.setattr(slack_app, "OPEN_WITHIN", -1.0)  # every request is older than that
    assert command(bot, "issue printer jammed", "too-late").status == 200
    wait_until(lambda: replies_to(bot.fake, "too-late"))
    assert replies_to(bot.fake, "too-late") == [TOO_LATE_TO_OPEN]
    assert attempts(bot.fake, "views.open") == 0


def test_a_request_slow_to_reach_the_listeners_counts_its_age_from_the_front_door(slack_bot, monkeypatch):
    """Time spent between the HTTP front door and Bolt's listeners (here a slow signature check; on a
    busy machine Bolt's own middleware) is spent from the trigger's 3 s too: the form is not opened."""
    checked = SlackWsgi._signed

    def slowly(self: SlackWsgi, *args: Any) -> bool:
        time.sleep(slack_app.OPEN_WITHIN + 0.2)
        return checked(self, *args)

    monkeypatch.setattr(SlackWsgi, "_signed", slowly)
    bot = slack_bot()
    assert bot.shortcut("log_issue", user="U0SLOW").status == 200
    bot.fake.wait_for("chat.postMessage")
    assert [c.params["text"] for c in bot.fake.calls_to("chat.postMessage")] == [TOO_LATE_TO_OPEN]
    assert attempts(bot.fake, "views.open") == 0


def test_truly_unknown_buttons_and_commands_still_get_the_fallback(slack_bot):
    bot = slack_bot()
    response, seconds = timed(lambda: bot.action("retired_button", response_url=bot.fake.response_url("old")))
    assert response.status == 200 and seconds < ACK_WITHIN
    wait_until(lambda: replies_to(bot.fake, "old"))
    assert replies_to(bot.fake, "old") == [OUT_OF_DATE]
    renamed = bot.command("status", command="/golive-ward")
    assert renamed.status == 200 and "I answer `/golive` only" in renamed.body.decode()


# -- the bot token is checked at start, and Bolt keeps Slack's answer ---------------------------------


def test_the_token_is_checked_at_start_so_no_request_waits_for_auth_test(slack_bot):
    bot = slack_bot()
    assert len(bot.fake.calls_to("auth.test")) == 1  # before any request
    bot.fake.fail("auth.test", status=429, retry_after=1, times=6)
    response, seconds = timed(lambda: command(bot, "status", "first"))
    assert response.status == 200 and seconds < ACK_WITHIN
    assert bot.dm("what is BAU").status == 200
    [answer] = bot.fake.wait_for("chat.postMessage")
    assert "BAU" in answer.params["text"]
    wait_until(lambda: replies_to(bot.fake, "first"))
    assert "Go-live of" in replies_to(bot.fake, "first")[0]
    bot.fake.wait_quiet(0.3)
    assert attempts(bot.fake, "auth.test") == 1
    assert "reinstall" not in bot.fake.everything() + response.body.decode()


def test_a_refused_token_stops_the_app_being_built(tmp_path, fake_slack: FakeSlack):
    settings = Settings(
        org=org_config(), knowledge_dir=write_knowledge(tmp_path / "kb"), schedules_dir=tmp_path / "plans",
        database_url=f"sqlite:///{tmp_path / 'bot.db'}", slack_bot_token="xoxb-wrong",
        slack_signing_secret=SIGNING_SECRET, slack_api_url=fake_slack.url, slack_app_token="xapp-test",
    )  # fmt: skip
    services = build_services(settings)
    try:
        fake_slack.fail("auth.test", error="invalid_auth")
        with pytest.raises(TokenProblem, match=r"Slack refused SLACK_BOT_TOKEN \(invalid_auth\)"):
            socket_mode_handler(services, "xapp-test")
        fake_slack.fail("auth.test", error="account_inactive")
        with pytest.raises(TokenProblem, match=r"Slack refused SLACK_BOT_TOKEN \(account_inactive\)"):
            slack_app.build_app(services, check_token=True)
    finally:
        services.close()


class FakeSocket:
    """Slack's side of one Socket Mode connection: what the bot sends back is an ack."""

    logger = logging.getLogger("fake-socket")

    def __init__(self) -> None:
        self.sent: list[SocketModeResponse] = []

    def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.sent.append(response)


def test_socket_mode_uses_the_answer_from_start(tmp_path, fake_slack: FakeSlack):
    settings = Settings(
        org=org_config(), knowledge_dir=write_knowledge(tmp_path / "kb"), schedules_dir=tmp_path / "plans",
        database_url=f"sqlite:///{tmp_path / 'bot.db'}", slack_bot_token="xoxb-test",
        slack_api_url=fake_slack.url, slack_app_token="xapp-test",
    )  # fmt: skip
    services = build_services(settings)
    handler = socket_mode_handler(services, "xapp-test")
    try:
        fake_slack.fail("auth.test", error="invalid_auth")
        socket = FakeSocket()
        form = {"team_id": "T0TEST", "channel_id": "C0GENERAL", "user_id": "U0ASKER", "command": "/golive",
                "text": "status", "response_url": fake_slack.response_url("socket"), "trigger_id": "t-socket",
                "api_app_id": "A0TEST"}  # fmt: skip
        handler.handle(socket, SocketModeRequest("slash_commands", "env-1", form))  # type: ignore[arg-type]
        assert len(socket.sent) == 1 and "reinstall" not in json.dumps(socket.sent[0].to_dict())
        [reply] = fake_slack.wait_for("response_url")
        assert "Go-live of" in reply.params["text"]
        assert attempts(fake_slack, "auth.test") == 1
    finally:
        handler.app.listener_runner.listener_executor.shutdown(wait=True)
        handler.client.close()
        services.close()


def test_serve_says_when_it_cannot_reach_slack_to_check_the_token(tmp_path):
    env = bot_env(tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s",
                  SLACK_API_URL="http://127.0.0.1:9/api/")  # fmt: skip
    done = subprocess.run([*GOLIVE_BOT, "serve", "--port", "0", "--host", "127.0.0.1"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2
    assert "could not reach Slack to check SLACK_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr


# -- a message whose words are only in its blocks -------------------------------------------------------


def rich_text(*words: str) -> list[dict[str, Any]]:
    return [{"type": "rich_text", "block_id": "b1", "elements": [
        {"type": "rich_text_section", "elements": [{"type": "text", "text": w} for w in words]},
    ]}]  # fmt: skip


@pytest.mark.parametrize("text", ["", None])
def test_a_direct_message_with_its_words_only_in_blocks_is_answered(slack_bot, text):
    bot = slack_bot()
    event = {"type": "message", "channel_type": "im", "user": "U0ASKER", "channel": "D0ASKER",
             "ts": "1700000000.000100", "blocks": rich_text("what is ", "BAU?")}  # fmt: skip
    if text is not None:
        event["text"] = text
    assert bot.send_event(event).status == 200
    [answer] = bot.fake.wait_for("chat.postMessage")
    assert "BAU" in answer.params["text"] and "What I can do" not in answer.params["text"]


# -- role checks, which forms make while Slack waits for their answer -------------------------------


def test_a_rate_limited_user_group_lookup_is_not_waited_out_and_the_list_last_seen_stands(fake_slack):
    clock = ManualClock(datetime(2027, 1, 18, 9, tzinfo=UTC))
    fake_slack.usergroups["S0SUPPORT"] = ["U0GROUPIE"]
    client = WebClient(base_url=fake_slack.url, token="xoxb-t", retry_handlers=retry_handlers())
    membership = SlackMembership(client, clock)
    team = Group(frozenset(), "S0SUPPORT")
    assert membership.is_member("U0GROUPIE", team)
    clock.advance(minutes=10)  # the cached list is due to be asked again
    fake_slack.fail("usergroups.users.list", status=429, retry_after=3)
    started = time.monotonic()
    assert membership.is_member("U0GROUPIE", team)
    assert time.monotonic() - started < ACK_WITHIN
    clock.advance(hours=2)  # too old to vouch for anyone: neither in nor out (see bot/roles.py)
    fake_slack.fail("usergroups.users.list", status=429, retry_after=3)
    with pytest.raises(MembershipUnknown):
        membership.is_member("U0GROUPIE", team)


def test_a_user_group_slack_says_is_gone_grants_no_role_from_the_list_last_seen(fake_slack):
    """Only a passing failure (a rate limit, an outage) lets the list last seen stand in: a group that
    was deleted or disabled (to take a role away) grants nothing, however recently it was read."""
    clock = ManualClock(datetime(2027, 1, 18, 9, tzinfo=UTC))
    fake_slack.usergroups["S0SAFETY"] = ["U0FORMER"]
    client = WebClient(base_url=fake_slack.url, token="xoxb-t", retry_handlers=retry_handlers())
    membership = SlackMembership(client, clock)
    safety = Group(frozenset({"U0NAMED"}), "S0SAFETY")
    assert membership.is_member("U0FORMER", safety)
    clock.advance(minutes=10)
    fake_slack.fail("usergroups.users.list", error="no_such_subteam")
    assert not membership.is_member("U0FORMER", safety)
    assert membership.is_member("U0NAMED", safety)  # the configured ids still hold


def test_a_forms_late_answer_reaches_slack_after_the_work_it_followed_and_off_the_form_threads(monkeypatch):
    """A form slower than Slack waits is acked 'still saving'; what it then tells the person goes on
    the reply threads, after what the work itself queued, never on the threads later forms need."""
    monkeypatch.setattr(deadline, "ACK_WITHIN", 0.2)
    replies = ThreadPoolExecutor(2, thread_name_prefix="after-ack")
    sent: list[tuple[str, str]] = []
    done = threading.Event()

    def work() -> dict:
        after_ack(
            lambda: (time.sleep(0.2), sent.append(("queued by the work", threading.current_thread().name)))
        )
        time.sleep(0.4)
        return {"response_action": "errors", "errors": {"summary": "Not saved"}}

    def after_late(answer: dict) -> None:
        after_ack(lambda: (sent.append(("late note", threading.current_thread().name)), done.set()))

    acks: list[dict] = []
    _run_for(
        RequestScope(False, replies),
        deadline.ack_in_time,
        lambda **a: acks.append(a),
        work,
        {"late": 1},
        after_late,
    )
    assert acks == [{"late": 1}] and done.wait(5)
    assert [what for what, _ in sent] == ["queued by the work", "late note"]
    assert all(thread.startswith("after-ack") for _, thread in sent)
    replies.shutdown()
