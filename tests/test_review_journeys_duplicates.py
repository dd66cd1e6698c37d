"""A triage team closes an issue as a duplicate on day two, as they live it in Slack (real app over
HTTP, signed requests, fake Slack Web API): the reporters of the duplicate are linked to the original,
told which issue they now follow (not asked whether it is sorted), and hear when it is fixed; the
original's thread is told who joined and what they said; with two replicas everything is sent once."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_harness import RunningBot, org_config

from bot.clock import ManualClock
from bot.config import Group
from bot.issues import notices
from bot.issues.model import Issue, Reporter, Severity, Status
from bot.slack import issue_blocks as ib
from bot.store import outbox
from tests.test_slack_issues import FORM_VIEW, form

TEAM, TEAM2, CSO = "U0TEAM", "U0TEAM2", "U0CSO"
NURSE, OTHER, THIRD = "U0NURSE", "U0OTHER", "U0THIRD"
ORG = org_config(
    maintenance_team=Group(frozenset({TEAM, TEAM2})),
    clinical_safety_group=Group(frozenset({CSO})),
    on_call_usergroup="S0ONCALL",
    locations=("Ward 3 (Elderly Care)", "Emergency Department", "Ward 9"),
    system_areas=("Printing and wristbands", "Login and access"),
)
START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def seen_after(bot: RunningBot, mark: int) -> list[Any]:
    bot.fake.wait_quiet()
    return bot.fake.calls[mark:]


def dms(calls: list[Any], person: str) -> list[dict[str, Any]]:
    return [c.params for c in calls if c.method == "chat.postMessage" and c.params["channel"] == person]


def log(bot: RunningBot, view_id: str, user: str, **changes: Any) -> None:
    checked = {**FORM_VIEW, "private_metadata": json.dumps({"link": "", "checked": True})}  # a new issue
    assert bot.view_submission({"id": view_id, **checked}, user=user, values=form(**changes)).status == 200


def resolve(bot: RunningBot, ref: str, who: str, category: str, original: str = "") -> Any:
    """Press Resolve on the triage post and submit the form; the form's answer (errors, or nothing)."""
    bot.action(ib.RESOLVE, ref, user=who, channel="C0TRIAGE")
    bot.fake.wait_quiet()
    view = bot.fake.calls_to("views.open")[-1].params["view"]
    values = {
        "category": {"v": {"type": "static_select", "selected_option": {"value": category}}},
        "note": {"v": {"type": "plain_text_input", "value": "Same printer: the label stock is wrong"}},
        "original": {"v": {"type": "plain_text_input", "value": original}},
    }
    response = bot.view_submission(view, user=who, values=values)
    assert response.status == 200
    return response.json() if response.body else {}


def two_reports(bot: RunningBot) -> None:
    """GL-0001 from Ward 3; GL-0002 from the emergency department, worded otherwise, with a '+1' from
    Ward 9 (who wrote more) and taken on by a team member."""
    log(bot, "V1", NURSE)
    log(bot, "V2", OTHER, summary="Labels come out empty", location="Emergency Department",
        details="Blank labels in resus")  # fmt: skip
    alike = form(
        summary="Labels come out empty", location="Ward 9", details="Ours print blank too, since 7am"
    )
    offer = bot.view_submission({"id": "V3", **FORM_VIEW}, user=THIRD, values=alike).json()
    assert "GL-0002" in json.dumps(offer)
    bot.action(
        ib.PLUS_ONE, "GL-0002", user=THIRD, view={"id": "V3", **offer["view"], "state": {"values": alike}}
    )
    bot.action(ib.ASSIGN, "GL-0002", user=TEAM, channel="C0TRIAGE")
    bot.fake.wait_quiet()


def test_closing_as_a_duplicate_links_its_reporters_to_the_original_until_it_is_fixed(bot) -> None:
    two_reports(bot)
    (triage,) = outbox.items_for(bot.services.db, notices.TRIAGE, "GL-0001")

    mark = len(bot.fake.calls)
    assert resolve(bot, "GL-0002", TEAM2, "duplicate", "GL-0001") == {}
    seen = seen_after(bot, mark)
    for person in (OTHER, THIRD):
        (told,) = dms(seen, person)
        shown = json.dumps(told["blocks"])
        assert "same problem as *GL-0001*" in shown and "You now follow *GL-0001*" in shown
        assert "Same printer: the label stock is wrong" in shown
        assert "Is the problem sorted" not in shown and ib.CONFIRM not in shown and ib.REOPEN not in shown
    (assignee,) = dms(seen, TEAM)
    assert "resolved by <@U0TEAM2>" in json.dumps(assignee["blocks"])
    assert "The same problem as GL-0001" in json.dumps(assignee["blocks"])

    (thread,) = [c.params for c in seen if c.method == "chat.postMessage" and c.params.get("thread_ts")]
    assert thread["channel"] == "C0TRIAGE" and thread["thread_ts"] == triage.ts
    said = json.dumps(thread["blocks"], ensure_ascii=False)
    assert "closed *GL-0002* (P2) as a duplicate of this issue" in said
    assert "<@U0OTHER> (Emergency Department · bleep 1234)" in said and "<@U0THIRD> (Ward 9" in said
    assert "Blank labels in resus" in said and "Ours print blank too, since 7am" in said
    edits = [c.params for c in seen if c.method == "chat.update" and c.params["ts"] == triage.ts]
    assert edits and "+2: <@U0OTHER> (Emergency Department), <@U0THIRD> (Ward 9)" in json.dumps(edits[-1])
    closed = [c.params for c in seen if c.method == "chat.update" and "GL-0002" in json.dumps(c.params)]
    assert "duplicate of GL-0001" in json.dumps(closed[-1]["blocks"])

    # When the original is fixed, the duplicate's reporters hear of it, and may say it is not.
    mark = len(bot.fake.calls)
    resolve(bot, "GL-0001", TEAM, "fixed")
    seen = seen_after(bot, mark)
    for person in (NURSE, OTHER, THIRD):
        (fixed,) = dms(seen, person)
        assert "*GL-0001*" in fixed["text"] + json.dumps(fixed["blocks"])
        assert "Is the problem sorted for you?" in json.dumps(fixed["blocks"])


