"""Issues end to end, for the paths a go-live hits that the main tests do not: a '+1' that comes too late,
a reopened safety issue, a message shortcut while Slack is slow."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from slack_harness import RunningBot
from test_slack_issues import CSO, NURSE, ORG, OTHER, START, TEAM, form, log_issue, submit

from bot.clock import ManualClock
from bot.issues.model import Draft
from bot.slack import issue_blocks as ib
from bot.slack.issues import MESSAGE_SHORTCUT
from bot.store import issues as store
from bot.store import outbox


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def _offer(bot: RunningBot) -> tuple[str, dict[str, Any]]:
    """A first issue, then a second reporter's similar form answered with the '+1' offer."""
    ref = log_issue(bot, "V1")
    bot.fake.wait_for("chat.postMessage", count=2)
    offer = submit(bot, "V2", user=OTHER, summary="wristband printer printing blank labels",
                   location="Emergency Department", details="Blank labels in ED since 9")  # fmt: skip
    assert offer["response_action"] == "update"
    return ref, offer["view"]


def test_a_plus_one_to_an_issue_resolved_meanwhile_keeps_the_form_so_it_can_be_logged_new(bot) -> None:
    ref, view = _offer(bot)
    resolved = bot.services.issues.resolve(ref, TEAM, bot.services.membership, "fixed", "Driver reinstalled")
    assert resolved.issue.status.value == "resolved"
    typed = form(summary="wristband printer printing blank labels", location="Emergency Department",
                 details="Blank labels in ED since 9", contact="ext 2222")  # fmt: skip
    bot.action(ib.PLUS_ONE, ref, user=OTHER, view={**view, "id": "V2", "state": {"values": typed}})
    shown = bot.fake.wait_for("views.update")[0].params["view"]
    assert shown["callback_id"] == ib.FORM, "the reporter's words must not be thrown away"
    assert "resolved" in json.dumps(shown) and ref in json.dumps(shown)
    assert "Blank labels in ED since 9" in json.dumps(shown)
    assert json.loads(shown["private_metadata"])["checked"] is True
    again = bot.view_submission({**shown, "id": "V2"}, user=OTHER, values=typed).json()
    assert "Logged as GL-0002" in json.dumps(again["view"])
    assert store.listing(bot.services.db)[0].extra_reporters == ()


def test_a_plus_one_by_someone_already_on_the_issue_says_so(bot) -> None:
    ref, view = _offer(bot)
    bot.action(ib.PLUS_ONE, ref, user=NURSE, view={**view, "id": "V2", "state": {"values": form()}})
    shown = bot.fake.wait_for("views.update")[0].params["view"]
    assert "already recorded" in json.dumps(shown)


def test_a_patient_safety_report_like_a_lesser_issue_is_logged_as_its_own_and_calls_on_call(bot) -> None:
    ref = log_issue(bot, "V1", severity="P3")
    bot.fake.wait_for("chat.postMessage", count=2)
    urgent = dict(summary="wristband printer printing blank labels", severity="P1", safety=True,
                  details="Patient given another patient's wristband, wrong drug nearly given")  # fmt: skip
    answer = submit(bot, "V2", user=OTHER, **urgent)
    assert "Logged as GL-0002" in json.dumps(answer["view"]), "no '+1' to a P3 for a safety report"
    bot.fake.wait_for("chat.postMessage", count=4)
    assert _safety_posts(bot), "the on-call group must be called"
    issue = bot.services.issues.find("GL-0002")
    assert issue and (issue.severity.value, issue.patient_safety) == ("P1", True)
    assert bot.services.issues.find(ref).extra_reporters == ()  # type: ignore[union-attr]


def test_a_plus_one_click_from_a_more_urgent_report_gives_the_form_back_to_log_it_new(bot) -> None:
    ref, view = _offer(bot)  # offered while the report was a P2; then ticked as patient safety
    typed = form(summary="wristband printer printing blank labels", safety=True, details="Wrong patient")
    bot.action(ib.PLUS_ONE, ref, user=OTHER, view={**view, "id": "V2", "state": {"values": typed}})
    shown = bot.fake.wait_for("views.update")[0].params["view"]
    assert shown["callback_id"] == ib.FORM and "more urgent than" in json.dumps(shown)
    assert "Wrong patient" in json.dumps(shown)
    assert store.listing(bot.services.db)[0].extra_reporters == ()


