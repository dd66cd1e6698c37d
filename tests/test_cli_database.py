"""A DATABASE_URL the bot cannot use is explained in a sentence, without a traceback or its password."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main


@pytest.fixture
def golive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)

    def run(database_url: str, *argv: str) -> tuple[int, str]:
        monkeypatch.setenv("DATABASE_URL", database_url)
        code = main(list(argv))
        return code, capsys.readouterr().err

    return run


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("golive.db", "golive-bot cannot use DATABASE_URL: it is not a database address"),
        (
            "postgresql://it:s3cret@db:xx/golive",
            "it is not a database address (a port, if given, is a number)",
        ),
        ("mysql://it:s3cret@db/golive", "mysql://it:***@db/golive: the bot supports PostgreSQL and SQLite."),
        (
            "postgresql://it:s3cret@127.0.0.1:1/golive",
            "cannot reach the database at postgresql://it:***@127.0.0.1:1",
        ),
    ],
)
def test_a_database_the_bot_cannot_use_is_explained(golive, url: str, said: str) -> None:
    code, err = golive(url, "issues", "list")
    assert code == 1
    assert said in err and "unset it to use the SQLite file golive.db" in err
    assert "s3cret" not in err and "Traceback" not in err
