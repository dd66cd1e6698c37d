"""What to tell a person whose DATABASE_URL the bot cannot use, instead of a SQLAlchemy traceback.

A mistyped address, a server that is not running and a database the bot does not support are the
usual first-day mistakes; each gets one sentence that says what to change.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.exc import DatabaseError

SUPPORTED = ("sqlite", "postgres", "postgresql")
NO_PRIVILEGE = "42501"  # PostgreSQL's insufficient_privilege
HELP = (
    "Set DATABASE_URL to postgresql://user:password@host/database, or unset it to use the SQLite "
    "file golive.db in this folder."
)


def database_problem(exc: BaseException, url: str) -> str | None:
    """The explanation for `exc` if it came from the database address; None for anything else."""
    if "sqlalchemy" not in sys.modules:  # nothing touched a database: not ours to explain
        return None
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

    from bot.store.database import UnknownSchema

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # a port that is no number ('host:xx') is a ValueError
        parsed = None
    if parsed is None or isinstance(exc, ArgumentError):  # not echoed: it may still hold a password
        return (
            "golive-bot cannot use DATABASE_URL: it is not a database address (a port, if given, is a "
            f"number). {HELP}"
        )
    shown = parsed.render_as_string(hide_password=True)
    if isinstance(exc, UnknownSchema):
        return (
            f"golive-bot cannot use the database at {shown}: its tables are at revision {exc}, which this "
            "version of golive-bot does not have. Either a newer golive-bot has upgraded it: run that "
            "version again, as this one cannot read what it added; or the database belongs to another "
            "application: give the bot a database of its own. Nothing in it was changed."
        )
    if isinstance(exc, DatabaseError) and getattr(exc.orig, "sqlstate", None) == NO_PRIVILEGE:
        user = parsed.username or "the bot's user"
        return (
            f"golive-bot cannot use the database at {shown}: {user} lacks a privilege the bot needs "
            f"({_reason(exc)}). The bot creates, upgrades and writes its own tables: make {user} the "
            f"owner of the database (ALTER DATABASE {parsed.database} OWNER TO {user}) and of any tables "
            f"already in it, or grant it CREATE on the schema (GRANT CREATE ON SCHEMA public TO {user}; "
            "PostgreSQL 15 and later no longer grant that to every user)."
        )
    scheme = shown.partition(":")[0].partition("+")[0]
    if isinstance(exc, (NoSuchModuleError, ModuleNotFoundError)) and scheme not in SUPPORTED:
        return f"golive-bot cannot use DATABASE_URL {shown}: the bot supports PostgreSQL and SQLite. {HELP}"
    # SQLite raises the bare DatabaseError for a file that is no database (a typo names another file)
    if isinstance(exc, OperationalError) or type(exc) is DatabaseError:
        reason = _reason(exc)
        if parsed.get_backend_name() == "sqlite" and parsed.database and _no_folder(parsed.database):
            return (
                f"golive-bot cannot use the SQLite database {parsed.database}: its folder does not exist. "
                f"Create the folder, or fix the path in DATABASE_URL. {HELP}"
            )
        if parsed.get_backend_name() == "sqlite":
            return (
                f"golive-bot cannot use the SQLite database {parsed.database} ({reason}). Check that the "
                f"path names the bot's database file, or a new one, in a folder you may write to. {HELP}"
            )
        return (
            f"golive-bot cannot reach the database at {shown} ({reason}). Check that the server is running "
            f"and the address is right. {HELP}"
        )
    return None


def _reason(exc: DatabaseError) -> str:
    return str(exc.orig or exc).strip().splitlines()[0]


def _no_folder(database: str) -> bool:
    return database != ":memory:" and not Path(database).expanduser().parent.is_dir()