def test_a_plus_one_keeps_what_the_second_reporter_wrote_in_the_issues_history(bot) -> None:
    ref, view = _offer(bot)
    typed = form(summary="wristband printer printing blank labels", location="Emergency Department",
                 details="Blank labels in ED since 9, patient 943 476 5919", contact="ext 2222")  # fmt: skip
    bot.action(ib.PLUS_ONE, ref, user=OTHER, view={**view, "id": "V2", "state": {"values": typed}})
    bot.fake.wait_for("views.update")
    history = bot.services.issues.history(bot.services.issues.find(ref))  # type: ignore[arg-type]
    said = [e.detail for e in history if e.action.value == "plus one"]
    assert len(said) == 1 and "Blank labels in ED since 9" in said[0] and "Emergency Department" in said[0]
    assert "5919" not in said[0]


def _safety_posts(bot: RunningBot) -> list[Any]:
    return [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == "C0SAFETY"]


def test_a_reopened_p1_calls_the_on_call_group_again_at_once(bot) -> None:
    ref = log_issue(bot, severity="P1")
    bot.fake.wait_for("chat.postMessage", count=3)
    roles = bot.services.membership
    bot.services.issues.acknowledge(ref, TEAM, roles)
    bot.services.issues.resolve(ref, CSO, roles, "fixed", "Printer driver replaced")
    bot.services.deliver_soon()
    bot.fake.wait_quiet()
    assert len(_safety_posts(bot)) == 1
    bot.action(ib.REOPEN, ref, user=NURSE, channel="D0NURSE")
    bot.fake.wait_for("chat.postMessage", count=len(bot.fake.calls_to("chat.postMessage")) + 1)
    bot.fake.wait_quiet()
    (_first, again) = _safety_posts(bot)
    assert "<!subteam^S0ONCALL>" in again.text and "reopened" in again.text and ref in again.text
    bot.action(ib.REOPEN, ref, user=NURSE, channel="D0NURSE")  # a double click: no third call-out
    bot.fake.wait_quiet()
    assert len(_safety_posts(bot)) == 2


def test_a_reopened_p1_acknowledged_before_its_call_out_is_sent_is_not_called_out(bot) -> None:
    ref = log_issue(bot, severity="P1")
    bot.fake.wait_for("chat.postMessage", count=3)
    roles = bot.services.membership
    bot.services.issues.resolve(ref, CSO, roles, "fixed", "Printer driver replaced")
    bot.services.issues.reopen(ref, NURSE, roles)
    bot.services.issues.acknowledge(ref, TEAM, roles)
    bot.services.deliver_soon()
    bot.fake.wait_quiet()
    assert len(_safety_posts(bot)) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_a_slow_permalink_does_not_hold_up_the_form_past_its_trigger(bot, status: int) -> None:
    """Slack's trigger id lasts 3 s: a rate-limited or failing link look-up must not spend it."""
    bot.fake.fail("chat.getPermalink", status=status, retry_after=10, times=5)
    bot.message_action(MESSAGE_SHORTCUT, {"text": "Printer on ward 3 jams", "ts": "1700000000.000100"})
    (opened,) = bot.fake.wait_for("views.open", timeout=2.5)
    view = opened.params["view"]
    assert "Printer on ward 3 jams" in json.dumps(view)
    link = json.loads(view["private_metadata"])["link"]
    assert link == "https://test-trust.slack.com/archives/C0GENERAL/p1700000000000100"


@pytest.mark.parametrize(
    "message, expected",
    [
        (  # an alert from another bot: the words are in its attachment
            {
                "text": "",
                "bot_id": "B0ALERT",
                "attachments": [
                    {
                        "fallback": "Printer alert",
                        "title": "PRN-03 offline",
                        "text": "Ward 3 printer for 999 000 0018",
                    }
                ],
            },
            ["PRN-03 offline", "Ward 3 printer for"],
        ),
        (  # a screenshot posted with no words
            {"text": "", "files": [{"name": "IMG_0042.png", "title": "Login error on ward 3"}]},
            ["Login error on ward 3"],
        ),
        (  # formatted text only (a workflow's message): its words, links by their label
            {
                "text": "",
                "blocks": [
                    {
                        "type": "rich_text",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [
                                    {"type": "text", "text": "Scanner down on ward 5, see "},
                                    {"type": "link", "url": "https://intranet/x", "text": "the outage page"},
                                    {"type": "user", "user_id": "U0STAFF"},
                                ],
                            }
                        ],
                    }
                ],
            },
            ["Scanner down on ward 5, see the outage page"],
        ),
    ],
)
def test_a_message_with_no_text_is_prefilled_from_its_attachments_or_files(
    bot, message: dict[str, Any], expected: list[str]
) -> None:
    bot.message_action(MESSAGE_SHORTCUT, {"ts": "1700000000.000100", **message})
    view = bot.fake.wait_for("views.open")[0].params["view"]
    summary, details = view["blocks"][0]["element"], view["blocks"][1]["element"]
    assert summary.get("initial_value") and all(words in details["initial_value"] for words in expected)
    assert "0018" not in json.dumps(view)


