"""What a person is told when the bot cannot do what they pressed for: Slack cannot say just now who is
on a team, or the bot's own database fails behind a button or a form. Each was found silent, a 500 or
plain wrong by a review of the Slack layer; end to end through the real app and the fake Slack."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import pytest
from slack_harness import RunningBot, org_config
from slack_sdk import WebClient
from sqlalchemy.exc import OperationalError
from test_slack_announce import CHANNELS, GOLIVE, LEAD, form, previewed, start
from test_slack_issues import CSO, ORG, START, TEAM, log_issue, submit
from test_slack_issues import form as issue_form

from bot.clock import ManualClock
from bot.config import Group
from bot.issues.model import Status
from bot.roles import MembershipUnknown
from bot.slack import issue_blocks as ib
from bot.slack.announcements import CANCEL
from bot.slack.membership import SlackMembership
from bot.store import comms as comms_store
from bot.store import issues as store
from tests.test_comms_setup import local

OTHER = "U0OTHER"


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("SELECT 1", {}, Exception("database gone"))


def database_down(bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every database session fails from now on, as when PostgreSQL or the SQLite file is unreachable."""
    monkeypatch.setattr(bot.services.db, "session", _broken)


def _private_texts(bot: RunningBot) -> list[str]:
    bot.fake.wait_quiet()
    return [c.params["text"] for c in bot.fake.calls_to("response_url")]


# -- 1: Slack cannot say who is on a team just now --------------------------------------------------


def _slack_cannot_say(bot: RunningBot, how: str) -> None:
    if how == "slow":  # slower than the look-up waits
        bot.fake.slow("usergroups.users.list", 2.5)
    else:
        bot.fake.fail("usergroups.users.list", status=429 if how == "429" else 503)


def _team_in_a_user_group(slack_bot) -> RunningBot:
    teams = {"maintenance_team": Group(usergroup="S0TEAM"), "clinical_safety_group": Group(usergroup="S0CSO")}
    bot = slack_bot(org=replace(ORG, **teams), clock=ManualClock(START))
    bot.fake.usergroups.update({"S0TEAM": [TEAM], "S0CSO": [CSO]})
    return bot


@pytest.mark.parametrize("how", ["slow", "429", "503"])
def test_a_team_member_slack_cannot_vouch_for_is_asked_to_press_again_not_to_be_added(slack_bot, how) -> None:
    """No list cached (a restart): a member pressing Acknowledge on a P1 was told they were not on the
    team and to ask the go-live lead, and went chasing a config change while the P1 waited."""
    bot = _team_in_a_user_group(slack_bot)
    ref = log_issue(bot, "V1", severity="P1")
    bot.fake.wait_quiet()
    bot.fake.calls.clear()
    _slack_cannot_say(bot, how)
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0TRIAGE")
    [told] = bot.fake.wait_for("response_url", timeout=8)
    assert "couldn't check" in told.params["text"] and "press" in told.params["text"]
    assert "Only the support team" not in told.params["text"] and "add you" not in told.params["text"]
    assert bot.services.issues.find(ref).status is Status.NEW
    bot.fake.slow("usergroups.users.list", 0)
    bot.action(ib.ACKNOWLEDGE, ref, user=TEAM, channel="C0TRIAGE")  # pressed again, as told
    bot.fake.wait_quiet()
    assert bot.services.issues.find(ref).acknowledged_by == TEAM


def test_someone_slack_said_is_not_on_the_team_is_still_refused(slack_bot) -> None:
    bot = _team_in_a_user_group(slack_bot)
    ref = log_issue(bot, "V1")
    bot.fake.wait_quiet()
    bot.fake.calls.clear()
    bot.action(ib.ACKNOWLEDGE, ref, user=OTHER, channel="C0TRIAGE")
    [told] = _private_texts(bot)
    assert "Only the support team" in told


