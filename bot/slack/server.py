"""The production HTTP front door: a small WSGI app served by waitress's thread pool.

POST /slack/events is checked here in the order that costs an attacker most and us least: size
(413 before reading), signature and timestamp (401), shape (400); only then does Bolt see it, as an
already-parsed payload. GET /healthz says whether the database is reachable. Nothing here logs a
body, a token or the signing secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest
from waitress import create_server, wasyncore

from bot.runtime import Services
from bot.slack.app import build_app, is_slack_url
from bot.slack.listeners import RECEIVED
from bot.slack.pacing import ACKS
from bot.slack.shape import BOLT_READ_ERRORS, UNEXPECTED_FIELDS, BadShape, parse_body
from bot.store.health import HealthProbe

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # Slack's own payloads are far smaller
MAX_AGE_SECONDS = 5 * 60  # an older signed request is a replay
# Unix seconds have 10 digits until 2286; Python refuses to read an int of over 4,300 digits (a 500).
MAX_TIMESTAMP_DIGITS = 12
# Slow or idle clients (slowloris) each hold a connection, not a thread: allow many, close idle ones
# sooner than waitress's two minutes, and keep each one's buffered headers small. Slack's are a few KiB.
MAX_CONNECTIONS = 1000
IDLE_SECONDS = 30
MAX_HEADER_BYTES = 64 * 1024
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
StartResponse = Callable[..., Any]


class SlackWsgi:
    def __init__(
        self,
        app: App | None,  # None until `start_http` has it, before serving
        services: Services,
        signing_secret: str | None,  # None in Socket Mode: the health check alone is served
        max_body: int = MAX_BODY,
        now: Callable[[], float] = time.time,  # Slack signs with wall-clock time, whatever the domain clock
    ):
        self.app = app
        self._services = services
        self._serves_events = signing_secret is not None
        self._secret = (signing_secret or "").encode()
        self._max_body = max_body
        self._now = now
        self._probe = HealthProbe(services.db)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == HEALTH_PATH:
            result = self._health() if method in ("GET", "HEAD") else _not_allowed("GET, HEAD")
        elif path != EVENTS_PATH or not self._serves_events:
            result = _json(404, {"error": "not found"})
        elif method == "POST":
            with ACKS.request():
                result = self._events(environ, time.monotonic())
        else:
            result = _not_allowed("POST")
        headers = [("Content-Type", result.content_type), ("Content-Length", str(len(result.body)))]
        if result.allow:
            headers.append(("Allow", result.allow))
        start_response(f"{result.status} {_REASONS.get(result.status, 'Error')}", headers)
        return [] if method == "HEAD" else [result.body]

    def _health(self) -> Result:
        if not self._probe.reachable():
            return _json(503, {"status": "unhealthy", "database": "unreachable"})
        return _json(200, {"status": "ok", "database": "ok"})

    def _events(self, environ: dict[str, Any], received: float) -> Result:
        length = _content_length(environ)
        if length is None:
            return _json(411, {"error": "a Content-Length header is required"})
        if length > self._max_body:
            log.warning("refused a %d-byte request body (limit %d)", length, self._max_body)
            return _json(413, {"error": f"the body is larger than {self._max_body} bytes"})
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = _headers(environ)
        timestamp = headers.get("x-slack-request-timestamp", "")
        if not self._signed(raw, timestamp, headers.get("x-slack-signature", "")):
            log.warning("refused a request with a missing, wrong or stale Slack signature")
            return _json(401, {"error": "invalid signature"})
        try:
            payload = parse_body(raw.decode("utf-8"), headers.get("content-type", ""))
        except (UnicodeDecodeError, BadShape) as exc:
            reason = str(exc) if isinstance(exc, BadShape) else "the body is not UTF-8"
            log.warning("refused a signed request: %s", reason)
            return _json(400, {"error": reason})
        if payload.get("response_url") and not is_slack_url(
            payload["response_url"], self._services.settings.slack_api_url
        ):
            log.warning("refused a signed request: its response_url is not on Slack")
            return _json(400, {"error": "the response_url is not a Slack URL"})
        return self._dispatch(payload, headers, received)

    def _signed(self, raw: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 signature over the exact bytes received, within five minutes of Slack's clock."""
        if (
            not (timestamp.isascii() and timestamp.isdigit())
            or len(timestamp) > MAX_TIMESTAMP_DIGITS
            or abs(self._now() - int(timestamp)) > MAX_AGE_SECONDS
        ):
            return False
        expected = hmac.new(self._secret, b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
        return hmac.compare_digest(b"v0=" + expected.hexdigest().encode(), signature.encode())

    def _dispatch(self, payload: dict[str, Any], headers: dict[str, str], received: float) -> Result:
        if payload.get("type") == "app_rate_limited":  # a notice, answered 200 like any event; no listener
            log.warning("Slack is dropping this app's events for a minute: it sent more than Slack allows")
            return _json(200, {})
        # The signature is verified above, so Bolt gets the parsed payload the way Socket Mode gives it.
        try:
            request = BoltRequest(
                body=payload, headers=headers, context={RECEIVED: received}, mode="socket_mode"
            )
        except BOLT_READ_ERRORS:
            log.warning("refused a signed request: %s", UNEXPECTED_FIELDS)
            return _json(400, {"error": UNEXPECTED_FIELDS})
        assert self.app is not None, "SlackWsgi serves only once it has its app"
        response = self.app.dispatch(request)
        if response.status >= 500:
            log.error("Bolt answered %d to a %s request", response.status, payload.get("type", "command"))
        content_type = response.headers.get("content-type", ["text/plain; charset=utf-8"])[0]
        body = response.body.encode() if isinstance(response.body, str) else bytes(response.body or b"")
        return Result(response.status, content_type, body)


@dataclass(frozen=True)
class Result:
    status: int
    content_type: str
    body: bytes
    allow: str | None = None


def _json(status: int, body: dict[str, str]) -> Result:
    return Result(status, "application/json", json.dumps(body).encode())


def _not_allowed(allowed: str) -> Result:
    return Result(405, "application/json", json.dumps({"error": f"use {allowed}"}).encode(), allowed)


def _content_length(environ: dict[str, Any]) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


_REASONS = {
    200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
    411: "Length Required", 413: "Payload Too Large", 503: "Service Unavailable",
}  # fmt: skip


class HttpServer:
    """waitress in a background thread: `start()` returns once the port is bound; `stop()` drains."""

    def __init__(self, wsgi: SlackWsgi, host: str, port: int, threads: int = 8):
        self.wsgi = wsgi
        self._server = create_server(
            wsgi, host=host, port=port, threads=threads, max_request_body_size=MAX_BODY,
            ident="golive-bot", expose_tracebacks=False, clear_untrusted_proxy_headers=True,
            connection_limit=_connection_limit(), channel_timeout=IDLE_SECONDS,
            max_request_header_size=MAX_HEADER_BYTES, asyncore_use_poll=True,  # select() stops at fd 1024
        )  # fmt: skip
        self._thread = threading.Thread(target=self._server.run, name="http-server", daemon=True)
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.effective_port)  # type: ignore[union-attr]

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Drain and close; a second call does nothing (shutdown paths may overlap)."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=timeout)
        # Closing the sockets from the loop's own thread lets the loop see an empty map and return.
        try:
            self._server.trigger.pull_trigger(lambda: wasyncore.close_all(self._server._map))  # type: ignore[union-attr]
        except OSError:  # the wake-up pipe is already closed: close from here, as nothing else will
            wasyncore.close_all(self._server._map)  # type: ignore[union-attr]
        self._thread.join(timeout)

    def close(self) -> None:
        """Give the port back without ever having served (`start` was not called)."""
        self._stopped.set()
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=1.0)
        wasyncore.close_all(self._server._map)  # type: ignore[union-attr]

    def serve_forever(self) -> None:
        """Run in the calling thread until interrupted (the `serve` command)."""
        self._server.run()


