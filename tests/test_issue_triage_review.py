"""Triage as the support team lives it in a go-live week: who a call-out reaches can act on it, whoever
is on an issue hears what others do to it, and what reporters add reaches the team."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from slack_harness import RunningBot, org_config

from bot.clock import ManualClock
from bot.config import Group
from bot.issues import notices
from bot.issues.model import Severity
from bot.slack import issue_blocks as ib
from bot.slack.issues import escalation_tick
from bot.store import issues as store
from bot.store import outbox
from tests.test_comms_setup import local, service
from tests.test_slack_issues import FORM_VIEW, form, submit

TEAM, TEAM2, CSO, NURSE = "U0TEAM", "U0TEAM2", "U0CSO", "U0NURSE"
ON_CALL, OTHER = "U0ONCALL", "U0OTHER"
ORG = org_config(
    maintenance_team=Group(frozenset({TEAM, TEAM2})),
    clinical_safety_group=Group(frozenset({CSO})),
    on_call_usergroup="S0ONCALL",
    locations=("Ward 3 (Elderly Care)", "Emergency Department"),
    system_areas=("Printing and wristbands", "Login and access", "Other"),
)


@pytest.fixture
def bot(slack_bot) -> RunningBot:
    return slack_bot(org=ORG, clock=ManualClock(datetime(2027, 1, 18, 9, 0, tzinfo=UTC)))


def _said_to(bot: RunningBot, mark: int) -> list[str]:
    bot.fake.wait_quiet()
    return [c.text for c in bot.fake.calls[mark:] if c.method == "response_url"]


@pytest.mark.parametrize("who", [ON_CALL, CSO])
def test_whoever_a_p1_call_out_calls_can_acknowledge_it_and_stop_the_escalations(bot, who) -> None:
    bot.fake.usergroups["S0ONCALL"] = [ON_CALL]
    submit(bot, severity="P1", safety=True, summary="Allergies shown for the wrong patient")
    bot.services.clock.advance(minutes=15)
    escalation_tick(bot.services)
    bot.fake.wait_quiet()

    mark = len(bot.fake.calls)
    bot.action(ib.ACKNOWLEDGE, "GL-0001", user=who, channel="C0SAFETY")
    assert not any("Only the support team" in said for said in _said_to(bot, mark))
    assert bot.services.issues.find("GL-0001").acknowledged_by == who  # type: ignore[union-attr]

    mark = len(bot.fake.calls)
    bot.services.clock.advance(minutes=30)
    escalation_tick(bot.services)
    bot.fake.wait_quiet()
    assert not [c for c in bot.fake.calls[mark:] if c.method == "chat.postMessage"]


def test_the_on_call_group_acts_only_on_the_p1s_it_is_called_to_and_others_never(bot) -> None:
    bot.fake.usergroups["S0ONCALL"] = [ON_CALL]
    submit(bot, summary="Wristband printer prints blank labels")
    submit(bot, "V2", severity="P1", summary="Allergies shown for the wrong patient")
    mark = len(bot.fake.calls)
    bot.action(ib.ACKNOWLEDGE, "GL-0001", user=ON_CALL, channel="C0TRIAGE")
    bot.action(ib.ASSIGN, "GL-0002", user=OTHER, channel="C0SAFETY")
    said = _said_to(bot, mark)
    assert len(said) == 2 and all("Only the support team can" in s for s in said)
    assert all(bot.services.issues.find(ref).acknowledged_at is None for ref in ("GL-0001", "GL-0002"))  # type: ignore[union-attr]


def _dms(bot: RunningBot, mark: int, person: str) -> list[dict]:
    bot.fake.wait_quiet()
    return [
        c.params
        for c in bot.fake.calls[mark:]
        if c.method == "chat.postMessage" and c.params["channel"] == person
    ]


def test_the_team_member_on_an_issue_hears_when_a_colleague_takes_it_over_or_closes_it(bot) -> None:
    submit(bot, severity="P1", summary="Allergies shown for the wrong patient")
    bot.action(ib.ASSIGN, "GL-0001", user=TEAM, channel="C0TRIAGE")
    bot.fake.wait_quiet()
    mark = len(bot.fake.calls)
    bot.action(ib.ASSIGN, "GL-0001", user=TEAM2, channel="C0TRIAGE")
    (taken,) = _dms(bot, mark, TEAM)
    assert "being worked on by <@U0TEAM2>" in str(taken["blocks"])

    mark = len(bot.fake.calls)
    bot.action(ib.RESOLVE, "GL-0001", user=CSO, channel="C0SAFETY")
    bot.fake.wait_quiet()
    view = bot.fake.calls_to("views.open")[-1].params["view"]
    note = {"v": {"type": "plain_text_input", "value": "Cache cleared; checked with pharmacy"}}
    category = {"v": {"type": "static_select", "selected_option": {"value": "fixed"}}}
    bot.view_submission(view, user=CSO, values={"category": category, "note": note})
    (closed,) = _dms(bot, mark, TEAM2)
    shown = str(closed["blocks"])
    assert "resolved by <@U0CSO>" in shown and "Cache cleared" in shown
    assert ib.CONFIRM not in shown and ib.REOPEN not in shown  # not asked whether it is sorted for them
    assert ib.CONFIRM in str(_dms(bot, mark, NURSE)[0]["blocks"])  # the reporter still is


def test_what_a_second_ward_writes_with_same_problem_add_me_reaches_the_team_in_the_thread(bot) -> None:
    submit(bot)
    bot.fake.wait_quiet()
    (triage,) = outbox.items_for(bot.services.db, notices.TRIAGE, "GL-0001")
    more = "It printed another patient's allergies on the label"
    alike = form(
        summary="wristband printer printing blank labels", details=more, location="Emergency Department"
    )
    offer = bot.view_submission({"id": "V2", **FORM_VIEW}, user=OTHER, values=alike).json()
    mark = len(bot.fake.calls)
    bot.action(
        ib.PLUS_ONE, "GL-0001", user=OTHER, view={"id": "V2", **offer["view"], "state": {"values": alike}}
    )
    bot.fake.wait_quiet()
    (note,) = [c.params for c in bot.fake.calls[mark:] if c.method == "chat.postMessage"]
    assert note["channel"] == "C0TRIAGE" and note["thread_ts"] == triage.ts
    assert "<@U0OTHER>" in note["text"] and "Emergency Department" in note["text"] and more in note["text"]


def test_a_patient_safety_p3_heads_the_top_ten_with_the_p1s_and_says_so(db) -> None:
    def log(summary: str, severity: Severity, safety: bool = False) -> None:
        new = store.NewIssue(summary, "details", "Ward 3", "Other", severity, safety, "bleep 1", NURSE)
        store.create(db, new, None, local(2027, 1, 18, 9, 0), lambda issue: [])

    for n in range(10):
        log(f"Printer {n} jams", Severity.P2)
    log("Wrong patient's allergies shown", Severity.P3, safety=True)
    log("Drug chart down", Severity.P1)
    lines = service(db, ManualClock(local(2027, 1, 19, 10, 0))).render("{oldest_open_issues}").splitlines()
    assert "Drug chart down" in lines[0]
    assert "Wrong patient" in lines[1] and "P3 *patient safety*" in lines[1]


def test_slash_issues_marks_a_patient_safety_issue_of_any_severity(bot) -> None:
    submit(bot, severity="P3", safety=True, summary="Wrong patient's allergies shown")
    mark = len(bot.fake.calls)
    bot.command("issues", user=TEAM)
    (listed,) = _said_to(bot, mark)
    assert "P3 :warning: patient safety" in listed
