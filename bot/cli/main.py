"""Entry point of `golive-bot`. Each subcommand module registers itself through `add_parser`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from bot.config import Settings, load_settings
from bot.yamlsource import InvalidFile

# Each module defines add_parser(subparsers) and sets `func(args, settings) -> int` on its parser.
SUBCOMMANDS = ("start", "ask", "console", "serve", "validate", "issues", "report", "gaps", "schedule")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="golive-bot", description="Go-live support bot: answers, issue logging, communications."
    )
    parser.add_argument(
        "--config", help="organisation config file (default: $GOLIVE_CONFIG or ./golive.yaml)"
    )
    parser.add_argument("--knowledge", help="knowledge base folder (default: ./knowledge)")
    parser.add_argument("--schedules", help="schedules folder (default: ./schedules)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"bot.cli.{name}").add_parser(sub)
    return parser


def load(args: argparse.Namespace) -> Settings:
    return load_settings(
        dict(os.environ),
        config_file=args.config,
        knowledge_dir=args.knowledge,
        schedules_dir=args.schedules,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args, load(args)) or 0)
    except InvalidFile as exc:
        print("The bot cannot start because some files are invalid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
