"""Questions in Slack: a mention is answered in its thread, a direct message in the conversation,
and the buttons on an answer (did it help, did you mean, pass it on) act on the domain.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Services
from bot.slack import blocks
from bot.slack.app import answer_once, respond
from bot.slack.commands import help_blocks
from bot.slack.replies import Choice, Reply, choose, reply_to_question

log = logging.getLogger(__name__)
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_HELP_WORDS = frozenset({"help", "?", "hi", "hello"})


def register(app: App, services: Services) -> None:
    @app.event("app_mention")
    def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if _is_from_a_person(event):
            thread_ts = event.get("thread_ts") or event.get("ts")
            answer_once(services, body, lambda: _reply(app, services, client, event, thread_ts))

    # Only direct messages match here, so another surface can still listen to channel messages.
    @app.event("message", matchers=[lambda event: event.get("channel_type") == "im"])
    def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if _is_from_a_person(event):
            answer_once(services, body, lambda: _reply(app, services, client, event, event.get("thread_ts")))

    @app.action(
        re.compile(f"^({blocks.HELPFUL}|{blocks.NOT_HELPFUL}|{blocks.PICK}_[0-9]|{blocks.PASS_TO_SUPPORT})$")
    )
    def on_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = (body.get("user") or {}).get("id")
        choice = choose(services, str(action.get("action_id", "")), action.get("value"), user_id)
        if choice is None:
            log.warning("ignored a click on %s whose value is not one of ours", action.get("action_id"))
            _tell_privately(body, "That button no longer works. Please ask your question again.")
            return
        respond(
            body.get("response_url"),
            replace_original=True,
            text=choice.reply.text,
            blocks=choice.reply.blocks,
        )
        if choice.triage:
            _post_to_triage(services, client, choice, body)


def _is_from_a_person(event: dict[str, Any]) -> bool:
    """Edits, deletions, joins and bot posts (ours included) carry a subtype or a bot id."""
    return not event.get("subtype") and not event.get("bot_id") and bool(event.get("user"))


def _reply(
    app: App, services: Services, client: WebClient, event: dict[str, Any], thread_ts: str | None
) -> None:
    channel, user = event.get("channel"), event.get("user")
    question = _MENTION.sub(" ", str(event.get("text") or "")).strip()
    if question.lower().strip("!. ") in _HELP_WORDS or not question:
        client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text="What I can do", blocks=help_blocks(app)
        )
        return
    source = "slack-dm" if event.get("channel_type") == "im" else "slack-mention"
    reply = reply_to_question(services, question, source=source, user_id=user)
    if reply.private_note:
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=reply.private_note)
    client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=reply.text, blocks=reply.blocks)


def _post_to_triage(services: Services, client: WebClient, choice: Choice, body: dict[str, Any]) -> None:
    """Post a passed-on question to the triage channel; tell the asker if it could not be posted."""
    assert choice.triage is not None
    channel = services.settings.org.channels.triage
    if channel is None:
        _tell_privately(
            body, "No triage channel is set up, so the support team will see it in the bot's report."
        )
    elif not _posted(client, channel, choice.triage):
        _tell_privately(
            body,
            "I recorded the question for the support team, but could not post it to their channel. "
            "They will see it in the bot's report; if it is urgent, use `/golive contact`.",
        )


def _tell_privately(body: dict[str, Any], text: str) -> None:
    """A note to whoever clicked, below the message they clicked on."""
    respond(body.get("response_url"), response_type="ephemeral", replace_original=False, text=text)


def _posted(client: WebClient, channel: str, reply: Reply) -> bool:
    try:
        client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks)
    except SlackApiError as exc:
        log.error("could not post a passed-on question to %s: %s", channel, exc.response.get("error"))
        return False
    return True
