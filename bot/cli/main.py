"""Entry point of `golive-bot`. Each subcommand module registers itself through `add_parser`.

Only the module of the command being run is imported: `ask --json` is called by scripts once per
question, and importing every command (SQLAlchemy, Slack, matplotlib behind them) would add most of a
second to each call. `golive-bot --help` still imports them all, to list them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from bot.cli.database_errors import database_problem
from bot.cli.validate import missing_knowledge
from bot.config import InvalidEnvironment, Settings, load_settings
from bot.nearest import meant
from bot.privacy import without_secrets
from bot.yamlsource import InvalidFile

# Each module defines add_parser(subparsers) and sets `func(args, settings) -> int` on its parser.
SUBCOMMANDS = ("start", "ask", "console", "serve", "validate", "issues", "report", "gaps", "schedule")
ISSUE_ACTIONS = ("export", "list", "show")  # typed alone, they mean `golive-bot issues ACTION`


def _global_options(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    for option, metavar, what in (
        ("--config", "FILE", "organisation config file (default: $GOLIVE_CONFIG or ./golive.yaml)"),
        ("--knowledge", "DIR", "knowledge base folder (default: $GOLIVE_KNOWLEDGE_DIR or ./knowledge)"),
        ("--schedules", "DIR", "schedules folder (default: $GOLIVE_SCHEDULES_DIR or ./schedules)"),
    ):
        parser.add_argument(option, default=default, metavar=metavar, help=what)


def _accepted_after_commands(parser: argparse.ArgumentParser) -> None:
    """`golive-bot report --config x` works as `golive-bot --config x report` does: people type both."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                _global_options(command, default=argparse.SUPPRESS)  # unset here: the main parser's stays
                _accepted_after_commands(command)


class _ReadingAhead(argparse.ArgumentParser):
    """Reads the command line for its command without a word: the full parser then says what is wrong,
    once, under the right usage line."""

    def error(self, message: str) -> NoReturn:
        raise SystemExit(2)


def _typed(argv: Sequence[str]) -> str | None:
    """The word in the command's place, read past the global options; None if there is none."""
    pre = _ReadingAhead(add_help=False)
    _global_options(pre)
    pre.add_argument("command", nargs="?")
    try:
        known, _ = pre.parse_known_args(argv)
    except SystemExit:  # a global option without its value: the full parser will say so
        return None
    return known.command


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line; None if there is none."""
    typed = _typed(argv)
    return typed if typed in SUBCOMMANDS else None


def unknown_command(typed: str) -> str:
    """A mistyped command gets the likeliest one and the list, rather than argparse's usage dump."""
    close = f"issues {typed}" if typed in ISSUE_ACTIONS else meant(typed, SUBCOMMANDS, at=75)
    hint = f" Did you mean `golive-bot {close}`?" if close else ""
    return (
        f"golive-bot: there is no command {typed!r}.{hint} The commands are {', '.join(SUBCOMMANDS)}; "
        "`golive-bot --help` says what each does."
    )


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: with only its subcommand registered when it names one, else with all."""
    parser = argparse.ArgumentParser(
        prog="golive-bot", description="Go-live support bot: answers, issue logging, communications."
    )
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _chosen(argv) if argv is not None else None
    for name in (chosen,) if chosen else SUBCOMMANDS:
        importlib.import_module(f"bot.cli.{name}").add_parser(sub)
    _accepted_after_commands(parser)
    return parser


def load(args: argparse.Namespace) -> Settings:
    """Settings for the command; `validate` sets `lenient_config` to report a broken config with the rest."""
    return load_settings(
        dict(os.environ),
        config_file=args.config,
        knowledge_dir=args.knowledge,
        schedules_dir=args.schedules,
        strict=not getattr(args, "lenient_config", False),
    )


def _check_knowledge(args: argparse.Namespace, settings: Settings) -> None:
    """Commands that answer questions (`needs_knowledge`) stop at once, saying how, when it is missing."""
    if getattr(args, "needs_knowledge", False) and (problem := missing_knowledge(settings)):
        raise InvalidFile([problem])


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:  # Ctrl-C, even as the command loads: stop quietly, the prompt on its own line
        print(file=sys.stderr)
        return 130


def _run(argv: Sequence[str]) -> int:
    typed = _typed(argv)
    if typed is not None and typed not in SUBCOMMANDS:
        print(unknown_command(typed), file=sys.stderr)
        return 2
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    settings: Settings | None = None
    try:
        settings = load(args)
        _check_knowledge(args, settings)
        return int(args.func(args, settings) or 0)
    except InvalidEnvironment as exc:
        print(f"golive-bot: {exc}", file=sys.stderr)
        return 2
    except InvalidFile as exc:
        print(f"{_cannot(args.command)}: some files are invalid or missing:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        print("Fix them and try again; `golive-bot validate` lists every problem at once.", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a file it may not read: what and where, not a traceback
        if not isinstance(exc, BrokenPipeError):  # the reader stopping early (`| head`) is its own choice
            where = f" ({exc.filename})" if exc.filename else ""
            print(f"golive-bot: {exc.strerror or exc}{where}", file=sys.stderr)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the flush at exit is quiet too
        return 1
    except Exception as exc:  # a bad DATABASE_URL is a user's mistake: explain it; anything else is a bug
        problem = database_problem(exc, settings.database_url) if settings else None
        if problem is None:
            raise
        print(without_secrets(problem), file=sys.stderr)  # it names the URL: never with its password
        return 1


def _cannot(command: str) -> str:
    """What could not be done, said for the command run: only serve and start are the bot starting, and
    a comms lead listing the plan must not read that the bot has stopped."""
    if command in ("serve", "start"):
        return "The bot cannot start"
    return f"golive-bot {command} cannot run"


if __name__ == "__main__":
    sys.exit(main())
