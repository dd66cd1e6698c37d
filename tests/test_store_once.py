from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

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
    once.claim(db, "old", NOW - timedelta(days=2))
    once.claim(db, "new", NOW)
    assert once.forget_older_than(db, NOW, timedelta(days=1)) == 1
    assert once.claim(db, "old", NOW) is True
    assert once.claim(db, "new", NOW) is False


def test_migrating_twice_keeps_data(database_url: str) -> None:
    first = Database(database_url)
    first.migrate()
    once.claim(first, "kept", NOW)
    first.dispose()
    again = Database(database_url)
    again.migrate()
    assert once.claim(again, "kept", NOW) is False
    again.dispose()
