"""Replies in Slack, from a review that attacked the Slack layer: issue references in questions, a
reporter answering an update at the top of the direct message, whose question 'None of these' is,
the people a message names when it is logged, and the thanks for 'Yes, it helped'. End to end: the
real app over HTTP, signed requests, the fake Slack Web API."""

from __future__ import annotations

import json
from typing import Any

from slack_harness import RunningBot
from sqlalchemy import select
from test_slack_issues import NURSE, ORG, OTHER, START, TEAM, log_issue

from bot.clock import ManualClock
from bot.store.answers import UnansweredRow


def _buttons(call: Any) -> list[dict[str, Any]]:
    return [e for b in call.params.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def _gaps(bot: RunningBot) -> list[UnansweredRow]:
    with bot.services.db.session() as session:
        return list(session.scalars(select(UnansweredRow)))


def _issue_bot(slack_bot: Any) -> tuple[RunningBot, str]:
    """A bot with one issue, GL-0001, logged by the nurse and delivered; the fake's calls cleared."""
    bot = slack_bot(org=ORG, clock=ManualClock(START))
    ref = log_issue(bot, "V1")
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    bot.fake.calls.clear()
    return bot, ref


# -- 1. a reference is an issue, not a question for the knowledge base -------------------------------


def test_golive_issues_with_a_reference_lists_that_issue(slack_bot) -> None:
    bot, ref = _issue_bot(slack_bot)
    bot.command(f"issues {ref}", user=OTHER)
    [reply] = bot.fake.wait_for("response_url")
    assert "No open issues" not in reply.text and ref in reply.text, reply.text
    assert "Wristband printer prints blank labels" in reply.text and "New" in reply.text


def test_a_closed_issue_is_found_by_its_reference_with_its_status(slack_bot) -> None:
    bot, ref = _issue_bot(slack_bot)
    bot.services.issues.resolve(ref, TEAM, bot.services.membership, "fixed", "Driver reinstalled")
    bot.command(f"issues {ref.lower()}", user=OTHER)
    [reply] = bot.fake.wait_for("response_url")
    assert ref in reply.text and "Resolved by" in reply.text, reply.text


def test_golive_with_a_reference_answers_with_the_issue_not_a_gap(slack_bot) -> None:
    bot, ref = _issue_bot(slack_bot)
    bot.command(ref, user=OTHER)
    bot.command(f"status {ref}", user=OTHER)
    replies = bot.fake.wait_for("response_url", count=2)
    for reply in replies:
        assert "I don't know that one yet" not in reply.text and ref in reply.text, reply.text
        assert "Wristband printer prints blank labels" in reply.text
    assert _gaps(bot) == []


def test_a_mention_asking_after_a_reference_is_answered_with_its_status_and_pings_nobody(slack_bot) -> None:
    bot, ref = _issue_bot(slack_bot)
    bot.services.issues.acknowledge(ref, TEAM, bot.services.membership)
    bot.services.deliver_soon()
    bot.fake.wait_quiet()
    bot.fake.calls.clear()
    bot.mention(f"any update on {ref}?", user=OTHER, channel="C0WARD")
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert reply.params["channel"] == "C0WARD" and reply.params["thread_ts"]
    assert "I don't know that one yet" not in reply.text and ref in reply.text, reply.text
    assert "Acknowledged" in reply.text and "<@" not in reply.text  # in a channel: calls nobody over
    assert _gaps(bot) == []


def test_a_mention_naming_an_issue_and_a_patient_gets_the_privacy_note_too(slack_bot) -> None:
    """The identifiers stay visible in the channel until the person edits their message: they must be
    told, whatever else the message asks."""
    bot, ref = _issue_bot(slack_bot)
    bot.mention(f"{ref} still not fixed, patient Mrs Jones NHS 943 476 5919 waiting", user=OTHER)
    [note] = bot.fake.wait_for("chat.postEphemeral")
    assert note.params["user"] == OTHER and "removed 1 NHS number" in note.text, note.text
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert ref in reply.text and "5919" not in bot.fake.everything() and "Jones" not in reply.text


def test_a_reference_no_issue_has_says_so(slack_bot) -> None:
    bot, _ = _issue_bot(slack_bot)
    bot.command("GL-0099", user=OTHER)
    [reply] = bot.fake.wait_for("response_url")
    assert "There is no issue GL-0099" in reply.text and _gaps(bot) == []


def test_the_console_answers_a_reference_as_slack_does(console) -> None:
    from bot.issues.model import Draft

    shell, out, services = console
    draft = Draft("Printer jams", "Every label", "Ward 3", "Printing", "P3", "bleep 1234")
    ref = services.issues.report(draft, NURSE).issue.reference  # type: ignore[union-attr]
    for line in (ref, f"/golive status {ref}", f"/golive issues {ref}"):
        shell.handle(line)
    shown = out.getvalue()
    assert shown.count("Printer jams") == 3 and "I don't know" not in shown, shown


# -- 2. a reporter answering an update at the top of the direct message ---------------------------------


def _history(bot: RunningBot, ref: str) -> list[str]:
    return [e.action.value for e in bot.services.issues.history(bot.services.issues.find(ref))]  # type: ignore[arg-type]


def _to(bot: RunningBot, channel: str) -> list[Any]:
    return [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == channel]


def test_every_update_says_a_reply_in_its_thread_is_added_to_the_issue(slack_bot) -> None:
    bot = slack_bot(org=ORG, clock=ManualClock(START))
    ref = log_issue(bot, "V1")
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.services.issues.acknowledge(ref, TEAM, bot.services.membership)
    bot.services.deliver_soon()
    bot.fake.wait_quiet()
    updates = _to(bot, NURSE)
    assert len(updates) == 2 and all(f"Reply in this thread to add to {ref}" in u.text for u in updates)


def test_a_reporter_naming_their_issue_at_the_top_of_the_dm_adds_to_it_as_a_thread_reply_would(
    slack_bot,
) -> None:
    bot, ref = _issue_bot(slack_bot)
    bot.dm(f"{ref} is still not working on ward 3, patient 943 476 5919", user=NURSE, channel="D0NURSE")
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    [told] = [c.text for c in _to(bot, "D0NURSE")]
    assert f"Added to {ref}" in told and "removed" in told and "I don't know" not in told, told
    [note] = _to(bot, "C0TRIAGE")
    assert note.params["thread_ts"] and "still not working on ward 3" in note.text
    assert _history(bot, ref)[-1] == "note" and _gaps(bot) == []
    assert "5919" not in bot.fake.everything()


def test_a_gloucester_postcode_is_no_reference_to_an_issue(slack_bot) -> None:
    """GL1 3NN is Gloucestershire Royal's postcode: read as GL-0001, a reporter's question went onto
    their issue as a note and was never answered."""
    bot, ref = _issue_bot(slack_bot)
    assert ref == "GL-0001"
    bot.dm("The label printer at Gloucestershire Royal (GL1 3NN) keeps jamming, who do I call?",
           user=NURSE, channel="D0NURSE")  # fmt: skip
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    assert not [c for c in _to(bot, "D0NURSE") if "Added to" in c.text]
    assert _to(bot, "C0TRIAGE") == [] and _history(bot, ref)[-1] != "note"


def test_references_are_found_however_staff_chase_them_and_postcodes_never() -> None:
    from bot.issues.model import references_in

    for chased in ("GL-0042 2nd time asking", "chasing gl-42 3rd time", "GL-42 9am", "(GL0042).", "#GL-0042"):
        assert references_in(chased) == ["GL-0042"], chased
    for place in ("GL1 3NN", "gl50 1ab", "GL501AA", "GL56 9ZZ"):
        assert references_in(f"the printer at {place} jams") == [], place


def test_the_person_an_issue_was_logged_for_may_add_to_it_from_the_top_of_the_dm(slack_bot) -> None:
    from bot.issues.model import Draft

    bot, _ = _issue_bot(slack_bot)
    draft = Draft("Cannot log in", "Smartcard refused", "Ward 3", "Login and access", "P2", "bleep 9",
                  raised_by="U0STAFF")  # fmt: skip
    ref = bot.services.issues.report(draft, NURSE).issue.reference  # type: ignore[union-attr]
    bot.dm(f"re {ref}: it refuses my colleague's card too", user="U0STAFF", channel="D0STAFF")
    bot.fake.wait_quiet()
    assert _history(bot, ref)[-1] == "note"
    assert any(f"Added to {ref}" in c.text for c in _to(bot, "D0STAFF"))


def test_someone_naming_an_issue_that_is_not_theirs_is_told_how_to_add_and_nothing_is_added(
    slack_bot,
) -> None:
    bot, ref = _issue_bot(slack_bot)
    bot.dm(f"{ref} is happening on ward 9 too", user=OTHER, channel="D0OTHER")
    [told] = bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    assert "note" not in _history(bot, ref) and _to(bot, "C0TRIAGE") == []
    assert f"not added this to {ref}" in told.text and "/golive issue" in told.text, told.text
    assert "I don't know" not in told.text and _gaps(bot) == []
    bot.fake.calls.clear()
    bot.dm(f"{ref} here too, pt 943 476 5919", user=OTHER, channel="D0OTHER")
    [told] = bot.fake.wait_for("chat.postMessage")
    assert "removed 1 NHS number" in told.text and "please edit or delete it" in told.text
    assert "5919" not in bot.fake.everything()


def test_a_reporter_sending_only_the_reference_gets_its_status_and_adds_nothing(slack_bot) -> None:
    bot, ref = _issue_bot(slack_bot)
    bot.dm(f"{ref}?", user=NURSE, channel="D0NURSE")
    [told] = bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    assert "Wristband printer prints blank labels" in told.text and "note" not in _history(bot, ref)


# -- 3. 'None of these' belongs to whoever asked -----------------------------------------------------


def _none_button(bot: RunningBot) -> dict[str, Any]:
    bot.mention("bau snomed", user="U0ASKER")
    [suggested] = bot.fake.wait_for("chat.postMessage")
    [none] = [b for b in _buttons(suggested) if b["action_id"] == "answer_none_of_these"]
    return none


def _triage_text(bot: RunningBot) -> str:
    bot.fake.wait_quiet()
    [triage] = _to(bot, "C0TRIAGE")
    return json.dumps(triage.params["blocks"])


def test_a_bystanders_none_of_these_is_noted_under_the_asker_and_leaves_them_their_suggestions(
    slack_bot,
) -> None:
    bot = slack_bot()
    none = _none_button(bot)
    offer = {"type": "message", "ts": "1700000000.000100", "text": "", "blocks": []}
    bot.action(none["action_id"], none["value"], user="U0BYSTANDER", message=offer)
    [told] = bot.fake.wait_for("response_url")
    assert told.params["replace_original"] is False and told.params["response_type"] == "ephemeral"
    assert "<@U0ASKER>" in told.text and _buttons(told) == [], told.text
    [gap] = _gaps(bot)
    assert (gap.question, gap.user_id) == ("bau snomed", "U0ASKER")

    bot.action(none["action_id"], none["value"], user="U0ASKER", message=offer)  # the asker decides
    replaced = bot.fake.wait_for("response_url", count=2)[1]
    assert replaced.params["replace_original"] is True and len(_gaps(bot)) == 1
    [pass_on] = _buttons(replaced)
    bot.action(pass_on["action_id"], pass_on["value"], user="U0BYSTANDER")  # anyone may pass it on
    shown = _triage_text(bot)
    assert "asked by <@U0ASKER>, passed on by <@U0BYSTANDER>" in shown, shown


def test_the_asker_pressing_none_of_these_passes_it_on_as_theirs(slack_bot) -> None:
    bot = slack_bot()
    none = _none_button(bot)
    bot.action(none["action_id"], none["value"], user="U0ASKER")
    [pass_on] = _buttons(bot.fake.wait_for("response_url")[0])
    bot.action(pass_on["action_id"], pass_on["value"], user="U0ASKER")
    shown = _triage_text(bot)
    assert "asked by <@U0ASKER>" in shown and "passed on by" not in shown, shown


def test_an_asker_forged_into_the_button_is_not_believed(slack_bot) -> None:
    bot = slack_bot()
    none = _none_button(bot)
    for forged in ("<!channel>", "U0ASKER> <!here", "u0lower", 42, "U" + "X" * 500):
        value = json.loads(none["value"]) | {"a": forged}
        bot.action(none["action_id"], json.dumps(value), user="U0CLICKER")
    bot.fake.wait_for("response_url", count=5)
    bot.fake.wait_quiet()
    assert {gap.user_id for gap in _gaps(bot)} == {"U0CLICKER"}
    assert "!channel" not in bot.fake.everything() and "!here" not in bot.fake.everything()


# -- 4. 'Log as go-live issue' keeps the people a message names ----------------------------------------


def _prefilled(bot: RunningBot, text: str) -> str:
    from bot.slack.issues import MESSAGE_SHORTCUT

    bot.message_action(MESSAGE_SHORTCUT, {"text": text, "ts": "1700000001.000100", "user": NURSE})
    [opened] = bot.fake.wait_for("views.open")
    details = next(b for b in opened.params["view"]["blocks"] if b.get("block_id") == "details")
    return details["element"]["initial_value"]


def test_a_message_logged_as_an_issue_keeps_the_people_it_names_by_their_slack_names(slack_bot) -> None:
    bot = slack_bot(org=ORG, clock=ManualClock(START))
    bot.fake.display_names["U0JOE"] = "Joe B"  # Sue set none: her real name is shown
    text = "<@U0JOE> can't log in on ward 4, <@U0SUE> too. <@U0JOE> tried twice"
    assert _prefilled(bot, text) == "@Joe B can't log in on ward 4, @User U0SUE too. @Joe B tried twice"
    assert len(bot.fake.calls_to("users.info")) == 2  # once each


def test_a_name_slack_will_not_give_is_someone_and_never_a_mention(slack_bot) -> None:
    bot = slack_bot(org=ORG, clock=ManualClock(START))
    bot.fake.fail("users.info", error="missing_scope", times=5)
    prefilled = _prefilled(bot, "<@U0JOE> can't log in on ward 4, <@U0SUE|sue> too")
    assert prefilled == "@someone can't log in on ward 4, @sue too", prefilled


def test_a_slow_name_look_up_does_not_keep_the_form_from_opening(slack_bot) -> None:
    import time

    bot = slack_bot(org=ORG, clock=ManualClock(START))
    bot.fake.slow("users.info", 4)
    started = time.monotonic()
    prefilled = _prefilled(bot, "<@U0JOE> can't log in on ward 4")
    assert time.monotonic() - started < 2.5 and prefilled == "@someone can't log in on ward 4"
    bot.fake.slow("users.info", 0)


# -- 5. 'Yes, it helped' thanks, and does not post the answer again -------------------------------------

ANSWERED = "structured clinical vocabulary"  # in the answer to 'what is snomed'


def _yes(call: Any) -> dict[str, Any]:
    return next(b for b in _buttons(call) if b["action_id"] == "answer_helpful")


def test_yes_in_a_channel_thanks_the_clicker_alone_and_posts_nothing_again(slack_bot) -> None:
    bot = slack_bot()
    bot.mention("what is snomed")
    yes = _yes(bot.fake.wait_for("chat.postMessage")[0])
    bot.action(yes["action_id"], yes["value"], user="U0OTHER")
    [thanks] = bot.fake.wait_for("response_url")
    assert thanks.params["response_type"] == "ephemeral" and thanks.params["replace_original"] is False
    assert "glad it helped" in thanks.text and ANSWERED not in thanks.text, thanks.text


def test_yes_under_a_private_golive_answer_replaces_it_with_the_answer_and_the_thanks(slack_bot) -> None:
    bot = slack_bot()
    bot.command("what is snomed")
    yes = _yes(bot.fake.wait_for("response_url")[0])
    clicked = {"type": "button", "action_id": yes["action_id"], "block_id": "b1", "value": yes["value"]}
    bot.interactive({  # as Slack sends a click on an ephemeral message: no `message` in it
        "type": "block_actions", "user": {"id": "U0ASKER"}, "trigger_id": "t1", "actions": [clicked],
        "container": {"type": "message", "message_ts": "1700000000.000200", "channel_id": "C0GENERAL",
                      "is_ephemeral": True},
        "channel": {"id": "C0GENERAL"}, "response_url": bot.fake.response_url("ephemeral-answer"),
    })  # fmt: skip
    replaced = bot.fake.wait_for("response_url", count=2)[1]
    assert replaced.params["replace_original"] is True and _buttons(replaced) == []
    assert replaced.text.count(ANSWERED) == 1 and "glad it helped" in replaced.text


def test_yes_in_a_direct_message_leaves_the_answer_without_its_buttons(slack_bot) -> None:
    bot = slack_bot()
    bot.dm("what is snomed")
    yes = _yes(bot.fake.wait_for("chat.postMessage")[0])
    bot.action(yes["action_id"], yes["value"], channel="D0ASKER")
    [replaced] = bot.fake.wait_for("response_url")
    assert replaced.params["replace_original"] is True and _buttons(replaced) == []
    assert replaced.text.count(ANSWERED) == 1 and "glad it helped" in replaced.text


def test_yes_in_the_console_thanks_without_showing_the_answer_again(console) -> None:
    shell, out, _ = console
    shell.handle("what is snomed")
    shell.handle("1")
    assert out.getvalue().count(ANSWERED) == 1
    assert "Thanks, glad it helped." in out.getvalue()
