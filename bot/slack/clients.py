"""Web API clients: the app's own, with retries, and variants of it for calls that must not wait.

A leaf module: every Slack surface makes its clients here, without importing the app.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.config import Settings


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


def like(client: WebClient, **options: Any) -> WebClient:
    """A client for the same Slack and token with other options (a timeout, its own retries)."""
    return WebClient(token=client.token, base_url=client.base_url, **options)


def one_try(client: WebClient, timeout: float) -> WebClient:
    """For a call that is worth making only at once: a trigger or a look-up that a request waits for."""
    return like(client, timeout=timeout, retry_handlers=[])


def why_slack_failed(exc: SlackApiError | OSError) -> str:
    """Status and Slack's error code only: never the request, which may hold a token or text."""
    if isinstance(exc, OSError):
        return f"could not reach Slack ({type(exc).__name__})"
    return f"Slack HTTP {exc.response.status_code}: {error_code(exc) or 'no error code'}"


def error_code(exc: SlackApiError) -> str:
    """Slack's error code ('channel_not_found'); '' when the answer was no JSON (a proxy's page)."""
    return str(exc.response.get("error") or "") if isinstance(exc.response.data, dict) else ""
