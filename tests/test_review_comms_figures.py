"""Review: a live figure that cannot be read does not stop the announcement that carries it."""

from __future__ import annotations

import logging

import pytest

from bot.clock import ManualClock
from bot.store import issues as issue_store
from bot.store.database import Database
from tests.test_comms_setup import local, service


def test_a_figure_that_fails_is_shown_as_not_available_and_the_rest_still_posts(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: object) -> int:
        raise RuntimeError("issues table unreadable")

    monkeypatch.setattr(issue_store, "opened_between", broken)
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    with caplog.at_level(logging.ERROR):
        text = service(db, clock).render("Day {golive_day}: new {opened_yesterday}, open {open_issues}")
    assert text == "Day 2: new n/a, open 0"
    assert "opened_yesterday" in caplog.text