def test_a_reply_to_the_following_notice_adds_to_the_original(bot) -> None:
    two_reports(bot)
    resolve(bot, "GL-0002", TEAM2, "duplicate", "gl-1")
    bot.fake.wait_quiet()
    (triage,) = outbox.items_for(bot.services.db, notices.TRIAGE, "GL-0001")
    (following,) = [i for i in outbox.items_for(bot.services.db, notices.FOLLOWING) if i.target == OTHER]
    mark = len(bot.fake.calls)
    bot.dm(
        "Now the second printer does it too", user=OTHER, channel=following.channel, thread_ts=following.ts
    )
    seen = seen_after(bot, mark)
    (note,) = [c.params for c in seen if c.method == "chat.postMessage" and c.params["channel"] == "C0TRIAGE"]
    assert note["thread_ts"] == triage.ts and "added to GL-0001: Now the second printer" in note["text"]


@pytest.mark.parametrize(
    ("original", "told"),
    [
        ("", "Give the reference of the issue it repeats"),
        ("GL-0002", "GL-0002 cannot be a duplicate of itself"),
        ("GL-0042", "There is no issue GL-0042"),
    ],
)
def test_a_wrong_original_is_shown_beside_the_field_and_nothing_changes(bot, original, told) -> None:
    two_reports(bot)
    mark = len(bot.fake.calls)
    answer = resolve(bot, "GL-0002", TEAM2, "duplicate", original)
    assert answer["response_action"] == "errors" and told in answer["errors"]["original"]
    assert not [c for c in seen_after(bot, mark) if c.method == "chat.postMessage"]
    assert bot.services.issues.find("GL-0002").is_open  # type: ignore[union-attr]


def test_a_p1_closed_into_a_p3_is_refused_and_told_to_go_the_other_way(bot) -> None:
    log(bot, "V1", NURSE, severity="P3")
    log(bot, "V2", OTHER, severity="P1", safety=True, summary="Allergy labels print blank")
    answer = resolve(bot, "GL-0002", CSO, "duplicate", "GL-0001")
    said = answer["errors"]["original"]
    assert "GL-0002 (P1 patient safety risk, patient safety) is more urgent than GL-0001" in said
    assert "Close GL-0001 as a duplicate of GL-0002 instead" in said
    assert bot.services.issues.find("GL-0002").is_open  # type: ignore[union-attr]

    mark = len(bot.fake.calls)
    assert resolve(bot, "GL-0001", TEAM, "duplicate", "GL-0002") == {}
    seen = seen_after(bot, mark)
    (told,) = dms(seen, NURSE)
    assert "You now follow *GL-0002*" in json.dumps(told["blocks"])
    assert bot.services.issues.find("GL-0002").acknowledged_at is None  # still called out until taken on


def test_with_two_replicas_every_post_of_a_duplicate_close_is_sent_once(slack_bot, database_url: str) -> None:
    first = slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))
    second = slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))
    two_reports(first)
    mark = len(first.fake.calls)
    resolve(first, "GL-0002", TEAM2, "duplicate", "GL-0001")
    for replica in (first, second, first, second):
        replica.services.deliver_soon()
    seen = seen_after(first, mark)
    for person in (OTHER, THIRD, TEAM):
        assert len(dms(seen, person)) == 1
    threads = [c for c in seen if c.method == "chat.postMessage" and c.params.get("thread_ts")]
    assert len(threads) == 1


def test_the_thread_note_names_every_reporter_however_many() -> None:
    crowd = tuple(Reporter(f"U0WARD{n:03d}", f"Ward {n} " + "x" * 60, f"bleep {n}", START) for n in range(60))
    closed = Issue(2, "Labels come out empty", "Blank", "ED", "Printing and wristbands", Severity.P2, False,
                   "bleep 1", OTHER, Status.RESOLVED, START, START)  # fmt: skip
    blocks = ib.duplicate_note_blocks(replace(closed, extra_reporters=crowd), TEAM, [])
    shown = json.dumps(blocks)
    assert all(f"<@U0WARD{n:03d}>" in shown for n in range(60))
