"""Shared fixtures. Storage tests run on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bot.store.database import Database, private_schema

pytest_plugins = ["slack_harness"]  # the end-to-end Slack fixtures: see tests/slack_harness.py

PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    with private_schema(PG_URL or "", "t") as url:
        yield url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Any test that uses the database runs once per available backend."""
    if "database_url" in metafunc.fixturenames:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)
