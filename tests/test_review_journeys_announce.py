"""Review journey: a comms lead schedules a daily announcement from Slack, previews, edits, confirms,
finds it in `/golive announcements` and cancels it; a nurse who tries is refused politely."""

from __future__ import annotations

import json

from tests.test_slack_announce import LEAD, form, start


def test_a_comms_lead_schedules_edits_lists_and_cancels_a_daily_announcement(slack_bot) -> None:
    bot = start(slack_bot)
    bot.command("announce", user=LEAD, channel="C0ANNOUNCE")
    view = bot.fake.wait_for("views.open")[0].params["view"]
    first = bot.view_submission(view, user=LEAD, values=form("Huddle at 9", repeat="daily")).json()
    assert "Huddle at 9" in json.dumps(first["view"]["blocks"])
    # "Back" returns to the form as typed; the lead edits and previews again, then schedules.
    again = form("Huddle at 9:15, {days_to_golive} days to go", repeat="daily", at="09:15")
    edited = bot.view_submission(view, user=LEAD, values=again).json()
    shown = json.dumps(edited["view"]["blocks"])
    assert "14 days to go" in shown and "daily at 09:15" in shown
    assert bot.view_submission(edited["view"], user=LEAD).json() == {"response_action": "clear"}
    (confirmation,) = bot.fake.wait_for("chat.postMessage")
    assert confirmation.params["channel"] == LEAD and "daily at 09:15" in confirmation.params["text"]

    bot.command("announcements", user=LEAD)
    (listing,) = bot.fake.wait_for("response_url")
    (menu,) = [b["accessory"] for b in listing.params["blocks"] if "accessory" in b]
    (cancel,) = [o["value"] for o in menu["options"] if o["text"]["text"] == "Cancel"]
    bot.action(menu["action_id"], selected=cancel, user=LEAD, response_url=bot.fake.response_url("list"))
    answer = bot.fake.wait_for("response_url", count=2)[-1]
    assert "Cancelled" in answer.params["text"]
    # The list is redrawn without it, so no Cancel button is left on something already cancelled.
    assert answer.params["replace_original"] is True
    assert "accessory" not in json.dumps(answer.params["blocks"])
    assert "Nothing is scheduled" in json.dumps(answer.params["blocks"])


def test_a_nurse_is_refused_politely_at_every_step(slack_bot) -> None:
    bot = start(slack_bot)
    for words in ("announce", "announcements"):
        bot.command(words, user="U0NURSE")
    for reply in bot.fake.wait_for("response_url", count=2):
        assert reply.params["response_type"] == "ephemeral" and "for comms leads" in reply.params["text"]
