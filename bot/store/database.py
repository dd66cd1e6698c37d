"""The engine, sessions and migrations: everything about reaching the database, nothing about tables."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 4_172_026  # any constant; PostgreSQL advisory lock so replicas migrate one at a time


class Base(DeclarativeBase):
    pass


class UnknownSchema(Exception):
    """The database's schema is at a revision this version of the bot does not have: a newer version
    upgraded it (and this one was rolled back to), or the database belongs to another application."""


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always hands back aware UTC datetimes, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC time")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// as platforms print them, and a driver named as other tools'
    documentation names it (postgresql+psycopg2://, sqlite+aiosqlite://): the bot reaches PostgreSQL
    through psycopg 3 and SQLite through Python's own module, whatever driver the address names."""
    scheme, separator, rest = url.partition("://")
    database = scheme.partition("+")[0].lower()
    if not separator or database not in ("postgres", "postgresql", "sqlite"):
        return url  # not ours to read: the caller explains what it supports
    return f"{'sqlite' if database == 'sqlite' else 'postgresql+psycopg'}://{rest}"


class Database:
    """One per process; thread-safe. Sessions are short and always committed or rolled back."""

    def __init__(self, url: str):
        self.url = normalise_url(url)
        self.engine = _make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # The SQLite file, absolute, and whether this process is the one that starts it (None, False for
        # a server): run from another folder, the default 'golive.db' is a new and empty database.
        database = self.engine.url.database if self.is_sqlite else None
        self.file = Path(database).resolve() if database and database != ":memory:" else None
        self.new_file = self.file is not None and not self.file.exists()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Bring the schema up to date; safe to call from several replicas at once. Raises UnknownSchema,
        touching nothing, when the database is at a revision this version does not have."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")

    def dispose(self) -> None:
        self.engine.dispose()


CONNECT_TIMEOUT = 10  # seconds: a firewall that drops packets would otherwise hang each command ~2 min


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            parsed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT)})
        # psycopg prepares a statement run five times on a connection; behind a pooler in transaction
        # mode (PgBouncer, as platforms offer) the next statement may reach another server connection,
        # which has it already or never had it, and fails. The bot's statements are small: never prepare.
        args = {"prepare_threshold": None} if parsed.get_backend_name() == "postgresql" else {}
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=args)
    if parsed.database and parsed.database != ":memory:":
        # '~/bot.db' is home. A missing folder is not made: a typo in its name would start an empty
        # database that nobody notices, holding none of the issues logged so far.
        parsed = parsed.set(database=str(Path(parsed.database).expanduser()))
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return engine


@contextmanager
def private_schema(url: str, prefix: str) -> Iterator[str]:
    """A new PostgreSQL schema, dropped afterwards, and a URL whose connections work inside it, so
    test runs and benchmarks sharing one server never see each other's rows."""
    base = normalise_url(url)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in base else "?"
            yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()