def test_a_message_logged_as_an_issue_is_prefilled_with_its_words_as_people_saw_them(bot) -> None:
    text = (
        "<@U0STAFF> cc <!channel> printer &amp; scanner down, see <https://evil.example|trust portal> :fire:"
    )
    bot.message_action(MESSAGE_SHORTCUT, {"ts": "1700000000.000100", "text": text})
    details = bot.fake.wait_for("views.open")[0].params["view"]["blocks"][1]["element"]["initial_value"]
    assert "printer & scanner down, see trust portal" in details
    assert "<@U0STAFF>" not in details and "evil.example" not in details and ":fire:" not in details


def test_only_the_reporter_is_offered_to_confirm_the_fix_others_on_the_issue_may_reopen(bot) -> None:
    ref = log_issue(bot)
    roles = bot.services.membership
    bot.services.issues.plus_one(ref, OTHER, Draft("", "", "Emergency Department", "", "P3", "ext 2222"))
    bot.services.issues.resolve(ref, TEAM, roles, "fixed", "Driver reinstalled")
    bot.services.deliver_soon()
    bot.fake.wait_quiet()
    dms = {
        c.params["channel"]: c
        for c in bot.fake.calls_to("chat.postMessage")
        if "Driver reinstalled" in c.text
    }
    assert ib.CONFIRM in dms[NURSE].text and ib.REOPEN in dms[NURSE].text
    assert ib.CONFIRM not in dms[OTHER].text and ib.REOPEN in dms[OTHER].text


def test_a_form_slower_than_slack_waits_stays_open_and_submitting_again_shows_the_one_issue(
    bot, monkeypatch, slow_forms
) -> None:
    saved, report = slow_forms(), bot.services.issues.report

    def slow_report(*args: Any, **kwargs: Any) -> Any:
        result = report(*args, **kwargs)
        saved.wait(5)  # the database answers only after Slack's wait (scaled down here) is over
        return result

    monkeypatch.setattr(bot.services.issues, "report", slow_report)
    first = submit(bot, "V1")
    assert first["response_action"] == "errors" and "Still saving" in first["errors"]["summary"]
    saved.set()
    bot.fake.wait_for("chat.postMessage")  # the work went on: the issue reached triage
    again = submit(bot, "V1")
    assert "logged as GL-0001" in json.dumps(again["view"])
    assert len(store.listing(bot.services.db)) == 1


