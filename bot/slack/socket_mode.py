"""Socket Mode: the same Bolt app as HTTP mode, fed from Slack's WebSocket instead of waitress.

HTTP requests pass the front door in `server.py` before Bolt sees them; Socket Mode envelopes pass
the same checks here. A payload that fails them is refused before Bolt (whose own code would raise on
it, with a traceback and no ack) and left unacked, as HTTP answers it 400. Anything Bolt finds no
listener for is acked, as `fallback.py` promises: Slack counts an unacked envelope as a failure.
"""

from __future__ import annotations

import logging
from time import time

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_bolt.response import BoltResponse
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.runtime import Services
from bot.slack.app import build_app, is_slack_url
from bot.slack.pacing import ACKS
from bot.slack.shape import BOLT_READ_ERRORS, UNEXPECTED_FIELDS, BadShape, check_socket_payload

log = logging.getLogger(__name__)


class CheckedSocketModeHandler(SocketModeHandler):
    """Bolt's handler with the HTTP front door's checks in front of it."""

    api_url: str | None = None  # SLACK_API_URL: a response_url there is allowed, as over HTTP

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time()
        problem = self._problem(req)
        if problem:
            log.warning("refused a Socket Mode request (%s): %s", req.type, problem)
            return
        with ACKS.request():
            try:
                response: BoltResponse = run_bolt_app(self.app, req)
            except BOLT_READ_ERRORS:
                log.warning("refused a Socket Mode request (%s): %s", req.type, UNEXPECTED_FIELDS)
                return
            if response.status == 404:  # no listener: acked all the same, never retried by Slack
                log.info("acknowledged a Socket Mode %s request that nothing handles", req.type)
                client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                return
            if response.status >= 500:
                log.error("Bolt answered %d to a Socket Mode %s request", response.status, req.type)
            send_response(client, req, response, start)

    def _problem(self, req: SocketModeRequest) -> str | None:
        """Why the payload cannot be a Slack request, or None; it is cleaned in place when it can."""
        try:
            payload = check_socket_payload(req.type, req.payload)
        except BadShape as exc:
            return str(exc)
        if payload.get("response_url") and not is_slack_url(payload["response_url"], self.api_url):
            return "its response_url is not on Slack"
        return None


def socket_mode_handler(services: Services, app_token: str) -> CheckedSocketModeHandler:
    """The handler `serve` connects, with every surface registered on its Bolt app; the bot token is
    checked with Slack first, and Bolt keeps the answer (TokenProblem if Slack refuses it)."""
    handler = CheckedSocketModeHandler(build_app(services, check_token=True), app_token)
    handler.api_url = services.settings.slack_api_url
    return handler
