"""The last listeners: whatever Slack sends that no surface handles is acknowledged, and a person told.

Without them Bolt answers 404. Slack counts that as a failed delivery: it sends the event again, and
turns the app's event subscriptions off when most deliveries fail. A person who clicked a button
from an older version of the bot, submitted a form it no longer knows, or used the command under
another name would see only Slack's own error, with nothing saying what to do.

They take only what no other listener was given (`unclaimed`). Bolt also tries them when a listener
has not acked within 3 s; that request is still its own listener's, which answers it late rather
than the person getting two replies, one calling their click out of date.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.runtime import Services
from bot.slack.app import tell
from bot.slack.blocks import notice_view, text_section
from bot.slack.commands import COMMAND
from bot.slack.listeners import unclaimed

log = logging.getLogger(__name__)
_ANY = re.compile(".*", re.DOTALL)
OUT_OF_DATE = (
    f"That no longer works: it is from an older version of the bot. `{COMMAND} help` lists what I can do."
)


def register(app: App, services: Services) -> None:
    @app.event(_ANY)
    def on_other_event(event: dict[str, Any]) -> None:
        log.debug("acknowledged a %s event that nothing listens for", event.get("type"))

    @app.action(_ANY, matchers=[unclaimed])
    def on_other_action(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        tell(client, body, OUT_OF_DATE)

    @app.shortcut(_ANY, matchers=[unclaimed])
    def on_other_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        tell(client, body, OUT_OF_DATE)

    @app.view(_ANY, matchers=[unclaimed])
    def on_other_form(ack: Ack) -> None:
        ack(response_action="update", view=notice_view("Out of date", [text_section(OUT_OF_DATE)]))

    @app.view_closed(_ANY, matchers=[unclaimed])
    def on_other_form_closed(ack: Ack) -> None:
        ack()

    @app.options(_ANY, matchers=[unclaimed])
    def on_other_options(ack: Ack) -> None:
        ack(options=[])

    @app.command(_ANY, matchers=[unclaimed])
    def on_other_command(ack: Ack) -> None:
        ack(f"I answer `{COMMAND}` only. Type `{COMMAND} help` to see what I can do.")
