"""A fake Slack Web API on 127.0.0.1 that records every call and answers the way Slack does.

    fake = FakeSlack()                     # started; fake.url is the SLACK_API_URL to give the bot
    fake.usergroups["S0SUPPORT"] = ["U1"]  # usergroups.users.list answers
    fake.display_names["U1"] = "Jo"        # users.info answers it (else no display name, as Slack's
                                           #   is for a person who never set one: real name 'User U1')
    fake.fail("chat.postMessage", status=429, retry_after=1)   # next call rate-limited
    fake.fail("chat.postMessage", error="channel_not_found")  # next call answered ok: false
    fake.leave("G0PRIVATE")                # the bot is not in it: posting or reading there is refused
    fake.slow("response_url", 2.0)         # each call of it answered 2 s late, until slow(..., 0)
    calls = fake.wait_for("chat.postMessage", count=1)         # blocks until seen, up to 5 s
    fake.response_url("cmd1")              # a response_url; posts to it are recorded as "response_url"
    fake.everything()                      # every recorded call as one string, for "never contains" checks
    link = fake.socket_mode()              # apps.connections.open now hands out a local WebSocket:
    link.send_event(envelope_payload)      #   Slack's side of Socket Mode; link.acks has the envelope ids
    fake.close()

Successful calls are in `fake.calls` (`Call(method, params, path)`); failed attempts are kept apart
in `fake.attempts` so "posted exactly once" means one call in `fake.calls`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import itertools
import json
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlparse

_JSON_FIELDS = ("blocks", "view", "attachments", "metadata")


@dataclass(frozen=True)
class Call:
    method: str  # Web API method, or "response_url"
    params: dict[str, Any]
    path: str = ""

    @property
    def text(self) -> str:
        """Everything the call would show a user, as one string."""
        return json.dumps(self.params, ensure_ascii=False)


@dataclass
class _Failure:
    times: int
    status: int
    retry_after: int | None
    error: str | None


def _conversation(channel: object) -> object:
    """Where a post went, as Slack answers it: a message to a person goes to their direct message
    conversation, whose id starts with D (the events of replies there carry that id)."""
    if isinstance(channel, str) and channel[:1] in ("U", "W"):
        return "D" + channel[1:]
    return channel


@dataclass
class FakeSlack:
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    display_names: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    attempts: list[Call] = field(default_factory=list)
    outside: dict[str, str] = field(default_factory=dict)  # channels the bot is not in: Slack's refusal

    def __post_init__(self) -> None:
        self._changed = threading.Condition()
        self._failures: dict[str, list[_Failure]] = {}
        self._delays: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._socket: SocketModeLink | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack", daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.base}/response/{name}"

    def fail(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 200,
        retry_after: int | None = None,
        error: str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` fail: an HTTP status (429, 500) or ok: false."""
        if status == 200 and error is None:
            error = "internal_error"
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._changed:
            self._failures.setdefault(method, []).append(_Failure(times, status, retry_after, error))

    def leave(self, channel: str) -> None:
        """The bot is not (or no longer) a member of `channel`, so Slack refuses to post, edit or read
        there: `not_in_channel` in a public channel, `channel_not_found` in a private one or a direct
        message between other people, which the bot cannot even see."""
        with self._changed:
            self.outside[channel] = "not_in_channel" if channel.startswith("C") else "channel_not_found"

    def slow(self, method: str, seconds: float) -> None:
        """Answer every call of `method` `seconds` late (recorded once answered), as a slow Slack does."""
        with self._changed:
            self._delays[method] = seconds

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The first `count` successful calls of `method`, waiting for them to arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := [c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.method for c in self.calls})
                    raise AssertionError(f"expected {count} {method} call(s), got {len(found)}; saw {seen}")
                self._changed.wait(left)
            return found

    def wait_quiet(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until no call has arrived for `quiet` seconds: for asserting something did NOT happen."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while time.monotonic() < deadline:
                before = len(self.attempts)
                self._changed.wait(quiet)
                if len(self.attempts) == before:
                    return
        raise AssertionError("Slack calls kept arriving")

    def everything(self) -> str:
        with self._changed:
            return "\n".join(f"{c.method} {c.text}" for c in self.attempts)

    def socket_mode(self) -> SocketModeLink:
        """Play Slack's side of Socket Mode: the next apps.connections.open points at this link."""
        self._socket = SocketModeLink()
        return self._socket

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._socket:
            self._socket.close()

    # -- called by the request handler ------------------------------------------------------------

    def _record(self, call: Call) -> tuple[int, dict[str, str], bytes]:
        with self._changed:
            delay = self._delays.get(call.method, 0.0)
        if delay:
            time.sleep(delay)
        with self._changed:
            self.attempts.append(call)
            failure = self._take_failure(call.method) or self._not_a_member(call) or _refused(call)
            if failure is None:
                self.calls.append(call)
            self._changed.notify_all()
        if failure is None:
            return 200, {}, self._answer(call)
        if failure.status != 200:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            return failure.status, headers, json.dumps({"ok": False, "error": "ratelimited"}).encode()
        return 200, {}, json.dumps({"ok": False, "error": failure.error}).encode()

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def _not_a_member(self, call: Call) -> _Failure | None:
        error = self.outside.get(str(call.params.get("channel"))) if call.method in _IN_A_CHANNEL else None
        return _Failure(1, 200, None, error) if error else None

    def _answer(self, call: Call) -> bytes:
        if call.method == "response_url":
            return b"ok"
        p = call.params
        ts = f"1700000000.{next(self._ts):06d}"
        body: dict[str, Any] = {"ok": True}
        if call.method in ("chat.postMessage", "chat.update", "chat.meMessage"):
            body |= {"channel": _conversation(p.get("channel")), "ts": p.get("ts") or ts,
                     "message": {"text": p.get("text")}}  # fmt: skip
        elif call.method == "chat.postEphemeral":
            body["message_ts"] = ts
        elif call.method.startswith("views."):
            view = p.get("view") if isinstance(p.get("view"), dict) else {}
            body["view"] = {**view, "id": p.get("view_id") or f"V{next(self._ts):08d}", "hash": "h1"}
        elif call.method == "conversations.open":
            body["channel"] = {"id": "D" + str(p.get("users", "UNKNOWN")).split(",")[0][1:]}
        elif call.method == "auth.test":
            body |= {"url": "https://test-trust.slack.com/", "team": "Test Trust", "user": "golive",
                     "team_id": "T0TEST", "user_id": "U0BOT", "bot_id": "B0BOT"}  # fmt: skip
        elif call.method == "users.info":
            user = str(p.get("user", "U0"))
            real, shown = f"User {user}", self.display_names.get(user, "")
            body["user"] = {"id": user, "name": user.lower(), "real_name": real, "tz": "Europe/London",
                            "profile": {"display_name": shown, "real_name": real}}  # fmt: skip
        elif call.method == "usergroups.users.list":
            body["users"] = self.usergroups.get(str(p.get("usergroup")), [])
        elif call.method == "apps.connections.open" and self._socket:
            body["url"] = self._socket.url
        elif call.method == "chat.getPermalink":  # the link of the message asked about, as Slack gives it
            asked = str(p.get("message_ts") or ts).replace(".", "")
            body["permalink"] = f"https://test-trust.slack.com/archives/{p.get('channel')}/p{asked}"
        return json.dumps(body).encode()


# What the bot can do only in a conversation it is a member of (see `FakeSlack.leave`).
_IN_A_CHANNEL = (
    "chat.postMessage", "chat.postEphemeral", "chat.update", "chat.meMessage", "chat.getPermalink",
    "conversations.history", "conversations.replies",
)  # fmt: skip
BLOCKS_TEXT_LIMIT = 12_000  # what Slack refuses a message's blocks past, in all (msg_blocks_too_long)
_CAPPED = ("chat.postMessage", "chat.update", "chat.postEphemeral")


def _refused(call: Call) -> _Failure | None:
    """Slack's refusal of a message whose blocks hold too much text in all, however few blocks: an
    undocumented limit others measured at about 12,000 to 13,000 characters."""
    blocks = call.params.get("blocks")
    if call.method not in _CAPPED or not isinstance(blocks, list):
        return None
    return _Failure(1, 200, None, "msg_blocks_too_long") if text_in(blocks) > BLOCKS_TEXT_LIMIT else None


def text_in(value: object) -> int:
    """The characters of every 'text' string in blocks, however deep."""
    if isinstance(value, list):
        return sum(text_in(v) for v in value)
    if isinstance(value, dict):
        return sum(len(v) if k == "text" and isinstance(v, str) else text_in(v) for k, v in value.items())
    return 0


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._handle(b"")

        def do_POST(self) -> None:
            self._handle(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def _handle(self, raw: bytes) -> None:
            url = urlparse(self.path)
            params: dict[str, Any] = dict(parse_qsl(url.query))
            params |= _parse(raw, self.headers.get("Content-Type", ""))
            if url.path.startswith("/api/"):
                call = Call(url.path[len("/api/") :], params, url.path)
            else:
                call = Call("response_url", params, url.path)
            status, headers, body = fake._record(call)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain" if body == b"ok" else "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    text = raw.decode("utf-8")
    if "json" in content_type:
        return json.loads(text)
    params: dict[str, Any] = dict(parse_qsl(text, keep_blank_values=True))
    for key in _JSON_FIELDS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    return params


class SocketModeLink:
    """A one-connection WebSocket server speaking just enough RFC 6455 for Slack's Socket Mode."""

    _GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"
        self.acks: list[str] = []
        self._changed = threading.Condition()
        self._conn: socket.socket | None = None
        threading.Thread(target=self._serve, name="fake-socket-mode", daemon=True).start()

    def send_event(self, payload: dict[str, Any], timeout: float = 10.0) -> str:
        """Deliver an Events API payload as Slack does over Socket Mode; returns its envelope id."""
        envelope_id = f"envelope-{uuid.uuid4().hex[:8]}"
        with self._changed:
            if not self._changed.wait_for(lambda: self._conn is not None, timeout):
                raise AssertionError("the bot never connected over Socket Mode")
        self._send({"envelope_id": envelope_id, "type": "events_api", "payload": payload,
                    "accepts_response_payload": False, "retry_attempt": 0, "retry_reason": ""})  # fmt: skip
        return envelope_id

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"envelope {envelope_id} was never acknowledged")

    def close(self) -> None:
        self._listener.close()
        if self._conn:
            self._conn.close()

    def _serve(self) -> None:
        conn, _ = self._listener.accept()
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = re.search(rb"Sec-WebSocket-Key: *(\S+)", request, re.IGNORECASE)[1]  # type: ignore[index]
        accept = base64.b64encode(hashlib.sha1(key + self._GUID).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")  # fmt: skip
        with self._changed:
            self._conn = conn
            self._changed.notify_all()
        self._send({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0TEST"}})
        self._read(conn)

    def _read(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while frame := self._frame(conn):
                opcode, data = frame
                if opcode == 0x9:  # ping: answer pong
                    conn.sendall(bytes([0x8A, len(data)]) + data)
                elif opcode == 0x1:
                    envelope_id = json.loads(data).get("envelope_id")
                    with self._changed:
                        self.acks.append(envelope_id)
                        self._changed.notify_all()

    @staticmethod
    def _frame(conn: socket.socket) -> tuple[int, bytes] | None:
        def exactly(n: int) -> bytes:
            data = b""
            while len(data) < n:
                chunk = conn.recv(n - len(data))
                if not chunk:
                    raise OSError("closed")
                data += chunk
            return data

        first, second = exactly(2)
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(exactly(2), "big")
        elif length == 127:
            length = int.from_bytes(exactly(8), "big")
        mask = exactly(4) if second & 0x80 else b"\0\0\0\0"
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(exactly(length)))
        return None if first & 0x0F == 0x8 else (first & 0x0F, data)

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode()
        if len(data) < 126:
            header = bytes([0x81, len(data)])
        elif len(data) < 65536:
            header = bytes([0x81, 126]) + len(data).to_bytes(2, "big")
        else:
            header = bytes([0x81, 127]) + len(data).to_bytes(8, "big")
        assert self._conn is not None
        self._conn.sendall(header + data)
