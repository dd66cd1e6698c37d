"""Issue-flow fixes end to end: one message logged twice, an old 'Yes, sorted', replies after the
fix is confirmed, a screenshot replied to an update, and a long `/golive issue`."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from slack_harness import RunningBot
from test_slack_issues import NURSE, ORG, START, TEAM, form, log_issue

from bot.clock import ManualClock
from bot.issues import notices
from bot.issues.model import Draft
from bot.slack import issue_blocks as ib
from bot.slack.answers import FILES_ONLY
from bot.slack.issues import MESSAGE_SHORTCUT
from bot.store import issues as store
from bot.store import outbox

FW1, FW2, STAFF = "U0FW1", "U0FW2", "U0STAFF"
LINK = "https://test-trust.slack.com/archives/C0WARD3/p1700000000000300"


@pytest.fixture
def bot(slack_bot) -> RunningBot:
    return slack_bot(org=ORG, clock=ManualClock(START))


def shortcut_form(bot: RunningBot, message: dict[str, Any], user: str) -> dict[str, Any]:
    """The form 'Log as go-live issue' opens on `message` for `user`."""
    n = len(bot.fake.calls_to("views.open"))
    bot.message_action(MESSAGE_SHORTCUT, message, user=user, channel="C0WARD3")
    return bot.fake.wait_for("views.open", count=n + 1)[n].params["view"]


def posts(bot: RunningBot) -> list[Any]:
    return bot.fake.calls_to("chat.postMessage")


def confirm_buttons(bot: RunningBot) -> list[str]:
    """The values of the 'Yes, sorted' buttons sent to the reporter, oldest first."""
    sent = [c.params.get("blocks") or [] for c in posts(bot) if c.params["channel"] == NURSE]
    rows = [b["elements"] for blocks in sent for b in blocks if b.get("type") == "actions"]
    return [e["value"] for row in rows for e in row if e["action_id"] == ib.CONFIRM]


def settle(bot: RunningBot) -> None:
    bot.services.deliver_soon()
    bot.fake.wait_quiet()


def told(bot: RunningBot, since: int) -> list[str]:
    return [c.params.get("text", "") for c in bot.fake.calls_to("response_url")[since:]]


def test_one_message_logged_by_two_floorwalkers_is_offered_as_a_plus_one(bot) -> None:
    message = {"ts": "1700000000.000200", "thread_ts": "1700000000.000100", "user": STAFF,
               "text": "Cannot log in to the EPR, smartcard error"}  # fmt: skip
    first = shortcut_form(bot, message, FW1)  # Slack gives the permalink
    bot.fake.fail("chat.getPermalink", error="ratelimited")
    second = shortcut_form(bot, message, FW2)  # the bot builds it: the same message, another link
    links = {json.loads(view["private_metadata"])["link"] for view in (first, second)}
    assert len(links) == 2
    values = form(summary="Cannot log in to the EPR, smartcard error", area="Login and access")
    logged = bot.view_submission({**first, "id": "V1"}, user=FW1, values=values).json()
    assert "Logged as GL-0001" in json.dumps(logged)
    worded_otherwise = form(summary="Smartcard login failing", area="Other", severity="P3")
    offer = bot.view_submission({**second, "id": "V2"}, user=FW2, values=worded_otherwise).json()
    assert offer["response_action"] == "update" and "Same problem: add me" in json.dumps(offer["view"])
    assert len(store.listing(bot.services.db)) == 1


def test_a_report_of_the_same_message_keeps_the_urgency_rule(bot) -> None:
    issues = bot.services.issues
    report = Draft("Printer jams", "Every label", "Ward 3 (Elderly Care)", "Printing and wristbands", "P3",
                   "bleep 1", source_link=LINK)  # fmt: skip
    ref = issues.report(report, FW1).issue.reference  # type: ignore[union-attr]
    again = replace(report, summary="EPR login fails", details="Smartcard", area="Other")
    assert [likely.issue.reference for likely in issues.duplicates(again)] == [ref]
    assert issues.duplicates(replace(again, severity="P1")) == []  # never onto a less urgent issue
    assert issues.duplicates(replace(again, source_link=f"{LINK[:-1]}9")) == []  # another message


def test_an_old_yes_its_fixed_cannot_confirm_a_later_fix(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_quiet()
    issues, roles, clock = bot.services.issues, bot.services.membership, bot.services.clock
    issues.resolve(ref, TEAM, roles, "fixed", "Driver reinstalled")
    settle(bot)
    issues.reopen(ref, TEAM, roles)
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    issues.resolve(ref, TEAM, roles, "workaround given", "Use the ward 4 printer")
    settle(bot)
    first, latest = confirm_buttons(bot)
    for stale in (first, ref):  # a bare reference (a button from before) could be either fix
        n = len(bot.fake.calls_to("response_url"))
        bot.action(ib.CONFIRM, stale, user=NURSE, channel="D0NURSE")
        bot.fake.wait_quiet()
        [refused] = told(bot, n)
        assert "out of date" in refused and f"newest message about {ref}" in refused
    assert issues.find(ref).confirmed_at is None  # type: ignore[union-attr]
    n = len(bot.fake.calls_to("response_url"))
    bot.action(ib.CONFIRM, latest, user=NURSE, channel="D0NURSE")
    bot.fake.wait_quiet()
    assert "Thanks for confirming" in told(bot, n)[0]
    assert issues.find(ref).confirmed_at is not None  # type: ignore[union-attr]


def test_a_confirm_button_with_an_unreadable_time_is_read_as_a_bare_reference() -> None:
    assert ib.confirmed_fix("GL-0001") == ("GL-0001", None)
    assert ib.confirmed_fix("GL-0001@not-a-time") == ("GL-0001", None)


def test_a_reply_after_the_fix_is_confirmed_says_what_still_works(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_quiet()
    bot.services.issues.resolve(ref, TEAM, bot.services.membership, "fixed", "Driver reinstalled")
    settle(bot)
    [resolved] = [
        i for i in outbox.items_for(bot.services.db, notices.NOTICE, ref) if i.payload["action"] == "resolve"
    ]
    [latest] = confirm_buttons(bot)
    bot.action(ib.CONFIRM, latest, user=NURSE, channel=resolved.channel, message={"ts": resolved.ts})
    bot.fake.wait_quiet()
    n = len(posts(bot))
    bot.dm("it has stopped working again", user=NURSE, channel=resolved.channel, thread_ts=resolved.ts)
    bot.fake.wait_quiet()
    [reply] = [c.params["text"] for c in posts(bot)[n:] if c.params["channel"] == resolved.channel]
    assert ib.STILL_A_PROBLEM not in reply
    assert f"ask the support team to reopen {ref}" in reply and "/golive issue" in reply


def test_a_screenshot_replied_to_an_update_reaches_the_team(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_quiet()
    notice = outbox.items_for(bot.services.db, notices.NOTICE, ref)[0]
    link = "https://test-trust.slack.com/files/U0NURSE/F0ERROR/error.png"
    n = len(posts(bot))
    bot.dm("", user=NURSE, channel=notice.channel, thread_ts=notice.ts, subtype="file_share",
           files=[{"id": "F0ERROR", "name": "error.png", "permalink": link}])  # fmt: skip
    bot.fake.wait_quiet()
    sent = {c.params["channel"]: c.params["text"] for c in posts(bot)[n:]}
    assert sent["C0TRIAGE"] == f"<@{NURSE}> added to {ref}: attached error.png ({link})"
    assert sent[notice.channel].startswith(f"Added to {ref}")


def test_a_screenshot_that_replies_to_nothing_is_told_it_needs_words(bot) -> None:
    bot.dm("", user=NURSE, channel="D0NURSE", files=[{"id": "F1", "name": "error.png"}])
    assert bot.fake.wait_for("chat.postMessage")[0].params["text"] == FILES_ONLY


def test_a_long_golive_issue_keeps_every_word(bot) -> None:
    typed = (
        "Printer on ward 3 jams on every wristband since the 8am update, " * 3 + "and bed 12 obs not saving"
    )
    bot.command(f"issue {typed}", user=NURSE)
    opened = bot.fake.wait_for("views.open")[0].params["view"]
    summary, details = (opened["blocks"][i]["element"].get("initial_value") for i in (0, 1))
    assert len(summary) <= 150 and summary.endswith("…")
    assert typed.startswith(summary[:-1]) and not typed[len(summary) - 1].isalnum()  # cut between words
    assert details == typed


def test_a_note_added_after_the_bot_left_the_triage_channel_still_reaches_the_team(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_quiet()
    notice = outbox.items_for(bot.services.db, notices.NOTICE, ref)[0]
    bot.fake.leave("C0TRIAGE")  # someone removed the bot from the channel after the triage post
    n = len(posts(bot))
    bot.dm("still broken on ward 3, bed 12 too", user=NURSE, channel=notice.channel, thread_ts=notice.ts)
    bot.fake.wait_quiet()
    sent = {c.params["channel"]: c.params["text"] for c in posts(bot)[n:]}
    assert sent[notice.channel].startswith(f"Added to {ref}")  # the reporter is told the team will see it
    assert "C0TRIAGE" in sent["C0SAFETY"] and f"added to {ref}: still broken on ward 3" in sent["C0SAFETY"]
