"""An issue a floorwalker logs from a staff member's message: the staff member, whose problem it is,
is named in triage, told it was logged, kept up to date and asked whether the fix works."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_harness import RunningBot
from test_issue_flow_fixes import shortcut_form
from test_slack_issues import NURSE, ORG, START, TEAM, form, log_issue

from bot.clock import ManualClock
from bot.issues.model import Reporter, Status
from bot.slack import issue_blocks as ib
from bot.store import issues as store

FLOORWALKER, STAFF = "U0FW1", "U0STAFF"
MESSAGE = {"ts": "1700000000.000200", "user": STAFF, "text": "Wristband printer prints blank labels"}
RESOLVED = {"category": {"v": {"type": "static_select", "selected_option": {"value": "fixed"}}},
            "note": {"v": {"type": "plain_text_input", "value": "Driver reinstalled"}}}  # fmt: skip


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def log_from(bot: RunningBot, message: dict[str, Any], user: str = FLOORWALKER) -> str:
    """Log `message` through the message shortcut as `user`; the reference they are shown."""
    view = shortcut_form(bot, message, user)
    answer = bot.view_submission({**view, "id": "V1"}, user=user, values=form()).json()
    return json.dumps(answer["view"]).split("Logged as ")[1].split(".")[0]


def direct(bot: RunningBot, person: str) -> list[str]:
    """Everything posted to `person` directly, text and blocks, oldest first."""
    calls = [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == person]
    return [f"{c.text} {json.dumps(c.params.get('blocks') or [])}" for c in calls]


def resolve(bot: RunningBot, ref: str) -> None:
    bot.action(ib.RESOLVE, ref, user=TEAM, channel="C0TRIAGE")
    modal = bot.fake.wait_for("views.open", count=2)[1].params["view"]
    assert bot.view_submission({"id": "V9", **modal}, user=TEAM, values=RESOLVED).status == 200


def test_the_author_is_named_in_triage_and_told_the_message_was_logged(bot) -> None:
    ref = log_from(bot, MESSAGE)
    bot.fake.wait_for("chat.postMessage", count=3)
    bot.fake.wait_quiet()
    [triage] = [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == "C0TRIAGE"]
    assert f"original message> by <@{STAFF}>" in json.dumps(triage.params["blocks"])
    [told] = direct(bot, STAFF)
    assert f"<@{FLOORWALKER}> logged your message as issue *{ref}*" in told
    [thanked] = direct(bot, FLOORWALKER)
    assert f"your issue *{ref}* is logged" in thanked
    assert bot.services.issues.find(ref).raised_by == STAFF


def test_the_author_hears_of_the_fix_and_can_confirm_it(bot) -> None:
    ref = log_from(bot, MESSAGE)
    bot.fake.wait_for("chat.postMessage", count=3)
    resolve(bot, ref)
    bot.fake.wait_for("chat.postMessage", count=5)
    bot.fake.wait_quiet()
    asked = direct(bot, STAFF)[-1]
    assert "Driver reinstalled" in asked and ib.CONFIRM in asked and ib.REOPEN in asked
    bot.action(ib.CONFIRM, ib.confirm_value(bot.services.issues.find(ref)), user=STAFF, channel="D0STAFF")
    bot.fake.wait_quiet()
    issue = bot.services.issues.find(ref)
    assert issue.status is Status.RESOLVED and issue.confirmed_at is not None


def test_the_author_finds_it_among_their_issues_and_cannot_plus_one_it(bot) -> None:
    ref = log_from(bot, MESSAGE)
    mine = store.listing(bot.services.db, store.Filters(involving=STAFF))
    assert [i.reference for i in mine] == [ref]
    issue = bot.services.issues.find(ref)
    assert not store.add_reporter(bot.services.db, issue, Reporter(STAFF, "Ward 3", "", START), lambda _: [])


@pytest.mark.parametrize(
    "message",
    [
        {**MESSAGE, "bot_id": "B0ALERTS"},  # an app's alert: nobody reads the bot's DMs
        {**MESSAGE, "user": FLOORWALKER},  # their own message: told once, as the reporter
        {key: value for key, value in MESSAGE.items() if key != "user"},
    ],
)
def test_nobody_else_is_told_when_the_message_has_no_other_human_author(bot, message) -> None:
    ref = log_from(bot, message)
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    assert bot.services.issues.find(ref).raised_by is None
    assert direct(bot, STAFF) == [] and len(direct(bot, FLOORWALKER)) == 1


def test_a_forged_author_in_the_form_is_ignored(bot) -> None:
    view = shortcut_form(bot, MESSAGE, FLOORWALKER)
    forged = {**json.loads(view["private_metadata"]), "by": "<!channel>"}
    submitted = {**view, "id": "V1", "private_metadata": json.dumps(forged)}
    assert bot.view_submission(submitted, user=FLOORWALKER, values=form()).status == 200
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    [issue] = store.listing(bot.services.db)
    assert issue.raised_by is None and "<!channel>" not in bot.fake.everything()


def test_the_author_is_added_too_when_their_message_joins_an_issue_already_logged(bot) -> None:
    ref = log_issue(bot, "V1")  # a nurse's report of the same printer, from the form
    bot.fake.wait_for("chat.postMessage", count=2)
    view = shortcut_form(bot, MESSAGE, FLOORWALKER)
    offer = bot.view_submission({**view, "id": "V2"}, user=FLOORWALKER, values=form()).json()
    assert offer["response_action"] == "update"  # offered as the same problem
    state = {"values": form(location="Emergency Department")}
    bot.action(ib.PLUS_ONE, ref, user=FLOORWALKER, view={**offer["view"], "id": "V2", "state": state})
    bot.fake.wait_for("views.update")
    bot.fake.wait_quiet()
    issue = bot.services.issues.find(ref)
    assert {r.user_id for r in issue.extra_reporters} == {FLOORWALKER, STAFF}
    [told] = direct(bot, STAFF)
    assert f"<@{FLOORWALKER}> logged your message as issue *{ref}*" in told
    assert issue.reporter_id == NURSE and len(store.listing(bot.services.db)) == 1