def _connection_limit() -> int:
    """MAX_CONNECTIONS, or fewer when the process may not open that many files (sockets are files)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to read
        return MAX_CONNECTIONS
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(100, min(MAX_CONNECTIONS, soft - 100))  # room for the database, Slack and the log


def start_http(services: Services, host: str, port: int, threads: int = 8) -> HttpServer:
    """The whole Slack stack (Bolt app, checks, waitress) listening on host:port, in the background.
    The port is taken first (OSError if it cannot be), then the bot token is checked with Slack
    (TokenProblem), and only then are requests served: Bolt has Slack's answer about the token before
    the first request, which it would otherwise ask for while that request waits for its ack."""
    secret = services.settings.slack_signing_secret
    if not secret:
        raise ValueError("HTTP mode needs SLACK_SIGNING_SECRET to verify that requests come from Slack")
    wsgi = SlackWsgi(None, services, secret)
    server = HttpServer(wsgi, host, port, threads)
    try:
        wsgi.app = build_app(services, check_token=True)
    except BaseException:  # TokenProblem, or anything else: the port is given back either way
        server.close()
        raise
    server.start()
    return server


def start_health(services: Services, host: str, port: int) -> HttpServer:
    """GET /healthz alone on host:port, in the background, for Socket Mode: a platform that runs the bot
    as a web process (the Procfile's, on Heroku) stops one that never takes its port, and a container's
    probe needs an answer. OSError if the port cannot be taken."""
    server = HttpServer(SlackWsgi(None, services, None), host, port, threads=2)
    server.start()
    return server
