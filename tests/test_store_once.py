from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.store import once
from bot.store.database import Database

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_key_is_claimed_once_however_often_it_is_retried(db: Database) -> None:
    assert once.claim(db, "event:Ev1", NOW) is True
    assert once.claim(db, "event:Ev1", NOW) is False
    assert once.claim(db, "event:Ev2", NOW) is True


def test_concurrent_claims_have_exactly_one_winner(db: Database) -> None:
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: once.claim(db, "event:race", NOW), range(24)))
    assert results.count(True) == 1


def test_old_claims_are_forgotten_and_recent_ones_kept(db: Database) -> None:
    once.claim(db, "event:old", NOW - timedelta(days=2))
    once.claim(db, "event:new", NOW)
    assert once.forget_older_than(db, NOW, timedelta(days=1)) == 1
    assert once.claim(db, "event:old", NOW) is True
    assert once.claim(db, "event:new", NOW) is False


def test_forgetting_old_events_keeps_every_other_kind_of_claim(db: Database) -> None:
    for key in ("announce:V1", "support:7", "events:x", "xevent:y"):
        once.claim(db, key, NOW - timedelta(days=30))
    once.claim(db, "event:Ev1", NOW - timedelta(days=30))
    assert once.forget_older_than(db, NOW, timedelta(days=1), prefix="event:") == 1
    for key in ("announce:V1", "support:7", "events:x", "xevent:y"):
        assert once.claim(db, key, NOW) is False, key


def test_a_prefix_with_like_wildcards_matches_only_itself(db: Database) -> None:
    once.claim(db, "a_b:1", NOW - timedelta(days=2))
    once.claim(db, "axb:1", NOW - timedelta(days=2))
    assert once.forget_older_than(db, NOW, timedelta(days=1), prefix="a_b:") == 1
    assert once.claim(db, "axb:1", NOW) is False


def test_a_released_claim_can_be_claimed_again_and_others_stay(db: Database) -> None:
    once.claim(db, "event:failed", NOW)
    once.claim(db, "event:done", NOW)
    once.release(db, "event:failed")
    assert once.claim(db, "event:failed", NOW) is True
    assert once.claim(db, "event:done", NOW) is False


def test_migrating_twice_keeps_data(database_url: str) -> None:
    first = Database(database_url)
    first.migrate()
    once.claim(first, "kept", NOW)
    first.dispose()
    again = Database(database_url)
    again.migrate()
    assert once.claim(again, "kept", NOW) is False
    again.dispose()


def test_a_postgresql_url_gets_a_connect_timeout_and_a_sqlite_path_may_start_at_home(
    tmp_path, monkeypatch
) -> None:
    """An unreachable server fails in seconds with the bot's message, not after the system's two
    minutes; and '~/bot.db' is a file in the home folder, not in a folder named '~'."""
    pg = Database("postgresql://bot:secret@db.example.invalid/golive")
    assert pg.engine.url.query["connect_timeout"] == "10"
    assert Database("postgresql://h/db?connect_timeout=3").engine.url.query["connect_timeout"] == "3"
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    sqlite = Database("sqlite:///~/data/bot.db")
    sqlite.migrate()
    assert sqlite.engine.url.database == str(tmp_path / "data" / "bot.db")
    assert (tmp_path / "data" / "bot.db").is_file() and not (tmp_path / "~").exists()
    for db in (pg, sqlite):
        db.dispose()


def test_no_statement_is_prepared_on_the_server_so_a_transaction_pooler_can_sit_between(db: Database) -> None:
    """Behind PgBouncer in transaction mode, a statement psycopg had prepared (its sixth run on a
    connection) reached another server connection: 'prepared statement "_pg3_0" already exists', and
    some questions were answered 'Sorry, something went wrong' (4 in 30 in a trial)."""
    if db.is_sqlite:
        pytest.skip("prepared statements are PostgreSQL's")
    with db.engine.connect() as conn:
        for _ in range(10):
            conn.execute(text("SELECT count(*) FROM once_keys"))
        assert conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one() == 0
