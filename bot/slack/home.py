"""The App Home tab: how to ask a question, the user's own issues and the open counts, published each
time they open it; and a greeting the first time someone opens the bot's Messages tab.

Publishing runs on threads of its own, not the listener's: while Slack rate-limits views.publish the
client waits out each Retry-After, and that must hold up neither acks nor answers. A person who opens
the tab again before their publish has started gets one publish, made from the issues as they are
when it runs. Once the bot is stopping, a rate-limited publish is not retried: the tab is published
again the next time it is opened.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.runtime import Services
from bot.slack.blocks import asking_blocks
from bot.slack.clients import like, why_slack_failed
from bot.slack.commands import COMMAND, small_talk_reply
from bot.slack.issue_blocks import home_view
from bot.store.issues import Filters
from bot.store.once import claim, release

log = logging.getLogger(__name__)
_RECENT = 20
THREADS = 4


class _UntilClosing(RateLimitErrorRetryHandler):
    """Slack's Retry-After is waited out while the bot runs, not once it is stopping."""

    def __init__(self, closing: threading.Event):
        super().__init__(max_retry_count=5)
        self._closing = closing

    def _can_retry(self, **kwargs: Any) -> bool:
        return not self._closing.is_set() and super()._can_retry(**kwargs)


class HomeTabs:
    def __init__(self, services: Services, client: WebClient):
        self._services = services
        self._closing = threading.Event()
        retries = [
            _UntilClosing(self._closing),
            *(h for h in client.retry_handlers if not isinstance(h, RateLimitErrorRetryHandler)),
        ]
        self._client = like(client, retry_handlers=retries)
        self._threads = ThreadPoolExecutor(THREADS, thread_name_prefix="home-tab")
        self._queued: set[str] = set()
        self._lock = threading.Lock()

    def publish_soon(self, user: str) -> None:
        with self._lock:
            if user in self._queued:  # the publish already queued for them shows the latest
                return
            self._queued.add(user)
        try:
            self._threads.submit(self._publish, user)
        except RuntimeError:  # closing: the tab is published again when they next open it
            with self._lock:
                self._queued.discard(user)

    def close(self) -> None:
        """Publishes not yet started are dropped (the next open makes one); those under way finish,
        without waiting out another Retry-After."""
        self._closing.set()
        self._threads.shutdown(wait=True, cancel_futures=True)

    def _publish(self, user: str) -> None:
        with self._lock:
            self._queued.discard(user)  # an open from now on may need a newer view: it queues another
        try:
            self._client.views_publish(user_id=user, view=self.view(user))
        except (SlackApiError, OSError) as exc:
            log.warning("could not publish a home tab (%s)", why_slack_failed(exc))
        except Exception:
            log.exception("could not publish a home tab")

    def view(self, user: str) -> dict[str, Any]:
        issues = self._services.issues
        mine = issues.listing(Filters(open_only=False, involving=user))
        mine.sort(key=lambda issue: (not issue.is_open, -issue.updated_at.timestamp()))
        view = home_view(mine[:_RECENT], issues.open_counts(), len(mine) - _RECENT)
        return {**view, "blocks": [*asking_blocks(COMMAND), *view["blocks"]]}


def register(app: App, services: Services) -> None:
    tabs = HomeTabs(services, app.client)
    services.on_close.append(tabs.close)

    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any]) -> None:
        user, tab, channel = event.get("user"), event.get("tab", "home"), event.get("channel")
        if not isinstance(user, str) or not user:
            return
        if tab == "home":
            tabs.publish_soon(user)
        elif tab == "messages":
            where = channel if isinstance(channel, str) and channel.startswith("D") else user
            services.run_reply(partial(_welcome, app, services, user, where))


def _welcome(app: App, services: Services, user: str, channel: str) -> None:
    """Greet someone the first time they open the bot's Messages tab, where an empty conversation says
    nothing of what to ask: once per person (a claim, as a vote is), never on later visits. A courtesy:
    when it cannot be sent it is logged, and tried again on their next visit."""
    key = f"welcome:{user}"
    try:
        if not claim(services.db, key, services.clock.now()):
            return
        text, shown = small_talk_reply(app, services, "greeting")
        app.client.chat_postMessage(channel=channel, text=text, blocks=shown or None)
    except (SlackApiError, OSError) as exc:
        log.warning("could not greet someone in the bot's Messages tab (%s)", why_slack_failed(exc))
        release(services.db, key)
    except Exception:
        log.exception("could not greet someone in the bot's Messages tab")
