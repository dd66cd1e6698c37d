"""`/golive issues` and App Home, end to end, with hundreds of issues of the longest hostile text:
what reaches Slack is within Block Kit's limits and pings nobody."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_harness import org_config
from test_review_blocks_limits import HOSTILE, check_view, longest, pings, problems

from bot.clock import ManualClock
from bot.issues.model import CONTACT_MAX, DETAILS_MAX, LOCATION_MAX, SUMMARY_MAX, Severity
from bot.store import issues as store

NURSE = "U0NURSE"


def test_hundreds_of_hostile_issues_list_and_show_at_home_within_limits(slack_bot) -> None:
    bot = slack_bot(org=org_config(), clock=ManualClock(datetime(2027, 1, 18, 9, tzinfo=UTC)))
    for n in range(300):
        new = store.NewIssue(longest(HOSTILE, SUMMARY_MAX), longest(HOSTILE, DETAILS_MAX),
                             longest(HOSTILE, LOCATION_MAX), "Printing " + "&<>" * 30, Severity.P1, True,
                             longest("1" + HOSTILE, CONTACT_MAX), NURSE)  # fmt: skip
        store.create(
            bot.services.db, new, f"view:H{n}", datetime(2027, 1, 18, 9, n % 60, tzinfo=UTC), lambda _: []
        )
    bot.command("issues " + HOSTILE * 20, user=NURSE)
    bot.command("issues mine", user=NURSE)
    for reply in bot.fake.wait_for("response_url", count=2):
        assert problems(reply.params["blocks"]) == [] and pings(reply.params["blocks"]) == []
    bot.send_event({"type": "app_home_opened", "user": NURSE, "channel": "D0NURSE", "tab": "home"})
    view = bot.fake.wait_for("views.publish")[0].params["view"]
    assert check_view(view) == [] and pings(view["blocks"]) == []
    assert "…and 280 more" in str(view)
