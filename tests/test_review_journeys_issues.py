"""Review journeys: an issue from a nurse's message to a confirmed fix, and a P1 from call-out to close,
as the people involved live them in Slack (real app over HTTP, signed requests, fake Slack Web API)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_harness import RunningBot, org_config

from bot.clock import ManualClock
from bot.config import Group
from bot.slack import issue_blocks as ib
from bot.slack.issues import MESSAGE_SHORTCUT, escalation_tick
from tests.test_slack_issues import FORM_VIEW, form

TEAM, CSO, NURSE, FLOOR, OTHER = "U0TEAM", "U0CSO", "U0NURSE", "U0FLOOR", "U0OTHER"
ORG = org_config(
    maintenance_team=Group(frozenset({TEAM})),
    clinical_safety_group=Group(frozenset({CSO})),
    on_call_usergroup="S0ONCALL",
    locations=("Ward 3 (Elderly Care)", "Emergency Department"),
    system_areas=("Printing and wristbands", "Login and access"),
)
RESOLUTION = {"category": {"v": {"type": "static_select", "selected_option": {"value": "fixed"}}}}


@pytest.fixture
def bot(slack_bot) -> RunningBot:
    return slack_bot(org=ORG, clock=ManualClock(datetime(2027, 1, 18, 9, 0, tzinfo=UTC)))


def seen_after(bot: RunningBot, mark: int) -> list[Any]:
    """Every call Slack received since `mark`, once the bot has gone quiet."""
    bot.fake.wait_quiet()
    return bot.fake.calls[mark:]


def dms(calls: list[Any], person: str) -> list[str]:
    return [c.text for c in calls if c.method == "chat.postMessage" and c.params["channel"] == person]


def resolve(bot: RunningBot, who: str, note: str, channel: str = "C0TRIAGE") -> None:
    bot.action(ib.RESOLVE, "GL-0001", user=who, channel=channel)
    bot.fake.wait_quiet()
    form_view = bot.fake.calls_to("views.open")[-1].params["view"]
    values = {**RESOLUTION, "note": {"v": {"type": "plain_text_input", "value": note}}}
    assert bot.view_submission(form_view, user=who, values=values).status == 200


def test_a_floorwalker_logs_a_message_a_colleague_adds_a_plus_one_and_everyone_follows_it(bot) -> None:
    bot.message_action(MESSAGE_SHORTCUT, {"text": "Wristband printer prints blank labels", "ts": "1.000002"},
                       user=FLOOR)  # fmt: skip
    (opened,) = bot.fake.wait_for("views.open")
    assert "Wristband printer prints blank labels" in json.dumps(opened.params["view"])
    logged = bot.view_submission({"id": "V1", **FORM_VIEW}, user=FLOOR, values=form()).json()
    assert "Logged as GL-0001" in json.dumps(logged)

    mark = len(bot.fake.calls)
    alike = form(summary="wristband printer printing blank labels")
    offer = bot.view_submission({"id": "V2", **FORM_VIEW}, user=NURSE, values=alike).json()
    assert "Same problem: add me" in json.dumps(offer) and "GL-0001" in json.dumps(offer)
    bot.action(ib.PLUS_ONE, "GL-0001", user=NURSE, view={"id": "V2", **offer["view"],
               "state": {"values": form(location="Emergency Department")}})  # fmt: skip
    seen = seen_after(bot, mark)
    assert "also reporting GL-0001" in json.dumps([c.params for c in seen if c.method == "views.update"])

    mark = len(bot.fake.calls)
    bot.action(ib.ASSIGN, "GL-0001", user=TEAM, channel="C0TRIAGE")
    seen = seen_after(bot, mark)
    assert "being worked on by <@U0TEAM>" in dms(seen, FLOOR)[0] and dms(seen, NURSE)

    mark = len(bot.fake.calls)
    resolve(bot, TEAM, "Reloaded the label stock")
    seen = seen_after(bot, mark)
    assert "Reloaded the label stock" in dms(seen, FLOOR)[0]
    assert "Reloaded the label stock" in dms(seen, NURSE)[0]

    # The reporter says it is not fixed: she is told what happened, and whoever was working on it is told.
    mark = len(bot.fake.calls)
    bot.action(ib.REOPEN, "GL-0001", user=FLOOR, channel="D0FLOOR", response_url=bot.fake.response_url("dm"))
    seen = seen_after(bot, mark)
    (answer,) = [c for c in seen if c.method == "response_url"]
    assert answer.params["replace_original"] is True and "reopened" in answer.text
    assert ib.REOPEN not in answer.text and ib.CONFIRM not in answer.text  # no second click to make
    assert "reopened by <@U0FLOOR>" in dms(seen, TEAM)[0]
    assert "reopened by <@U0FLOOR>" in dms(seen, NURSE)[0]

    mark = len(bot.fake.calls)
    resolve(bot, TEAM, "Replaced the printer")
    latest = ib.confirm_value(bot.services.issues.find("GL-0001"))  # type: ignore[arg-type]
    bot.action(ib.CONFIRM, latest, user=FLOOR, channel="D0FLOOR", response_url=bot.fake.response_url("ok"))
    seen = seen_after(bot, mark)
    (answer,) = [c for c in seen if c.method == "response_url"]
    assert answer.params["replace_original"] is True and "Thanks" in answer.text
    assert ib.CONFIRM not in answer.text
    assert "the fix was confirmed" in dms(seen, NURSE)[-1]
    assert bot.services.issues.find("GL-0001").confirmed_at is not None


def test_a_triage_click_is_not_replaced_in_the_channel(bot) -> None:
    """The triage post is edited by delivery; a click there must not replace it with a private note."""
    bot.view_submission({"id": "V1", **FORM_VIEW}, user=NURSE, values=form())
    bot.fake.wait_quiet()
    bot.action(ib.ACKNOWLEDGE, "GL-0001", user=TEAM, channel="C0TRIAGE")
    bot.fake.wait_quiet()
    assert bot.fake.calls_to("response_url") == []


def test_a_p1_is_called_out_escalated_acknowledged_refused_privately_and_closed_by_safety(bot) -> None:
    clock = bot.services.clock
    p1 = form(severity="P1", safety=True, summary="Allergies shown for the wrong patient")
    bot.view_submission({"id": "V1", **FORM_VIEW}, user=NURSE, values=p1)
    seen = seen_after(bot, 0)
    (call_out,) = [c for c in seen if c.method == "chat.postMessage" and c.params["channel"] == "C0SAFETY"]
    assert call_out.text.count("<!subteam^S0ONCALL>") == 1 and "needs acknowledging" in call_out.text

    mark = len(bot.fake.calls)
    clock.advance(minutes=15)
    escalation_tick(bot.services)
    seen = seen_after(bot, mark)
    (again,) = [c for c in seen if c.method == "chat.postMessage"]
    assert again.params["channel"] == "C0SAFETY" and "still not acknowledged* 15 minutes" in again.text

    bot.action(ib.ACKNOWLEDGE, "GL-0001", user=TEAM, channel="C0SAFETY")
    mark = len(seen_after(bot, 0))
    bot.action(ib.RESOLVE, "GL-0001", user=OTHER, channel="C0SAFETY")
    seen = seen_after(bot, mark)
    (refused,) = seen
    assert refused.method == "response_url" and refused.params["response_type"] == "ephemeral"
    assert "clinical safety group" in refused.text
    assert bot.services.issues.find("GL-0001").is_open

    mark = len(bot.fake.calls)
    resolve(bot, CSO, "Cache cleared; checked with pharmacy", channel="C0SAFETY")
    seen = seen_after(bot, mark)
    assert "Cache cleared; checked with pharmacy" in dms(seen, NURSE)[0]
    clock.advance(minutes=30)
    escalation_tick(bot.services)
    assert seen_after(bot, len(bot.fake.calls)) == []
