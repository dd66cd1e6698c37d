"""Raising an issue to P1 or patient safety after it was logged, end to end: signed requests to the app
over HTTP, and what the fake Slack receives. The triage lead's day two: 'the allergy banner is missing
for some patients' was logged as a P3, and the on-call group must hear of it now and until someone
owns it."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_harness import RunningBot

from bot.clock import ManualClock
from bot.issues import notices
from bot.issues.model import Action, Severity, Status
from bot.slack import issue_blocks as ib
from bot.slack.issues import escalation_tick
from bot.store import outbox
from tests.test_issue_triage_review import CSO, NURSE, ON_CALL, ORG, OTHER, TEAM, TEAM2
from tests.test_slack_issues import log_issue

START = datetime(2027, 1, 19, 9, 0, tzinfo=UTC)
WHY = "The allergy banner is missing for some patients"


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    running = slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))
    running.fake.usergroups["S0ONCALL"] = [ON_CALL]
    return running


def _logged_p3(bot: RunningBot) -> str:
    ref = log_issue(bot, severity="P3", summary="Allergy banner not showing", area="Other")
    bot.fake.wait_for("chat.postMessage", count=2)  # the triage post and the reporter's DM
    bot.fake.wait_quiet()
    return ref


def _form(bot: RunningBot, ref: str, user: str, view_id: str) -> dict[str, Any]:
    """Press Change severity on the triage post; the form Slack was asked to open."""
    opened = len(bot.fake.calls_to("views.open"))
    bot.action(ib.SEVERITY, ref, user=user, channel="C0TRIAGE")
    view = bot.fake.wait_for("views.open", count=opened + 1)[-1].params["view"]
    assert view["callback_id"] == ib.SEVERITY_FORM
    return {"id": view_id, **view}


def _values(severity: str, safety: bool, reason: str) -> dict[str, Any]:
    ticked = [{"value": "yes"}] if safety else []
    return {
        "severity": {"v": {"type": "radio_buttons", "selected_option": {"value": severity}}},
        "patient_safety": {"v": {"type": "checkboxes", "selected_options": ticked}},
        "reason": {"v": {"type": "plain_text_input", "value": reason}},
    }


def _send(bot: RunningBot, view: dict[str, Any], user: str, severity: str = "P1", safety: bool = False,
          reason: str = WHY) -> dict[str, Any]:  # fmt: skip
    response = bot.view_submission(view, user=user, values=_values(severity, safety, reason))
    assert response.status == 200, response.body
    return response.json() if response.body else {}


def _change(bot: RunningBot, ref: str, user: str, **how: Any) -> dict[str, Any]:
    return _send(bot, _form(bot, ref, user, f"VS{user}"), user, **how)


def _posts(bot: RunningBot, mark: int, channel: str) -> list[Any]:
    bot.fake.wait_quiet()
    return [
        c for c in bot.fake.calls[mark:] if c.method == "chat.postMessage" and c.params["channel"] == channel
    ]


def _said_to(bot: RunningBot, mark: int) -> list[str]:
    bot.fake.wait_quiet()
    return [c.text for c in bot.fake.calls[mark:] if c.method == "response_url"]


def test_a_p3_raised_to_p1_calls_on_call_at_once_and_every_interval_until_acknowledged(bot) -> None:
    ref = _logged_p3(bot)
    (triage,) = outbox.items_for(bot.services.db, notices.TRIAGE, ref)
    mark = len(bot.fake.calls)
    assert _change(bot, ref, TEAM) == {}  # the form closes

    (callout,) = _posts(bot, mark, "C0SAFETY")
    assert "<!subteam^S0ONCALL>" in callout.text and f"<@{TEAM}> raised *{ref}*" in callout.text
    assert "from *P3* to *P1*" in callout.text and WHY in callout.text
    (thread,) = _posts(bot, mark, "C0TRIAGE")
    assert (
        thread.params["thread_ts"] == triage.ts
        and WHY in thread.text
        and "again every 15 minutes" in thread.text
    )
    (told,) = _posts(bot, mark, NURSE)
    assert "treated as urgent" in told.text and WHY in told.text
    edits = [c for c in bot.fake.calls[mark:] if c.method == "chat.update"]
    assert any(c.params["ts"] == triage.ts and f"{ref}* · :red_circle: P1" in c.text for c in edits)

    clock: ManualClock = bot.services.clock  # type: ignore[assignment]
    for n in (1, 2):
        mark = len(bot.fake.calls)
        clock.advance(minutes=15)
        escalation_tick(bot.services)
        escalation_tick(bot.services)  # a second replica's tick: no second call-out
        (again,) = _posts(bot, mark, "C0SAFETY")
        assert "<!subteam^S0ONCALL>" in again.text and f"escalation {n}" in again.text
        assert "after it was raised to patient safety" in again.text

    bot.action(ib.ACKNOWLEDGE, ref, user=ON_CALL, channel="C0SAFETY")
    bot.fake.wait_quiet()
    assert bot.services.issues.find(ref).acknowledged_by == ON_CALL  # type: ignore[union-attr]
    mark = len(bot.fake.calls)
    clock.advance(hours=1)
    escalation_tick(bot.services)
    assert _posts(bot, mark, "C0SAFETY") == []


def test_the_audit_trail_lists_and_app_home_show_the_raise(bot) -> None:
    ref = _logged_p3(bot)
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0TRIAGE")
    _change(bot, ref, TEAM2, severity="P3", safety=True, reason="Patient 943 476 5919 had no banner")
    issue = bot.services.issues.find(ref)
    assert issue is not None and issue.patient_safety and issue.status is Status.NEW
    (event,) = [e for e in bot.services.issues.history(issue) if e.action is Action.SEVERITY]
    assert (event.actor, event.at, event.from_status, event.to_status) == (
        TEAM2, START, Status.ACKNOWLEDGED, Status.NEW
    )  # fmt: skip
    assert event.detail.startswith("P3 -> P3 patient safety: Patient [NHS number removed] had no banner")
    assert f"acknowledgement by {TEAM} cleared" in event.detail
    assert "9434765919" not in bot.fake.everything().replace(" ", "")

    mark = len(bot.fake.calls)
    bot.command("issues", user=TEAM)
    (listed,) = _said_to(bot, mark)
    assert f"*{ref}* :large_yellow_circle: P3 :warning: patient safety" in listed


def test_someone_outside_the_team_is_told_privately_and_no_form_opens(bot) -> None:
    ref = _logged_p3(bot)
    mark = len(bot.fake.calls)
    bot.action(ib.SEVERITY, ref, user=OTHER, channel="C0TRIAGE")
    (said,) = _said_to(bot, mark)
    assert "Only the support team can change an issue's severity" in said and "go-live lead" in said
    assert bot.fake.calls_to("views.open") == []
    assert bot.services.issues.find(ref).severity is Severity.P3  # type: ignore[union-attr]


def test_the_on_call_group_may_raise_to_patient_safety_but_not_otherwise(bot) -> None:
    ref = _logged_p3(bot)
    refused = _change(bot, ref, ON_CALL, severity="P2")
    assert "Only the support team can change" in refused["errors"]["reason"]
    assert _change(bot, ref, ON_CALL, severity="P3", safety=True) == {}
    assert bot.services.issues.find(ref).patient_safety  # type: ignore[union-attr]


def test_only_the_safety_group_lowers_it_and_then_the_call_outs_stop_and_the_thread_says_so(bot) -> None:
    ref = log_issue(bot, severity="P2", safety=True, summary="Allergy banner not showing")
    bot.fake.wait_for("chat.postMessage", count=3)
    (safety,) = outbox.items_for(bot.services.db, notices.SAFETY, ref)
    refused = _change(bot, ref, TEAM, severity="P3", reason="Display only")
    assert "only a member of the clinical safety group" in refused["errors"]["reason"]

    mark = len(bot.fake.calls)
    assert _change(bot, ref, CSO, severity="P3", reason="Display only: the record holds the allergies") == {}
    (thread,) = _posts(bot, mark, "C0TRIAGE")
    assert "lowered" in thread.text and "no longer called" in thread.text and "Display only" in thread.text
    edits = [c for c in bot.fake.calls[mark:] if c.method == "chat.update" and c.params["ts"] == safety.ts]
    assert edits and "no longer a patient-safety issue" in edits[-1].text
    assert "<!subteam^S0ONCALL>" not in edits[-1].text

    mark = len(bot.fake.calls)
    bot.services.clock.advance(hours=2)  # type: ignore[attr-defined]
    escalation_tick(bot.services)
    assert _posts(bot, mark, "C0SAFETY") == []


def test_a_double_click_and_two_people_at_once_raise_it_once(bot) -> None:
    ref = _logged_p3(bot)
    presses = [(_form(bot, ref, TEAM, "VS1"), TEAM)] * 2 + [(_form(bot, ref, TEAM2, "VS2"), TEAM2)]
    mark = len(bot.fake.calls)
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(pool.map(lambda press: _send(bot, *press), presses))
    issue = bot.services.issues.find(ref)
    assert issue is not None and issue.severity is Severity.P1
    (change,) = [e for e in bot.services.issues.history(issue) if e.action is Action.SEVERITY]
    assert len(_posts(bot, mark, "C0SAFETY")) == 1
    for (_, user), answer in zip(presses, answers, strict=True):
        if user == change.actor:  # the winner's form closes, however often they pressed
            assert answer == {}
        else:  # whoever lost the race is told, so they do not take their form for the change
            assert answer["errors"]["reason"] == f"Someone else made {ref} P1 just now, so nothing changed."


def test_with_slack_down_on_two_replicas_the_raise_is_called_out_once(
    slack_bot, database_url, fake_slack
) -> None:
    clock = ManualClock(START)
    first = slack_bot(org=ORG, database_url=database_url, clock=clock)
    second = slack_bot(org=ORG, database_url=database_url, clock=clock)
    ref = _logged_p3(first)
    fake_slack.fail("chat.postMessage", status=500, times=12)
    mark = len(fake_slack.calls)
    _change(first, ref, TEAM)
    for _ in range(8):  # Slack comes back; both replicas deliver what is due, and tick
        fake_slack.wait_quiet()
        clock.advance(seconds=30)
        for replica in (first, second):
            replica.services.deliver_soon()
            escalation_tick(replica.services)
    assert (
        len([c for c in fake_slack.attempts if c.method == "chat.postMessage"])
        - len(fake_slack.calls_to("chat.postMessage"))
        == 12
    )  # Slack refused every post twelve times, and each was retried until it went
    callouts = [t for t in (c.text for c in _posts(first, mark, "C0SAFETY")) if "raised" in t]
    assert len(callouts) == 1 and "<!subteam^S0ONCALL>" in callouts[0]
    assert len(_posts(first, mark, "C0TRIAGE")) == 1 and len(_posts(first, mark, NURSE)) == 1


def test_a_severity_form_opened_before_a_colleagues_raise_does_not_undo_it(bot) -> None:
    """The CSO opened the form at P3 to make it P2; meanwhile the on-call doctor flagged a risk to
    patients. The CSO's P2, unticked, cleared the flag the form had never shown, and the call-outs
    stopped. Now nothing changes and the form is drawn again as the issue stands."""
    ref = _logged_p3(bot)
    stale = _form(bot, ref, CSO, "VSCSO")
    _change(bot, ref, ON_CALL, severity="P3", safety=True)
    answer = _send(bot, stale, CSO, severity="P2", reason="Only the print layout")
    issue = bot.services.issues.find(ref)
    assert issue is not None and issue.patient_safety and issue.severity is Severity.P3
    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"]["blocks"])
    assert f"{ref} was changed to P3 patient safety since you opened this form" in shown
    assert "Now: *P3* :warning: patient safety" in shown
    fresh = {"id": "VSCSO", **answer["view"]}  # chosen again on the form as it now stands: it changes
    assert _send(bot, fresh, CSO, severity="P2", safety=True, reason="Only the print layout") == {}
    assert bot.services.issues.find(ref).severity is Severity.P2  # type: ignore[union-attr]