def test_the_clinical_safety_officer_is_asked_to_press_again_when_slack_cannot_say(slack_bot) -> None:
    bot = _team_in_a_user_group(slack_bot)
    ref = log_issue(bot, "V1", severity="P1", safety=True)
    bot.fake.wait_quiet()
    bot.fake.calls.clear()
    bot.fake.fail("usergroups.users.list", status=503)
    bot.action(ib.RESOLVE, ref, user=CSO, channel="C0SAFETY")
    [told] = _private_texts(bot)
    assert "couldn't check the clinical safety group" in told
    assert "Ask the clinical safety officer" not in told
    assert bot.fake.calls_to("views.open") == []
    bot.action(ib.RESOLVE, ref, user=CSO, channel="C0SAFETY")
    bot.fake.wait_for("views.open")


def test_a_comms_lead_slack_cannot_vouch_for_is_asked_to_try_again(slack_bot) -> None:
    org = org_config(comms_leads=Group(usergroup="S0COMMS"), channels=CHANNELS, golive=GOLIVE)
    bot = slack_bot(org=org)
    bot.fake.usergroups["S0COMMS"] = [LEAD]
    bot.fake.fail("usergroups.users.list", status=429)
    bot.command("announce", user=LEAD)
    [told] = _private_texts(bot)
    assert "couldn't check the comms leads" in told and "ask whoever runs the bot" not in told
    bot.command("announce", user=LEAD)
    bot.fake.wait_for("views.open")


def test_a_lead_slack_cannot_vouch_for_at_schedule_gets_their_message_back(slack_bot) -> None:
    """Told to try again after writing and previewing an announcement, the lead had lost what they wrote."""
    org = org_config(comms_leads=Group(usergroup="S0COMMS"), channels=CHANNELS, golive=GOLIVE)
    bot = slack_bot(org=org, clock=ManualClock(local(2027, 1, 4, 8, 0)))
    bot.fake.usergroups["S0COMMS"] = [LEAD]
    confirm = previewed(bot, "Huddle at ten")
    bot.services.clock.advance(hours=2)  # the list seen at the preview is too old to vouch for the lead
    bot.fake.fail("usergroups.users.list", status=429)
    shown = json.dumps(bot.view_submission(confirm, user=LEAD).json())
    assert "couldn't check the comms leads" in shown and "Huddle at ten" in shown


def test_the_list_last_seen_vouches_for_its_members_but_refuses_nobody(fake_slack) -> None:
    """Within the hour, a list Slack cannot refresh still says who is in; someone it does not name may
    have been added since, so for them it is no answer either way."""
    clock = ManualClock(START)
    fake_slack.usergroups["S0TEAM"] = [TEAM]
    membership = SlackMembership(WebClient(base_url=fake_slack.url, token="xoxb-t"), clock)
    team = Group(frozenset(), "S0TEAM")
    assert membership.is_member(TEAM, team)
    fake_slack.usergroups["S0TEAM"] = [TEAM, OTHER]
    clock.advance(minutes=10)
    fake_slack.fail("usergroups.users.list", status=503, times=2)
    assert membership.is_member(TEAM, team)
    with pytest.raises(MembershipUnknown):
        membership.is_member(OTHER, team)
    assert membership.is_member(OTHER, team)  # Slack answers again


def test_a_group_slack_says_is_gone_is_a_no_not_an_unknown(fake_slack) -> None:
    fake_slack.fail("usergroups.users.list", error="no_such_subteam")
    membership = SlackMembership(WebClient(base_url=fake_slack.url, token="xoxb-t"), ManualClock(START))
    assert not membership.is_member(TEAM, Group(frozenset(), "S0TEAM"))


# -- 2: 'Same problem: add me' when the database fails ---------------------------------------------


def _offer_view(bot: RunningBot) -> tuple[str, dict[str, Any]]:
    """Log one issue, then a second alike: the form comes back offering 'Same problem: add me'."""
    ref = log_issue(bot, "V1")
    offer = submit(bot, "V2", user=OTHER)
    assert offer["response_action"] == "update"
    return ref, {**offer["view"], "id": "V2", "state": {"values": issue_form()}}


def _buttons(view: dict[str, Any]) -> list[str]:
    return [b["accessory"]["action_id"] for b in view["blocks"] if "accessory" in b]


