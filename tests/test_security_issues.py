"""Hostile and identifier-laden issue payloads end to end: stored and answered, never a 500.

Run on SQLite and, with TEST_DATABASE_URL, on PostgreSQL, whose column widths SQLite does not enforce.
"""

from __future__ import annotations

import pytest
from slack_harness import RunningBot
from test_slack_issues import FORM_VIEW, NURSE, ORG, START, form

from bot.clock import ManualClock
from bot.store import issues as store

NUMBER = "999 000 0018"  # from the range kept for testing


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def test_a_submission_from_a_user_id_that_is_not_one_is_refused_with_a_message(bot) -> None:
    answer = bot.view_submission({"id": "V1", **FORM_VIEW}, user="U" + "X" * 300, values=form())
    assert answer.status == 200
    assert answer.json()["response_action"] == "errors"
    assert store.listing(bot.services.db) == []


def test_a_view_id_that_is_not_one_is_refused_with_a_message_not_a_500(bot) -> None:
    answer = bot.view_submission({**FORM_VIEW, "id": "V" + "9" * 400}, user=NURSE, values=form())
    assert answer.status == 200 and answer.json()["response_action"] == "errors"
    assert store.listing(bot.services.db) == []
