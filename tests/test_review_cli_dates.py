"""Review: a date option far outside any go-live is a usage error, not an OverflowError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_cli


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    for name in ("GOLIVE_CONFIG", "GOLIVE_KNOWLEDGE_DIR", "GOLIVE_SCHEDULES_DIR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--from", "9999-12-30", "--to", "9999-12-31"],
        ["report", "--from", "0001-01-01", "--to", "0001-01-02"],
        ["issues", "export", "--to", "9999-12-31"],
        ["gaps", "--from", "0001-01-01"],
        ["schedule", "--from", "9999-12-30"],
    ],
)
def test_a_date_outside_any_go_live_is_a_usage_error(site: Path, capsys, argv: list[str]) -> None:
    code, _, err = run_cli(capsys, argv)
    assert code == 2 and "Traceback" not in err
    assert "is not a go-live date; give one from 2000-01-01 to 2099-12-31" in err


def test_a_date_with_a_stray_space_is_read(site: Path, capsys) -> None:
    code, out, err = run_cli(capsys, ["report", "--from", " 2027-01-18", "--to", "2027-01-19 "])
    assert code == 0, err
    assert "Mon 18 Jan 2027 to Tue 19 Jan 2027" in out