def test_a_plus_one_the_database_fails_on_says_so_in_the_form_and_keeps_the_button(
    slack_bot, monkeypatch
) -> None:
    bot = slack_bot(org=ORG, clock=ManualClock(START))
    ref, view = _offer_view(bot)
    bot.fake.wait_quiet()
    bot.fake.calls.clear()
    database_down(bot, monkeypatch)
    started = time.monotonic()
    response = bot.action(ib.PLUS_ONE, ref, user=OTHER, view=view)
    assert response.status == 200 and time.monotonic() - started < 2.5
    [updated] = bot.fake.wait_for("views.update")
    shown = updated.params["view"]
    shown = json.loads(shown) if isinstance(shown, str) else shown
    assert updated.params["view_id"] == "V2" and "Not added" in json.dumps(shown)
    assert ib.PLUS_ONE in _buttons(shown)  # to press again once the bot is back
    inputs = [b["block_id"] for b in shown["blocks"] if b["type"] == "input"]
    assert inputs == [b["block_id"] for b in view["blocks"] if b["type"] == "input"]  # Slack keeps the typing
    monkeypatch.undo()
    bot.action(ib.PLUS_ONE, ref, user=OTHER, view={**view, **shown})
    bot.fake.wait_for("views.update", count=2)
    assert [r.user_id for r in store.listing(bot.services.db)[0].extra_reporters] == [OTHER]


def test_a_slow_failure_on_plus_one_still_tells_the_reporter(slack_bot, monkeypatch) -> None:
    bot = slack_bot(org=ORG, clock=ManualClock(START))
    ref, view = _offer_view(bot)
    bot.fake.wait_quiet()
    bot.fake.calls.clear()

    def slow_break(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        raise RuntimeError("database gone")

    monkeypatch.setattr(bot.services.issues, "plus_one", slow_break)
    assert bot.action(ib.PLUS_ONE, ref, user=OTHER, view=view).status == 200
    [updated] = bot.fake.wait_for("views.update")
    assert "Not added" in updated.text


# -- 3: Cancel on `/golive announcements` when the database fails -----------------------------------


def test_a_cancel_the_database_fails_on_tells_the_lead_it_will_still_post(slack_bot, monkeypatch) -> None:
    bot = start(slack_bot)
    bot.view_submission(previewed(bot, "Huddle at ten"), user=LEAD)
    [stored] = comms_store.active_announcements(bot.services.db, "slack")
    bot.fake.wait_quiet()
    database_down(bot, monkeypatch)
    started = time.monotonic()
    response = bot.action(CANCEL, stored.announcement.id, user=LEAD)
    assert response.status == 200 and time.monotonic() - started < 2.5
    [told] = bot.fake.wait_for("response_url")
    assert "Not cancelled" in told.params["text"] and "will still post" in told.params["text"]
    assert told.params.get("replace_original") is False  # the list and its Cancel buttons stay
    monkeypatch.undo()
    assert comms_store.active_announcements(bot.services.db, "slack") != []


# -- 4 and the audit: the announcement forms when the database is down ------------------------------


def test_a_schedule_while_the_database_is_down_is_answered_with_the_message_not_a_500(
    slack_bot, monkeypatch
) -> None:
    """The double-click claim before storing failed first, outside the guard around storing."""
    bot = start(slack_bot)
    confirm = previewed(bot, "Huddle at ten")
    database_down(bot, monkeypatch)
    failed = bot.view_submission(confirm, user=LEAD)
    assert failed.status == 200, (failed.status, failed.body)
    shown = json.dumps(failed.json())
    assert "Not scheduled" in shown and "Huddle at ten" in shown
    monkeypatch.undo()
    assert bot.view_submission(confirm, user=LEAD).json() == {"response_action": "clear"}
    assert len(comms_store.active_announcements(bot.services.db, "slack")) == 1


def test_a_preview_while_the_database_is_down_is_still_shown_with_its_figures_not_available(
    slack_bot, monkeypatch
) -> None:
    """Audited with the rest: the figures read past a failure, so Preview never fails on the database."""
    bot = start(slack_bot)
    database_down(bot, monkeypatch)
    shown = bot.view_submission(
        {"callback_id": "announce_compose"}, user=LEAD, values=form("{open_issues} open issues")
    )
    assert shown.status == 200 and shown.json()["response_action"] == "push"
    assert "n/a open issues" in json.dumps(shown.json()["view"])
