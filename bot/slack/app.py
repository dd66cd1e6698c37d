"""Builds the Bolt app: one Web API client with retries, and every Slack surface registered on it.

Bolt acks each event before its listener runs (process_before_response=False), so slow work never
delays the ack. Slack re-sends events it thinks were lost; `answer_once` makes a retry, or the
same event reaching another replica, a no-op through a unique row in the shared database.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.config import Settings
from bot.runtime import Services
from bot.slack.ids import user_of
from bot.slack.membership import SlackMembership
from bot.slack.pacing import ACKS
from bot.slack.shape import strip_controls
from bot.store.once import claim, release

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on my side and I could not answer that. Please ask again in a few"
    " minutes. If it is urgent, ask a floorwalker or your superuser, or type `/golive contact`."
)
# Each module exposes register(app, services). Adding a surface is one line here.
SURFACES = (
    "bot.slack.commands",
    "bot.slack.answers",
    "bot.slack.issues",
    "bot.slack.home",
    "bot.slack.delivery",
    "bot.slack.status",
    "bot.slack.announcements",
    "bot.slack.fallback",  # last: it takes whatever no other surface did
)


def retry_handlers() -> list[RetryHandler]:
    """A reply is delayed, never dropped: rate limits, Slack errors and network blips are retried."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=5),
        ServerErrorRetryHandler(max_retry_count=3),
        ConnectionErrorRetryHandler(max_retry_count=3),
    ]


def make_client(settings: Settings) -> WebClient:
    kwargs: dict[str, Any] = {"token": settings.slack_bot_token, "retry_handlers": retry_handlers()}
    if settings.slack_api_url:
        kwargs["base_url"] = settings.slack_api_url.rstrip("/") + "/"
    return WebClient(**kwargs)


def respond(response_url: object, **message: Any) -> bool:
    """Post to a response_url (ephemeral replies, replacing a clicked message) with the same retries."""
    if not isinstance(response_url, str) or not response_url.startswith(("https://", "http://")):
        return False
    WebhookClient(response_url, retry_handlers=retry_handlers()).send_dict(message)
    return True


def tell(client: WebClient, body: dict[str, Any], text: str) -> None:
    """A private note to whoever clicked or used a shortcut: below the message when Slack gave a
    response_url, else as a direct message (a global shortcut, a button in a modal or the App Home)."""
    if respond(body.get("response_url"), response_type="ephemeral", replace_original=False, text=text):
        return
    user = user_of(body)
    if not user:
        log.warning("could not tell a user something: the request had neither a response_url nor a user")
        return
    try:
        client.chat_postMessage(channel=user, text=text)
    except (SlackApiError, OSError) as exc:
        log.warning("could not send a user a direct message (%s)", why_slack_failed(exc))


def why_slack_failed(exc: SlackApiError | OSError) -> str:
    """Status and Slack's error code only: never the request, which may hold a token or text."""
    if isinstance(exc, OSError):
        return f"could not reach Slack ({type(exc).__name__})"
    error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
    return f"Slack HTTP {exc.response.status_code}: {error or 'no error code'}"


def answer_once(
    services: Services, body: dict[str, Any], reply: Callable[[], None], apologise: Callable[[str], None]
) -> None:
    """Run `reply` for the first delivery of an event only, across processes sharing the database.

    A retry that arrives while the first delivery is being answered is ignored. When the reply
    cannot be delivered (Slack still failing after the client's own retries), the claim is given
    back, so Slack's next retry of the event is answered rather than ignored. When the bot itself
    fails (its database, say), the person is told so through `apologise` rather than left waiting.
    The reply itself stays on the listener thread: only failures pay for the extra write, and acks
    never wait for it. Listeners call this after the ack; it lets pending acks go ahead of the work.
    """
    ACKS.wait_for_quiet()
    key = f"event:{body.get('event_id')}"
    if not claim(services.db, key, services.clock.now()):
        return
    try:
        reply()
    except (SlackApiError, OSError) as exc:
        release(services.db, key)
        log.error("could not reply to event %s (%s); Slack's retry of it will be answered",
                  body.get("event_id"), why_slack_failed(exc))  # fmt: skip
    except Exception:
        log.exception("could not answer event %s", body.get("event_id"))
        apologise(SORRY)


def build_app(services: Services, *, client: WebClient | None = None) -> App:
    settings = services.settings
    client = client or make_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=settings.slack_signing_secret is not None,
        process_before_response=False,
        token_verification_enabled=False,  # `serve` checks the token itself, with a clear message
    )
    services.membership = SlackMembership(client, services.clock)
    for name in SURFACES:
        importlib.import_module(name).register(app, services)
    return app


def without_controls(body: dict[str, Any], next_: Callable[[], None]) -> None:
    """Socket Mode's middleware: its payloads skip the HTTP front door (`shape.parse_body`), which
    cleans the rest, so every surface sees text without NUL or escape characters. Not on the HTTP
    path: a Bolt middleware costs every request more than the cleaning itself."""
    strip_controls(body)
    next_()


def token_problem(app: App) -> str | None:
    """Why Slack refuses the bot token, or None when it accepts it."""
    try:
        app.client.auth_test()
    except SlackApiError as exc:
        return f"Slack refused SLACK_BOT_TOKEN ({exc.response.get('error', 'unknown error')})"
    except OSError as exc:
        return f"could not reach Slack to check SLACK_BOT_TOKEN ({exc})"
    return None
