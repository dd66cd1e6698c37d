"""The `/golive` slash command: a table of sub-commands that each surface extends when it registers.

`/golive help` lists them all; any other text that is not a sub-command is a question, answered
privately. Every reply goes to the command's response_url, so it works in any channel.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from rapidfuzz.distance import OSA
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.answering.model import NotKnown
from bot.answering.smalltalk import Talk, small_talk
from bot.markup import escape, reactions, readable, unescape
from bot.runtime import Services
from bot.slack import blocks
from bot.slack.app import SORRY, respond
from bot.slack.blocks import Block, within_message_limit
from bot.slack.ids import user_id
from bot.slack.replies import WELCOME, reply_to_question

log = logging.getLogger(__name__)
COMMAND = "/golive"
_NAMED = re.compile(r"([\w-]+)(?:[:,;.!?]+\s*|\s+|$)")  # a first word, and a colon or comma typed after it


@dataclass(frozen=True)
class Invocation:
    """One use of a sub-command, with what a handler needs to answer it or open a modal."""

    text: str  # the words after the sub-command's name
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str
    client: WebClient

    def reply(self, text: str, blocks: list[Block] | None = None) -> None:
        """Answer privately, visible to the person who typed the command only."""
        message: dict[str, Any] = {"response_type": "ephemeral", "text": text}
        if blocks:
            message["blocks"] = within_message_limit(blocks)
        if not respond(self.client, self.response_url, **message):
            log.warning("a %s reply was not sent: the request had no usable response_url", COMMAND)


Handler = Callable[[Invocation], None]


@dataclass(frozen=True)
class Subcommand:
    handler: Handler
    help_line: str
    takes_text: bool = True  # False: words after the name make a question ('status of my access request')


_tables: WeakKeyDictionary[App, dict[str, Subcommand]] = WeakKeyDictionary()


def add_subcommand(app: App, name: str, handler: Handler, help_line: str, takes_text: bool = True) -> None:
    """Route `/golive NAME ...` to `handler`; `help_line` is what `/golive help` says about it. A
    sub-command that `takes_text` no further words leaves a question that opens with its name to be
    answered as one."""
    _tables.setdefault(app, {})[name.lower()] = Subcommand(handler, help_line, takes_text)


def help_blocks(app: App, services: Services) -> list[Block]:
    """Every sub-command this app has, and examples from the knowledge base in use."""
    lines = [f"• `{COMMAND} {name}` {sub.help_line}" for name, sub in _tables.get(app, {}).items()]
    return blocks.help_blocks(COMMAND, lines, services.answering.knowledge.examples)


def small_talk_reply(app: App, services: Services, talk: Talk) -> tuple[str, list[Block]]:
    """The reply to small talk, as (notification text, blocks), alike wherever it was said (a mention, a
    direct message, `/golive`, the console): the full help when asked for, a short greeting back."""
    if talk == "help":
        return "What I can do", help_blocks(app, services)
    if talk == "greeting":
        examples = services.answering.knowledge.examples
        said = blocks.greeting(services.settings.org.system_name, examples)
        return said, [blocks.text_section(said)]
    return WELCOME, []


def register(app: App, services: Services) -> None:
    _tables.setdefault(app, {})

    @app.command(COMMAND)
    def golive(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        raw = str(command.get("text", ""))
        text = " ".join(unescape(raw).split())  # as typed: Slack sends &lt; for <
        named = _NAMED.match(text)  # 'issue printer jammed', 'issue: printer jammed', 'status?'
        name, rest = (named.group(1), text[named.end() :]) if named else ("", text)
        invocation = Invocation(
            text=rest,
            user_id=user_id(command.get("user_id")),
            channel_id=str(command.get("channel_id", "")),
            trigger_id=str(command.get("trigger_id", "")),
            response_url=str(command.get("response_url", "")),
            client=client,
        )
        try:
            _dispatch(app, services, invocation, name.lower(), " ".join(readable(raw).split()))
        except Exception:  # the bot's own failure (its database, say): say so rather than go quiet
            log.exception("could not carry out a %s command", COMMAND)
            invocation.reply(SORRY)


def _dispatch(app: App, services: Services, invocation: Invocation, name: str, question: str) -> None:
    """A sub-command gets the text as typed; a question its words alone (no @people, no emoji codes)."""
    table = _tables.get(app, {})
    if not invocation.user_id:  # every answer may depend on who asks: `mine`, role checks, the log
        invocation.reply("Slack did not say who you are, so I cannot answer that. Please try again.")
    elif name in table and (table[name].takes_text or not invocation.text.strip(" ?!.")):
        table[name].handler(invocation)
    elif talk := small_talk(question or reactions(invocation.text)):
        invocation.reply(*small_talk_reply(app, services, talk))
    elif meant := did_you_mean(app, services, name, invocation.text, question):
        invocation.reply(meant)
    else:
        _answer(services, invocation, question)


def did_you_mean(app: App, services: Services, name: str, rest: str, question: str) -> str | None:
    """What to say when the first word is one slip from exactly one sub-command ('isue', 'stauts',
    'contacts'): that command, with the rest of what was typed, cleaned of identifiers. None otherwise,
    or when the knowledge base can answer what was typed, so 'issued ...' may still be asked."""
    table = _tables.get(app, {})
    near = [known for known in table if OSA.distance(name, known) == 1] if len(name) >= 4 else []
    if len(near) != 1 or name in table:
        return None
    if not isinstance(services.answering.match(services.redactor.clean(question)), NotKnown):
        return None
    typed = escape(services.redactor.clean(f"{COMMAND} {near[0]} {rest}".strip()))
    return (
        f"Did you mean `{typed}`? Type it like that to go ahead, or `{COMMAND} help` to see everything"
        " I can do."
    )


def _answer(services: Services, invocation: Invocation, question: str) -> None:
    reply = reply_to_question(services, question, source="slack-command", user_id=invocation.user_id)
    if reply.private_note:
        invocation.reply(reply.private_note)
    for each in (reply, *reply.also):  # one reply per question the command asks
        invocation.reply(each.text, each.blocks)
