"""`golive-bot start`: serve Slack when tokens are set, otherwise open the local console."""

from __future__ import annotations

import argparse

from bot.cli.options import add_port_argument
from bot.config import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "start",
        help="serve Slack if tokens are set, else talk to the bot in this terminal",
        description="With SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) set, this is "
        "`golive-bot serve` (with only some of them, serve says what else to set); with none of them it is "
        "`golive-bot console`, so you can try the bot at once.",
    )
    add_port_argument(p)
    p.set_defaults(func=run, needs_knowledge=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Half the Slack settings means Slack was meant: `serve` says what is missing, rather than a console
    that, on a server with no terminal, reads nothing and exits 0 as if all were well."""
    if settings.slack_bot_token or settings.slack_signing_secret or settings.slack_app_token:
        from bot.cli import serve

        return serve.run(args, settings)
    from bot.cli import console

    return console.run(args, settings)
