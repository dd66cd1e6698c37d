"""`golive-bot console`: talk to the bot in a terminal, no Slack needed, seeing what Slack would show.

Every line is answered through the same code and the same Block Kit as a Slack message; buttons are
numbered, and typing the number presses one. Piped input is answered line by line, then it exits.
"""

from __future__ import annotations

import argparse
import codecs
import io
import logging
import sys
from collections.abc import Callable
from typing import TextIO

from slack_bolt import App
from slack_sdk import WebClient

from bot.answering.smalltalk import small_talk
from bot.config import Settings
from bot.issues.filters import lists_open_only, parse
from bot.plaintext import without_controls
from bot.runtime import Services, build_services, configure_logging
from bot.slack.app import build_app
from bot.slack.blocks import Block, context, text_section
from bot.slack.commands import COMMAND, did_you_mean, small_talk_reply
from bot.slack.issue_blocks import list_blocks
from bot.slack.replies import Reply, choose, issues_named, reply_to_question
from bot.slack.status import contact_text, status_text
from bot.slack.terminal import Button, render

CONSOLE_USER = "console"
_QUIT = frozenset({"quit", "exit", "q", ":q"})
_CHOICE_DIGITS = 2  # a reply offers at most a few buttons; a longer number is a question ('111')


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "console",
        help="talk to the bot in this terminal, without Slack",
        description="Type questions as you would in Slack and read the reply Slack would show; type a "
        "number to press a button, `help` or `/golive help` for what the bot does, `quit` or Ctrl-D to "
        "leave. Unanswered questions are recorded in the database, as in Slack.",
    )
    p.set_defaults(func=run, needs_knowledge=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    quiet = settings.log_level == "INFO"  # the console is for reading answers, not the bot's log
    configure_logging("WARNING" if quiet else settings.log_level, settings.org.redactor())
    if quiet:  # but someone editing the knowledge base beside it sees their fix applied, not only errors
        logging.getLogger("bot.answering.service").setLevel(logging.INFO)
    _tolerate_any_terminal(sys.stdin, sys.stdout)
    services = build_services(settings, watch=True)
    try:
        return Console(services, sys.stdout).loop(sys.stdin)
    finally:
        services.close()


def _tolerate_any_terminal(stdin: TextIO, stdout: TextIO) -> None:
    """A terminal whose locale is C (ASCII) still sends UTF-8 when someone types an accent, and answers hold
    dashes and quotes it cannot show: read UTF-8, show '?' for what cannot be shown, never a traceback."""
    if isinstance(stdin, io.TextIOWrapper):
        ascii_only = codecs.lookup(stdin.encoding).name == "ascii"
        stdin.reconfigure(encoding="utf-8" if ascii_only else stdin.encoding, errors="replace")
    if isinstance(stdout, io.TextIOWrapper):
        stdout.reconfigure(errors="replace")


class Console:
    def __init__(self, services: Services, out: TextIO):
        self._services = services
        self._out = out
        self._buttons: tuple[Button, ...] = ()
        self._app = _offline_app(services)

    def loop(self, lines: TextIO) -> int:
        interactive = lines.isatty()
        self._say(self._banner())
        while True:
            if interactive:
                self._out.write("\nyou> ")
                self._out.flush()
            line = lines.readline()
            if not line:  # end of input, or Ctrl-D: leave the shell's prompt on a line of its own
                if interactive:
                    self._say("")
                return 0
            line = _typed(line)
            if not interactive and line:
                self._say(f"\nyou> {self._services.redactor.clean(line)}")  # piped text can be logged
            if line.lower() in _QUIT:
                return 0
            if line:
                self.handle(line)

    def handle(self, line: str) -> None:
        first, _, rest = line.partition(" ")
        if line.isascii() and line.isdigit() and len(line) <= _CHOICE_DIGITS:  # not '²', nor '111'
            self._press(line)
        elif first.lower() == COMMAND:
            self._command(rest.strip())
        else:
            self._ask(line)

    def _command(self, text: str) -> None:
        """`/golive ...` typed here: what only reads is answered as in Slack; the rest says where to go."""
        name, _, rest = text.partition(" ")
        name = name.lower()
        if name in _OFFLINE_COMMANDS and not (name in _NO_TEXT and rest.strip(" ?!.")):
            self._show([text_section(_OFFLINE_COMMANDS[name](self._services, rest.strip()))])
        elif name == "issues":
            self._show(_issues(self._services, rest.strip()))
        elif name in _SLACK_ONLY:
            self._say(f"`{COMMAND} {name}` works in Slack only: {_SLACK_ONLY[name]}")
        elif meant := did_you_mean(self._app, self._services, name, rest.strip(), text):
            self._say(meant)
        else:
            self._ask(text)

    def _ask(self, question: str) -> None:
        if talk := small_talk(question):
            text, shown = small_talk_reply(self._app, self._services, talk)
            if shown:
                self._show(shown)
            else:
                self._say(text)
        else:
            self._show_reply(reply_to_question(self._services, question, source="console", user_id=None))

    def _press(self, typed: str) -> None:
        """A number of a digit or two is a button press: as a question it would only be recorded as
        unanswered. Longer ones ('111', '2222') are asked, as an entry may be named by one."""
        digits = typed.lstrip("0") or "0"
        if not self._buttons:
            self._say(f"There is nothing to choose with {digits} here: ask a question in words.")
            return
        number = int(digits)
        if not 1 <= number <= len(self._buttons):
            choices = "1" if len(self._buttons) == 1 else f"1 to {len(self._buttons)}"
            self._say(f"There is no choice {digits}: type {choices}, or ask another question.")
            return
        button = self._buttons[number - 1]
        choice = choose(self._services, button.action_id, button.value, None)
        if choice is None:
            self._say("That choice no longer works. Please ask your question again.")
            return
        self._show_reply(choice.reply)
        if choice.triage:
            channel = self._services.settings.org.channels.triage or "the triage channel"
            self._say(
                "\n(Nothing was posted: Slack is not connected. The question is marked as passed on in the "
                "database, and `golive-bot report` lists it among the unanswered questions. With Slack "
                f"connected, this is also posted to {channel} for the support team:)"
            )
            self._show(choice.triage.blocks, keep_buttons=True)

    def _show_reply(self, reply: Reply) -> None:
        """The reply, and any to the message's other questions, shown as one so all their buttons are
        numbered and can be pressed."""
        if reply.private_note:
            self._say(f"bot (only you can see this)> {reply.private_note}")
        self._show([block for each in (reply, *reply.also) for block in each.blocks])

    def _show(self, blocks: list[Block], keep_buttons: bool = False) -> None:
        rendered = render(blocks)
        self._say("bot>\n" + rendered.text)
        if not keep_buttons:
            self._buttons = rendered.buttons
        if rendered.buttons and not keep_buttons:
            self._say("(type a number to choose)")

    def _banner(self) -> str:
        org = self._services.settings.org.organisation
        entries = len(self._services.answering.knowledge)
        return (
            f"golive-bot local console for {org}: {entries} answers loaded from "
            f"{self._services.settings.knowledge_dir}/.\n"
            "Type a question as you would in Slack and press Enter; you see the reply Slack would show.\n"
            "Type 'help' for what the bot can do, a number to press a button, 'quit' or Ctrl-D to leave.\n"
            "Nothing is posted to Slack from here."
        )

    def _say(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()


def _typed(line: str) -> str:
    """The line as Slack would pass it on: control characters (a NUL, which PostgreSQL refuses to
    store, or a terminal escape echoed back) become spaces, as the HTTP front door makes them."""
    return without_controls(line).strip()


def _issues(services: Services, text: str) -> list[Block]:
    """`/golive issues [filters]` only reads the log, so it is answered as in Slack; the filter words are
    echoed back, so an NHS number among them is removed first, with the same note as Slack's."""
    asked = services.redactor.redact(text)
    if named := issues_named(services, asked.text):
        return named.blocks
    filters = parse(asked.text, services.settings.org, CONSOLE_USER)
    shown = list_blocks(services.issues.listing(filters), asked.text, lists_open_only(filters))
    if asked.changed:
        shown.append(context(f":lock: {asked.explain()}"))
    return shown


def _status(services: Services, _: str) -> str:
    return status_text(services.comms.status(), services.settings.org.system_name)


# `/golive` sub-commands that only read, answered here as Slack answers them.
_OFFLINE_COMMANDS: dict[str, Callable[[Services, str], str]] = {"status": _status, "contact": contact_text}
# As in Slack, words after these make a question ('status of GL-0042'), not the sub-command.
_NO_TEXT = frozenset({"status"})
# Those that open a Slack form or act as a Slack user, with the command line's way to do the same.
_SLACK_ONLY = {
    "issue": "it opens Slack's issue form, which cannot open in a terminal, so nothing was logged. To try "
    "it, connect a Slack workspace (README, 'Creating the Slack app'); `/golive issues` here and "
    "`golive-bot issues list` in a shell show the issue log.",
    "announce": "it opens Slack's form, which cannot open in a terminal, so nothing was scheduled. Plan "
    "posts in schedules/ and check them with `golive-bot schedule`.",
    "announcements": "in a shell, `golive-bot schedule` lists what is scheduled.",
}


def _offline_app(services: Services) -> App:
    """The Slack app with every surface registered but no connection, so `help` matches `/golive help`."""
    return build_app(services, client=WebClient(token="xoxb-console-offline", base_url="http://127.0.0.1:9/"))
