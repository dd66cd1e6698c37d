"""Triage buttons, the triage post and the report form, as a review found them failing: a database error
behind a button, a triage channel the bot can never post in, repeated clicks, invisible summaries and
long details. End to end through the real app where a person would see the difference."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_harness import RunningBot, org_config
from sqlalchemy.exc import OperationalError
from test_slack_issues import NURSE, ORG, START, TEAM, log_issue, submit

from bot.clock import ManualClock
from bot.config import Channels, Contact, Group
from bot.issues import lifecycle, notices
from bot.issues.model import (
    DETAILS_MAX,
    NOTE_MAX,
    Action,
    Draft,
    Issue,
    Resolution,
    Severity,
    Status,
    validate,
)
from bot.roles import ConfiguredMembership
from bot.slack import issue_blocks as ib
from bot.slack.blocks import SECTION_LIMIT
from bot.slack.fallback import OUT_OF_DATE
from bot.slack.issues import NOT_CHANGED, escalation_tick
from bot.store import issues as store
from bot.store import outbox

INVISIBLE = "\u200b\u200b\ufeff"


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def _database_down(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("UPDATE issues", {}, Exception("server closed the connection"))


def _private_replies(bot: RunningBot) -> list[str]:
    bot.fake.wait_quiet()
    return [c.params["text"] for c in bot.fake.calls_to("response_url")]


# -- 1: a database error behind a triage button ----------------------------------------------------


@pytest.mark.parametrize("action_id", [ib.ACKNOWLEDGE, ib.ASSIGN])
def test_a_database_error_on_a_triage_button_tells_the_clicker_it_was_not_saved(
    bot, monkeypatch, action_id
) -> None:
    ref = log_issue(bot, severity="P1", safety=True)
    bot.fake.wait_quiet()
    monkeypatch.setattr(store, "transition", _database_down)
    bot.action(action_id, ref, user=TEAM, channel="C0SAFETY")
    assert _private_replies(bot) == [ib.escape(NOT_CHANGED)]
    assert OUT_OF_DATE not in bot.fake.everything()
    assert bot.services.issues.find(ref).status is Status.NEW  # still escalated: nobody has it
    monkeypatch.undo()
    bot.action(action_id, ref, user=TEAM, channel="C0SAFETY")  # pressed again, as told
    bot.fake.wait_quiet()
    assert bot.services.issues.find(ref).acknowledged_by == TEAM


def test_a_database_error_on_resolve_tells_the_clicker_and_opens_no_form(bot, monkeypatch) -> None:
    ref = log_issue(bot)
    bot.fake.wait_quiet()
    monkeypatch.setattr(store, "get", _database_down)
    bot.action(ib.RESOLVE, ref, user=TEAM, channel="C0TRIAGE")
    assert _private_replies(bot) == [ib.escape(NOT_CHANGED)]
    assert bot.fake.calls_to("views.open") == [] and OUT_OF_DATE not in bot.fake.everything()


# -- 2: a triage channel the bot can never post in -------------------------------------------------


def _unreachable_triage(bot: RunningBot, **changes: Any) -> tuple[str, list[Any]]:
    """Log a P3 whose triage post Slack refuses for good; the posts that reached Slack."""
    bot.fake.fail("chat.postMessage", error="not_in_channel")  # the first post out is the triage post
    ref = log_issue(bot, severity="P3", **changes)
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    (row,) = outbox.items_for(bot.services.db, notices.TRIAGE, ref)
    assert row.status == outbox.SENT
    return ref, bot.fake.calls_to("chat.postMessage")


def test_a_triage_post_the_triage_channel_refuses_goes_to_the_command_centre(slack_bot) -> None:
    org = org_config(**{**ORG.__dict__, "channels": Channels("C0TRIAGE", "C0SAFETY", None, "C0COMMAND")})
    bot = slack_bot(org=org, clock=ManualClock(START))
    ref, posts = _unreachable_triage(bot)
    (moved,) = [c for c in posts if c.params["channel"] == "C0COMMAND"]
    assert ref in moved.text and "should have gone to" in moved.text and "not_in_channel" in moved.text


def test_without_a_command_centre_it_goes_to_the_safety_channel(bot) -> None:
    ref, posts = _unreachable_triage(bot)
    (moved,) = [c for c in posts if c.params["channel"] == "C0SAFETY"]
    assert ref in moved.text and "should have gone to" in moved.text


def test_with_no_other_channel_the_reporter_is_told_the_team_was_not_reached_and_whom_to_phone(
    slack_bot,
) -> None:
    contacts = (Contact("Command centre", "ext 5555"),)
    org = org_config(**{**ORG.__dict__, "channels": Channels(triage="C0TRIAGE"), "contacts": contacts})
    bot = slack_bot(org=org, clock=ManualClock(START))
    ref, posts = _unreachable_triage(bot)
    (warning,) = [c for c in posts if "has not reached the support team" in c.text]
    assert warning.params["channel"] == NURSE and warning.params["text"].startswith(":warning:")
    assert (
        f"quote {ref}" in warning.text and "ext 5555" in warning.text and "nobody there has" in warning.text
    )


# -- 3: repeated clicks ----------------------------------------------------------------------------


def _dms_to_reporter(bot: RunningBot) -> list[Any]:
    bot.fake.wait_quiet()
    return [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == NURSE]


def test_assign_to_me_twice_is_refused_privately_and_tells_nobody_again(bot) -> None:
    ref = log_issue(bot)
    bot.action(ib.ASSIGN, ref, user=TEAM, channel="C0TRIAGE")
    told = len(_dms_to_reporter(bot))
    bot.action(ib.ASSIGN, ref, user=TEAM, channel="C0TRIAGE")
    assert _private_replies(bot) == [f"{ref} is already assigned to you."]
    assert len(_dms_to_reporter(bot)) == told
    assert [e.action for e in store.events(bot.services.db)] == [Action.REPORTED, Action.ASSIGN]


def test_confirming_a_fix_twice_changes_nothing_the_second_time(bot) -> None:
    ref = log_issue(bot)
    bot.services.issues.resolve(ref, TEAM, bot.services.membership, "fixed", "Driver reinstalled")
    bot.services.deliver_soon()
    bot.action(ib.CONFIRM, ref, user=NURSE, channel="C0TRIAGE")
    bot.fake.wait_for("chat.update", count=2)  # the triage post, resolved then confirmed: a slow CI waits
    bot.fake.wait_quiet()
    edits = len(bot.fake.calls_to("chat.update"))
    bot.action(ib.CONFIRM, ref, user=NURSE, channel="C0TRIAGE")
    assert _private_replies(bot) == [f"The fix for {ref} is already confirmed; nothing changed."]
    assert len(bot.fake.calls_to("chat.update")) == edits
    assert [e.action for e in store.events(bot.services.db)].count(Action.CONFIRM) == 1


AT = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


def _assigned(assignee: str) -> Issue:
    return Issue(1, "s", "d", "Ward 3", "Other", Severity.P3, False, "bleep 1", NURSE, Status.ASSIGNED,
                 AT, AT, assignee_id=assignee, acknowledged_at=AT, acknowledged_by=assignee)  # fmt: skip


def test_another_team_member_may_still_take_an_assigned_issue_over() -> None:
    org = org_config(maintenance_team=Group(frozenset({TEAM, "U0TEAM2"})))
    membership = ConfiguredMembership()
    assert lifecycle.refusal(Action.ASSIGN, _assigned(TEAM), "U0TEAM2", membership, org) is None
    assert (
        lifecycle.refusal(Action.ASSIGN, _assigned(TEAM), TEAM, membership, org)
        == "GL-0001 is already assigned to you."
    )


# -- 4: a field of invisible characters ------------------------------------------------------------


def test_a_summary_of_invisible_characters_is_refused_on_the_form(bot) -> None:
    answer = submit(bot, summary=INVISIBLE, details=INVISIBLE)
    assert answer["response_action"] == "errors" and {"summary", "details"} <= set(answer["errors"])
    assert store.listing(bot.services.db) == []


def test_every_required_field_and_the_resolution_note_treat_invisible_characters_as_empty(bot) -> None:
    draft = Draft(INVISIBLE, INVISIBLE, INVISIBLE, INVISIBLE, "P3", "bleep 1234")
    assert {"summary", "details", "location", "area"} <= set(validate(draft, org_config()))
    ref = log_issue(bot)
    outcome = bot.services.issues.resolve(ref, TEAM, bot.services.membership, "fixed", INVISIBLE)
    assert "note" in outcome.errors


# -- 5: long details -------------------------------------------------------------------------------


def test_the_triage_post_shows_details_to_their_last_word(bot) -> None:
    details = ("A&E <bay 4> " * 300)[: DETAILS_MAX - 40] + " END-OF-REPORT: second patient affected"
    log_issue(bot, details=details)
    post = bot.fake.wait_for("chat.postMessage")[0]
    texts = [b["text"]["text"] for b in post.params["blocks"] if "text" in b]
    assert len(texts) > 2 and all(len(t) <= SECTION_LIMIT for t in texts)  # the details took two sections
    assert "END-OF-REPORT: second patient affected" in texts[-1] and "…" not in "".join(texts)


@pytest.mark.parametrize("unit", ["&", "A&E ", "<@U1>\n"])
def test_the_longest_details_and_note_fit_slack_whole(unit: str) -> None:
    details, note = (unit * DETAILS_MAX)[:DETAILS_MAX], (unit * NOTE_MAX)[:NOTE_MAX]
    issue = Issue(7, "s", details, "Ward 3", "Other", Severity.P1, True, "bleep 1", NURSE, Status.RESOLVED,
                  AT, AT, resolution=Resolution.FIXED, resolution_note=note, resolved_by=TEAM)  # fmt: skip
    for blocks in (ib.triage_blocks(issue), ib.escalation_blocks(issue, org_config(), 30)):
        texts = [b["text"]["text"] for b in blocks if "text" in b]
        assert len(blocks) <= 50 and all(len(t) <= SECTION_LIMIT for t in texts)
        shown = "".join(texts)
        whole_units = DETAILS_MAX // len(unit) + NOTE_MAX // len(unit)
        assert "…" not in shown and shown.count(ib.escape(unit.strip())) == whole_units


# -- 6: call-outs that asked for an acknowledgement are edited once someone gives it --------------------


def _escalated_twice(bot) -> str:
    ref = log_issue(bot, severity="P1", safety=True)
    for _ in range(2):
        bot.services.clock.advance(minutes=ORG.p1_ack_minutes)
        escalation_tick(bot.services)
        bot.fake.wait_quiet()
    return ref


def test_every_escalation_post_is_edited_once_the_issue_is_acknowledged(bot) -> None:
    ref = _escalated_twice(bot)
    posts = [p.ts for p in outbox.items_for(bot.services.db, notices.ESCALATION, ref)]
    assert len(posts) == 2 and all(posts)
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0SAFETY")
    bot.fake.wait_quiet()
    edited = {c.params["ts"]: json.dumps(c.params) for c in bot.fake.calls_to("chat.update")}
    for ts in posts:
        assert ts in edited and "still not acknowledged" not in edited[ts] and "Acknowledged" in edited[ts]


def test_a_call_out_someone_deleted_is_not_posted_again_when_the_issue_is_acknowledged(bot) -> None:
    ref = _escalated_twice(bot)
    before = len(bot.fake.calls_to("chat.postMessage"))
    bot.fake.fail("chat.update", error="message_not_found", times=10)  # every post was tidied away
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0SAFETY")
    bot.fake.wait_quiet()
    again = [c.params["channel"] for c in bot.fake.calls_to("chat.postMessage")[before:]]
    assert again.count("C0SAFETY") == 1  # the safety post itself, which must stay; not the two call-outs


def test_a_plus_one_does_not_edit_the_call_outs_again(bot) -> None:
    """Only taking an issue on answers a call-out: a +1 would edit every one of them for nothing."""
    ref = _escalated_twice(bot)
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0SAFETY")
    bot.fake.wait_quiet()
    acknowledged = bot.services.issues.find(ref)
    assert acknowledged.acknowledged_at
    assert all(i.kind != notices.CALLOUT_UPDATE for i in notices.on_plus_one(acknowledged))
