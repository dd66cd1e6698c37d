"""Review: secrets never show through repr(Settings), /healthz or the bot's own messages."""

from __future__ import annotations

from bot.cli.main import main
from bot.config import OrgConfig, Settings


def test_a_password_given_in_the_database_urls_query_is_not_in_repr() -> None:
    for url in (
        "postgresql://golive@db.trust/golive?password=Zq9secret",
        "postgresql://golive@db.trust/golive?sslmode=require&PASSWORD=Zq9secret&connect_timeout=5",
        "postgresql://golive:Zq9secret@db.trust/golive?sslpassword=Zq9secret",
    ):
        shown = repr(Settings(org=OrgConfig(), database_url=url, slack_bot_token="xoxb-Zq9secret"))
        assert "Zq9secret" not in shown and "db.trust" in shown, shown
    shown = repr(Settings(org=OrgConfig(), database_url="postgresql://db.trust/golive?sslmode=require"))
    assert "sslmode=require" in shown  # what is not a secret still helps the reader


def test_a_database_password_in_the_query_is_not_printed_when_the_database_is_unreachable(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql://golive@127.0.0.1:1/golive?password=Zq9secret")
    assert main(["issues", "list"]) == 1
    printed = capsys.readouterr()
    assert "cannot reach the database" in printed.err
    assert "Zq9secret" not in printed.err + printed.out