def test_a_reporters_reply_to_an_update_is_added_to_the_issue_in_the_teams_thread(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    triage_ts = outbox.items_for(bot.services.db, "issue.triage", ref)[0].ts
    notice = outbox.items_for(bot.services.db, "issue.notice", ref)[0]  # the update the reporter got
    said = "still happening, now ward 4 too, patient 943 476 5919"
    bot.dm(said, user=NURSE, channel=notice.channel, thread_ts=notice.ts)
    reply = bot.fake.wait_for("chat.postMessage", count=4)
    thanks = [c for c in reply if c.params.get("thread_ts") == notice.ts]
    assert len(thanks) == 1 and f"Added to {ref}" in thanks[0].text and "removed" in thanks[0].text
    [note] = [c for c in reply if c.params.get("thread_ts") == triage_ts]
    assert note.params["channel"] == "C0TRIAGE" and "now ward 4 too" in note.text and "5919" not in note.text
    history = bot.services.issues.history(bot.services.issues.find(ref))  # type: ignore[arg-type]
    assert [e.action.value for e in history][-1] == "note"
    assert "5919" not in bot.fake.everything()
    bot.dm("thanks!", user=NURSE, channel=notice.channel, thread_ts=notice.ts)
    assert "welcome" in bot.fake.wait_for("chat.postMessage", count=5)[-1].text.lower()
    assert [e.action.value for e in bot.services.issues.history(bot.services.issues.find(ref))].count(
        "note"
    ) == 1  # type: ignore[arg-type]
    with bot.services.db.session() as session:
        from bot.store.answers import UnansweredRow

        assert session.query(UnansweredRow).count() == 0  # not taken for a question the bot cannot answer


def _sent_notices(bot: RunningBot, ref: str, action: str) -> list[outbox.Item]:
    """The reporter's updates about `action` once Slack has them (delivery runs on its own thread)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        sent = [
            i
            for i in outbox.items_for(bot.services.db, "issue.notice", ref)
            if i.payload["action"] == action and i.ts
        ]
        if sent:
            return sent
        time.sleep(0.02)
    raise AssertionError(f"no {action} notice was sent")


def test_a_reply_to_the_update_on_a_resolved_issue_says_it_calls_nobody_and_how_to_reopen(bot) -> None:
    ref = log_issue(bot, severity="P1", safety=True)
    bot.fake.wait_quiet()
    bot.services.issues.resolve(ref, CSO, bot.services.membership, "fixed", "Wristbands reprinted")
    bot.services.deliver_soon()
    resolved = _sent_notices(bot, ref, "resolve")
    bot.fake.wait_quiet()
    seen = len(bot.fake.calls_to("chat.postMessage"))
    reply = {"type": "app_mention", "user": NURSE, "channel": resolved[0].channel, "ts": "1800000000.000100",
             "thread_ts": resolved[0].ts, "text": "<@U0BOT> no, still happening on ward 4"}  # fmt: skip
    for event in (reply, {**reply, "type": "message", "channel_type": "im"}):  # one DM, two events
        bot.send_event(event)
    bot.fake.wait_for("chat.postMessage", count=seen + 2, timeout=15)  # the reply and the team's note
    bot.fake.wait_quiet()
    told = [
        c.text for c in bot.fake.calls_to("chat.postMessage")[seen:] if c.params.get("channel") != "C0TRIAGE"
    ]
    assert len(told) == 1 and "the support team is not alerted" in told[0] and ib.STILL_A_PROBLEM in told[0]
    history = bot.services.issues.history(bot.services.issues.find(ref))  # type: ignore[arg-type]
    assert [e.action.value for e in history].count("note") == 1


def test_a_long_reply_is_cleaned_before_it_is_cut_so_no_part_of_a_number_is_kept(bot) -> None:
    ref = log_issue(bot)
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    notice = outbox.items_for(bot.services.db, "issue.notice", ref)[0]
    bot.dm("x" * 1994 + " 943 476 5919 end", user=NURSE, channel=notice.channel, thread_ts=notice.ts)
    bot.fake.wait_for("chat.postMessage", count=4)
    bot.fake.wait_quiet()
    assert "943 476 59" not in bot.fake.everything()


def test_a_report_that_fails_after_the_form_said_still_saving_is_sent_back_to_the_reporter(
    bot, monkeypatch, slow_forms
) -> None:
    go = slow_forms()

    def slow_failure(*_: object, **__: object) -> None:
        go.wait(5)
        raise OSError("database gone")

    monkeypatch.setattr(bot.services.issues, "report", slow_failure)
    first = submit(bot, "V1", details="Every label blank, patient 943 476 5919")
    assert "Still saving" in first["errors"]["summary"]
    go.set()
    [told] = bot.fake.wait_for("chat.postMessage")
    assert told.params["channel"] == NURSE and "Not saved" in told.text
    assert "Every label blank" in told.text and "5919" not in told.text


def test_a_yes_replied_under_is_the_problem_sorted_reaches_the_team(bot) -> None:
    """The update on a resolved issue asks 'Is the problem sorted for you?' and says to reply in its
    thread to add to the issue. A reporter who typed 'yes' there was told 'You're welcome' and nothing
    reached the team, since an acknowledgement had become thanks: under a post, it is a reply to it."""
    ref = log_issue(bot)
    bot.fake.wait_quiet()
    bot.services.issues.resolve(ref, TEAM, bot.services.membership, "fixed", "Driver reinstalled")
    bot.services.deliver_soon()
    [resolved] = _sent_notices(bot, ref, "resolve")
    bot.fake.wait_quiet()
    seen = len(bot.fake.calls_to("chat.postMessage"))
    bot.dm("yes", user=NURSE, channel=resolved.channel, thread_ts=resolved.ts)
    bot.fake.wait_for("chat.postMessage", count=seen + 1)
    bot.fake.wait_quiet()
    calls = bot.fake.calls_to("chat.postMessage")[seen:]
    told = [c.params["text"] for c in calls if c.params["channel"] != "C0TRIAGE"]
    assert len(told) == 1 and "welcome" not in told[0].lower() and ref in told[0], told
    history = bot.services.issues.history(bot.services.issues.find(ref))  # type: ignore[arg-type]
    assert [e.detail for e in history if e.action.value == "note"] == ["yes"]
