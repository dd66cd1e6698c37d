"""A DATABASE_URL the bot cannot use is explained in a sentence, without a traceback or its password."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.cli.main import main
from bot.store.database import Database, normalise_url


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
        (  # a driver named as other tools' documentation names it: read with the bot's own
            "postgresql+psycopg2://it:s3cret@127.0.0.1:1/golive",
            "cannot reach the database at postgresql+psycopg2://it:***@127.0.0.1:1",
        ),
    ],
)
def test_a_database_the_bot_cannot_use_is_explained(golive, url: str, said: str) -> None:
    code, err = golive(url, "issues", "list")
    assert code == 1
    assert said in err and "unset it to use the SQLite file golive.db" in err
    assert "s3cret" not in err and "Traceback" not in err


def test_a_file_that_is_no_database_is_explained_as_a_sqlite_problem(golive, tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("these are my notes, not a database")
    code, err = golive(f"sqlite:///{tmp_path / 'notes.db'}", "issues", "list")
    assert code == 1 and "Traceback" not in err
    assert f"cannot use the SQLite database {tmp_path / 'notes.db'} (file is not a database)" in err
    assert "server is running" not in err  # that is PostgreSQL's advice


@pytest.mark.parametrize("scheme", ["sqlite+aiosqlite", "sqlite+pysqlite", "SQLite"])
def test_a_sqlite_address_naming_another_driver_is_used_as_it_is(golive, tmp_path: Path, scheme: str) -> None:
    code, err = golive(f"{scheme}:///{tmp_path / 'bot.db'}", "issues", "list")
    assert code == 0, err
    assert (tmp_path / "bot.db").is_file()


def test_a_sqlite_path_in_a_folder_that_does_not_exist_is_refused_not_made(golive, tmp_path: Path) -> None:
    """A typo in the folder ('dta' for 'data') once made the folder and an empty database in it, and
    the bot ran on without the issues logged so far."""
    (tmp_path / "data").mkdir()
    code, err = golive("sqlite:///dta/golive.db", "issues", "list")
    assert code == 1 and "dta/golive.db: its folder does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "dta").exists()
    assert golive("sqlite:///data/golive.db", "issues", "list")[0] == 0  # an existing folder: a new file


def test_a_database_a_newer_version_upgraded_is_explained_and_left_alone(golive, database_url: str) -> None:
    """Rolling back after an upgrade (or a database shared with another app) met Alembic's traceback
    "Can't locate revision identified by 'i0099'" at every start."""
    db = Database(database_url)
    db.migrate()
    with db.session() as session:
        session.execute(text("UPDATE alembic_version SET version_num = 'i0099' WHERE version_num LIKE 'i%'"))
    code, err = golive(database_url, "issues", "list")
    assert code == 1 and "Traceback" not in err
    assert "its tables are at revision i0099, which this version of golive-bot does not have" in err
    assert "run that version again" in err and "a database of its own" in err
    with db.session() as session:
        assert "i0099" in session.scalars(text("SELECT version_num FROM alembic_version")).all()
    db.dispose()


def test_a_database_user_that_may_not_create_tables_is_told_what_to_grant(golive, database_url: str) -> None:
    """A least-privilege role on PostgreSQL 15, which no longer lets every user create tables in
    'public', met a 97-line traceback ending 'permission denied for schema public' at first start."""
    if not database_url.startswith("postgresql"):
        pytest.skip("privileges are PostgreSQL's")
    role = f"golive_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(database_url))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 's3cret'"))
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}'))  # as 'public' is, but no CREATE
    try:
        as_role = make_url(database_url).set(username=role, password="s3cret")
        code, err = golive(as_role.render_as_string(hide_password=False), "issues", "list")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'REVOKE USAGE ON SCHEMA "{schema}" FROM {role}'))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()
    assert code == 1 and "Traceback" not in err and "s3cret" not in err
    assert f"{role} lacks a privilege the bot needs (permission denied for schema" in err
    assert f"OWNER TO {role}" in err and f"GRANT CREATE ON SCHEMA public TO {role}" in err
