"""The App Home tab: the user's own issues and the open counts, published each time they open it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.runtime import Services
from bot.slack.issue_blocks import home_view
from bot.store.issues import Filters

_RECENT = 20


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        user = event.get("user")
        if event.get("tab", "home") != "home" or not isinstance(user, str) or not user:
            return
        mine = services.issues.listing(Filters(open_only=False, involving=user))
        mine.sort(key=lambda issue: (not issue.is_open, -issue.updated_at.timestamp()))
        counts = services.issues.open_counts()
        client.views_publish(user_id=user, view=home_view(mine[:_RECENT], counts, len(mine) - _RECENT))
