"""End-to-end Slack testing: the real server stack over HTTP, signed requests, and a fake Slack Web API.

Loaded for every test by `pytest_plugins` in conftest.py. Typical use:

    def test_mention_is_answered(slack_bot):
        bot = slack_bot()                                    # real Bolt app + waitress on 127.0.0.1:0
        bot.mention("what is snomed?", user="U1", channel="C1")
        reply = bot.fake.wait_for("chat.postMessage")[0]     # the call Slack would have received
        assert reply.params["thread_ts"]

`slack_bot(...)` takes keyword arguments, all optional:
    org=OrgConfig(...)          the organisation (default: `org_config()`, triage channel C0TRIAGE)
    clock=ManualClock(...)      time for the domain (default: the system clock)
    database_url="..."          share a database between two bots, or use the `database_url` fixture
                                to run on SQLite and PostgreSQL (default: a SQLite file in tmp_path)
    knowledge_dir=Path(...)     (default: a small knowledge base written to tmp_path, see KNOWLEDGE)
    fake=FakeSlack()            share one fake between bots (default: the `fake_slack` fixture)
Each call starts another bot on its own port; all are stopped after the test.

A `RunningBot` sends requests signed exactly as Slack signs them and returns `Response(status, body)`:
    bot.mention(text), bot.dm(text)                 app_mention / message.im events
    bot.send_event(event, event_id=..., retry_num=1) any event_callback, optionally as a Slack retry
    bot.command("issue ...", user="U1")             /golive with a response_url at the fake
    bot.action(action_id, value, ...)               a block_actions click (message or view)
    bot.action(action_id, selected=value, ...)      a choice from an overflow menu (or any select)
    bot.view_submission(view, ...), bot.shortcut(callback_id, ...), bot.message_action(callback_id, ...)
    bot.post(raw_body, content_type=..., sign=..., timestamp=...)   anything at all, for hostile tests
    bot.get("/healthz")
and exposes `.url`, `.fake`, `.services` (the domain, database and clock), `.app` (the Bolt app).
`sign(body, secret, timestamp)` gives the headers for your own requests.

To run `golive-bot` as a process: `subprocess.run([*GOLIVE_BOT, "serve"], env=bot_env(tmp_path, ...))`.
The `console` fixture gives the local console, its output buffer and its services, without Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import io
import itertools
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from fake_slack import FakeSlack

from bot.cli.console import Console
from bot.clock import Clock
from bot.config import Channels, Contact, OrgConfig, Settings
from bot.runtime import Services, build_services
from bot.slack.server import HttpServer, start_http

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
KNOWLEDGE = """\
entries:
  - id: snomed-ct
    kind: jargon
    title: SNOMED CT
    aliases: [SNOMED, snomed clinical terms]
    answer: A structured clinical vocabulary used in the health record to record diagnoses and findings.
  - id: business-as-usual
    kind: jargon
    title: BAU
    aliases: [business as usual]
    answer: Business as usual - the normal running of services once the go-live support has ended.
  - id: get-a-login
    kind: howto
    title: How do I get a login?
    aliases: [new account, request access]
    answer: Ask your line manager to submit an access request through the IT service desk portal.
  - id: floorwalker
    kind: jargon
    title: Floorwalker
    aliases: [floor walker]
    answer: A trained helper who walks the wards during go-live to help staff with the new system.
