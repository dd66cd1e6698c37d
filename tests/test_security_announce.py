"""A long announcement drafted in Slack gets a clear answer, never a preview Slack would refuse."""

from __future__ import annotations

import json

from test_slack_announce import LEAD, form, start

from bot.store import comms as store

METADATA_LIMIT = 3000  # Slack refuses a view whose private_metadata is longer


def test_a_message_too_long_to_carry_in_the_preview_is_refused_with_what_to_do(slack_bot) -> None:
    bot = start(slack_bot)
    message = 'Ward "A"\n' * 320  # 2,880 characters: within the form's limit, but JSON doubles " and \n
    answer = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD, values=form(message)).json()
    if answer["response_action"] == "push":
        assert len(answer["view"]["private_metadata"]) <= METADATA_LIMIT
    else:
        assert answer["response_action"] == "errors" and "too long" in answer["errors"]["message"]
    assert store.active_announcements(bot.services.db, "slack") == []


def test_a_long_message_that_fits_is_previewed_and_scheduled_whole(slack_bot) -> None:
    bot = start(slack_bot)
    message = "Go-live update — ward rounds as planned 👍 " * 50  # non-ASCII counts once
    preview = bot.view_submission({"callback_id": "announce_compose"}, user=LEAD, values=form(message)).json()
    assert preview["response_action"] == "push"
    assert len(preview["view"]["private_metadata"]) <= METADATA_LIMIT
    assert bot.view_submission(preview["view"], user=LEAD).json() == {"response_action": "clear"}
    [stored] = store.active_announcements(bot.services.db, "slack")
    assert json.loads(preview["view"]["private_metadata"])["message"] == message.strip()
    assert stored.announcement.text.startswith("Go-live update")
