"""Review of the shape check: a signed event the bot does not listen to is acked, whatever its fields hold."""

from __future__ import annotations


def _event(event_type: str, **fields: object) -> dict:
    return {"type": event_type, "event_ts": "1700000000.000100", **fields}


def test_events_whose_user_or_channel_is_an_object_are_acked_not_refused(slack_bot):
    """Slack sends user_change, team_join, channel_created, im_created ... with objects there: a
    trust that subscribes to one must not see Slack retry it and turn the subscriptions off."""
    bot = slack_bot()
    for event in (
        _event("user_change", user={"id": "U0NEW", "name": "jo"}),
        _event("team_join", user={"id": "U0NEW", "name": "jo"}),
        _event("channel_created", channel={"id": "C0NEW", "name": "ward-9", "creator": "U0A"}),
        _event("im_created", user="U0A", channel={"id": "D0NEW"}),
    ):
        response = bot.send_event(event)
        assert response.status == 200, (event["type"], response.body)
    bot.mention("what is BAU")
    assert "BAU" in bot.fake.wait_for("chat.postMessage")[0].params["text"]