"""
_ids = itertools.count(1)


def org_config(**changes: Any) -> OrgConfig:
    """An organisation with a triage and safety channel; pass any OrgConfig field to change it."""
    base = OrgConfig(organisation="Test Trust", channels=Channels(triage="C0TRIAGE", safety="C0SAFETY"))
    return OrgConfig(**{**base.__dict__, **changes})


def sign(body: bytes, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack adds: v0 HMAC-SHA256 over "v0:{timestamp}:{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


def request(url: str, method: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    try:
        conn.request(method, parsed.path or "/", body=body, headers=headers or {})
        resp = conn.getresponse()
        return Response(resp.status, resp.read(), {k.lower(): v for k, v in resp.getheaders()})
    finally:
        conn.close()


@dataclass
class RunningBot:
    url: str
    fake: FakeSlack
    services: Services
    server: HttpServer
    team_id: str = "T0TEST"

    @property
    def app(self) -> Any:
        return self.server.wsgi.app  # the Bolt app behind the WSGI front door

    def get(self, path: str) -> Response:
        return request(self.url + path, "GET")

    def post(
        self,
        body: bytes,
        *,
        content_type: str = "application/json",
        sign_with: str | None = SIGNING_SECRET,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> Response:
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if sign_with is not None:
            all_headers |= sign(body, sign_with, timestamp)
        return request(self.url + path, "POST", body, all_headers)

    # -- Events API -----------------------------------------------------------------------------

    def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> Response:
        envelope = {
            "token": "legacy-token-unused",
            "team_id": self.team_id,
            "api_app_id": "A0TEST",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": self.team_id, "user_id": "U0BOT", "is_bot": True}],
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.post(json.dumps(envelope).encode(), headers=headers)

    def mention(
        self, text: str, *, user: str = "U0ASKER", channel: str = "C0GENERAL", event_id: str | None = None,
        thread_ts: str | None = None,
    ) -> Response:  # fmt: skip
        event = {"type": "app_mention", "user": user, "channel": channel, "text": f"<@U0BOT> {text}",
                 "ts": _ts(), "event_ts": _ts()}  # fmt: skip
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.send_event(event, event_id=event_id)

    def dm(self, text: str, *, user: str = "U0ASKER", channel: str = "D0ASKER", **extra: Any) -> Response:
        event = {"type": "message", "channel_type": "im", "user": user, "channel": channel, "text": text,
                 "ts": _ts(), "event_ts": _ts(), **extra}  # fmt: skip
        return self.send_event(event)

    # -- slash commands and interactivity -------------------------------------------------------

    def command(
        self, text: str, *, user: str = "U0ASKER", channel: str = "C0GENERAL", command: str = "/golive"
    ) -> Response:
        form = {
            "token": "legacy-token-unused", "team_id": self.team_id, "channel_id": channel,
            "user_id": user, "user_name": user.lower(), "command": command, "text": text,
            "response_url": self.fake.response_url(f"command-{next(_ids)}"),
            "trigger_id": f"trigger-{next(_ids)}", "api_app_id": "A0TEST",
        }  # fmt: skip
        return self.post(urlencode(form).encode(), content_type="application/x-www-form-urlencoded")

    def interactive(self, payload: dict[str, Any]) -> Response:
        """Any interactive payload, sent as Slack sends it: a form with one `payload=` JSON field."""
        payload = {"team": {"id": self.team_id, "domain": "test-trust"}, "api_app_id": "A0TEST",
                   "token": "legacy-token-unused", **payload}  # fmt: skip
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(body, content_type="application/x-www-form-urlencoded")

    def action(
        self, action_id: str, value: str = "", *, user: str = "U0ASKER", channel: str = "C0GENERAL",
        message: dict[str, Any] | None = None, view: dict[str, Any] | None = None,
        block_id: str = "b1", response_url: str | None = None, selected: str | None = None, **extra: Any,
    ) -> Response:  # fmt: skip
        """A button click on a message (default) or, with `view=`, in a modal or the App Home; with
        `selected=`, the choice of that option's value from an overflow menu instead."""
        clicked: dict[str, Any] = {"type": "button", "action_id": action_id, "block_id": block_id,
                                   "action_ts": _ts(), "value": value}  # fmt: skip
        if selected is not None:
            del clicked["value"]
            chosen = {"text": {"type": "plain_text", "text": "chosen"}, "value": selected}
            clicked |= {"type": "overflow", "selected_option": chosen}
        payload: dict[str, Any] = {
            "type": "block_actions", "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "trigger_id": f"trigger-{next(_ids)}", "actions": [clicked], **extra,
        }  # fmt: skip
        if view is not None:
            payload |= {"container": {"type": "view", "view_id": view.get("id", "V0")}, "view": view}
        else:
            ts = (message or {}).get("ts", _ts())
            payload |= {
                "container": {
                    "type": "message",
                    "message_ts": ts,
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "channel": {"id": channel, "name": "general"},
                "message": message or {"type": "message", "ts": ts, "text": "", "blocks": []},
                "response_url": response_url or self.fake.response_url(f"action-{next(_ids)}"),
            }
        return self.interactive(payload)

    def view_submission(
        self, view: dict[str, Any], *, user: str = "U0ASKER", values: dict[str, Any] | None = None
    ) -> Response:
        """Submit a modal; `values` is view.state.values ({block_id: {action_id: {...}}})."""
        submitted = {"id": view.get("id", "V0"), "type": "modal", "hash": "h1", **view,
                     "state": {"values": values or {}}}  # fmt: skip
        return self.interactive({
            "type": "view_submission",
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "trigger_id": f"trigger-{next(_ids)}", "view": submitted,
        })  # fmt: skip

    def shortcut(self, callback_id: str, *, user: str = "U0ASKER") -> Response:
        """A global shortcut (from the lightning menu)."""
        return self.interactive({
            "type": "shortcut", "callback_id": callback_id, "trigger_id": f"trigger-{next(_ids)}",
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id}, "action_ts": _ts(),
        })  # fmt: skip

    def message_action(
        self, callback_id: str, message: dict[str, Any], *, user: str = "U0ASKER", channel: str = "C0GENERAL"
    ) -> Response:
        """A message shortcut ('Log as go-live issue') on `message` ({"text", "ts", "user"})."""
        return self.interactive({
            "type": "message_action", "callback_id": callback_id, "trigger_id": f"trigger-{next(_ids)}",
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id},
            "channel": {"id": channel, "name": "general"}, "message_ts": message.get("ts", _ts()),
            "message": {"type": "message", "ts": _ts(), **message},
            "response_url": self.fake.response_url(f"shortcut-{next(_ids)}"), "action_ts": _ts(),
        })  # fmt: skip


