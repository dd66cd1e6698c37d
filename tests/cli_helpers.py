"""Running `golive-bot` in-process as a person would, for the command-line tests."""

from __future__ import annotations

from pathlib import Path

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


def trust_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str) -> Path:
    """A trust's folder, the working directory: a knowledge base, `config` as golive.yaml and an empty
    schedules folder, with no environment variable pointing elsewhere."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "terms.yaml").write_text(
        "entries:\n  - id: pas\n    kind: jargon\n    title: PAS\n    answer: Where admissions are kept.\n"
    )
    (tmp_path / "golive.yaml").write_text(config)
    (tmp_path / "schedules").mkdir()
    monkeypatch.chdir(tmp_path)
    for name in ("GOLIVE_CONFIG", "GOLIVE_KNOWLEDGE_DIR", "GOLIVE_SCHEDULES_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    return tmp_path
