"""Running `golive-bot` in-process as a person would, for the command-line tests."""

from __future__ import annotations

import pytest

from bot.cli.main import main


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `golive-bot ARGV`; argparse's refusals count as exit code 2."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refuses bad options this way
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