_ts_lock = threading.Lock()
_last_ts = [0.0]


def _ts() -> str:
    """A message timestamp, unique as Slack's are in a channel (two sends can share a microsecond)."""
    with _ts_lock:
        _last_ts[0] = max(time.time(), _last_ts[0] + 0.000001)
        return f"{_last_ts[0]:.6f}"


def write_knowledge(folder: Path, text: str = KNOWLEDGE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entries.yaml").write_text(text)
    return folder


GOLIVE_BOT = [sys.executable, "-m", "bot.cli.main"]  # `golive-bot`, without needing the package installed
REPO = Path(__file__).resolve().parent.parent


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment for `golive-bot` as a process: no Slack unless given, a small knowledge base, SQLite."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOLIVE_", "DATABASE_URL", "PORT"))
    }
    config = tmp_path / "golive.yaml"
    config.write_text("channels:\n  triage: C0TRIAGE\n  safety: C0SAFETY\n")
    env |= {
        "GOLIVE_CONFIG": str(config),
        "GOLIVE_KNOWLEDGE_DIR": str(write_knowledge(tmp_path / "knowledge")),
        "GOLIVE_SCHEDULES_DIR": str(tmp_path / "schedules"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PYTHONPATH": str(REPO),
        **extra,
    }
    return env


class HeldForms(threading.Event):
    """Slack's wait for a form's answer, scaled down to 0.2 s until the event is set; work a test makes
    slow waits for it, so the form is answered 'still saving' before the work goes on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from bot.slack import deadline

        super().__init__()
        self._deadline, self._full = deadline, deadline.ACK_WITHIN
        monkeypatch.setattr(deadline, "ACK_WITHIN", 0.2)

    def set(self) -> None:
        """Release the held work; forms get Slack's full wait again (a loaded machine needs it)."""
        self._deadline.ACK_WITHIN = self._full
        super().set()


@pytest.fixture
def slow_forms(monkeypatch: pytest.MonkeyPatch) -> Callable[[], HeldForms]:
    """Call it once the test's setup is done: setup on a loaded machine can take over 0.2 s."""
    return lambda: HeldForms(monkeypatch)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture
def slack_bot(tmp_path: Path, fake_slack: FakeSlack) -> Iterator[Callable[..., RunningBot]]:
    """A factory: each call starts one more bot (see the module docstring for its arguments)."""
    running: list[RunningBot] = []

    def start(
        *,
        org: OrgConfig | None = None,
        clock: Clock | None = None,
        database_url: str | None = None,
        knowledge_dir: Path | None = None,
        fake: FakeSlack | None = None,
    ) -> RunningBot:
        fake = fake or fake_slack
        settings = Settings(
            org=org or org_config(),
            knowledge_dir=knowledge_dir or write_knowledge(tmp_path / "knowledge"),
            schedules_dir=tmp_path / "schedules",
            database_url=database_url or f"sqlite:///{tmp_path / 'bot.db'}",
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=fake.url,
        )
        services = build_services(settings, clock=clock)
        server = start_http(services, "127.0.0.1", 0)
        bot = RunningBot(f"http://127.0.0.1:{server.port}", fake, services, server)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.server.stop()
        bot.app.listener_runner.listener_executor.shutdown(wait=True)  # work after the ack, before Slack goes
        bot.services.close()


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[Console, io.StringIO, Services]]:
    """The local console on a fresh knowledge base and database, writing to a buffer; one contact."""
    settings = Settings(
        org=org_config(contacts=(Contact("Maternity desk", "ext 7", sites=("Maternity",)),)),
        knowledge_dir=write_knowledge(tmp_path / "kb"),
        schedules_dir=tmp_path / "schedules",
        database_url=f"sqlite:///{tmp_path / 'bot.db'}",
    )
    services = build_services(settings)
    out = io.StringIO()
    yield Console(services, out), out, services
    services.close()
