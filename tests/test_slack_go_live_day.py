"""Go-live day in Slack as a hurried ward nurse, a junior doctor and a ward clerk use it: colleagues
pressing each other's buttons, second thoughts, and what the bot says when it cannot help. End to
end: the real app over HTTP, signed requests, the fake Slack Web API."""

from __future__ import annotations

import itertools
import json
from typing import Any

from slack_harness import KNOWLEDGE, REPO, RunningBot, write_knowledge
from sqlalchemy import select

from bot.store.answers import FeedbackRow, UnansweredRow


def _buttons(call: Any) -> list[dict[str, Any]]:
    return [e for b in call.params.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def _button(call: Any, label: str) -> dict[str, Any]:
    return next(b for b in _buttons(call) if b["text"]["text"] == label)


def _suggestions(bot: RunningBot) -> Any:
    """A nurse's close call in the ward channel: 'Did you mean' SNOMED CT or BAU."""
    bot.mention("bau snomed", user="U0NURSE", channel="C0WARD")
    [offer] = bot.fake.wait_for("chat.postMessage")
    return offer


def test_a_colleagues_pick_of_a_suggestion_is_shown_to_them_and_leaves_the_asker_her_suggestions(
    slack_bot,
) -> None:
    """A junior doctor reading the thread presses 'SNOMED CT' under the nurse's question: he sees that
    answer privately; the nurse's suggestions stay in the thread for her to choose from."""
    bot = slack_bot()
    pick = _button(_suggestions(bot), "SNOMED CT")
    offer = {"type": "message", "ts": "1700000000.000100", "text": "", "blocks": []}
    bot.action(pick["action_id"], pick["value"], user="U0DOCTOR", channel="C0WARD", message=offer)
    [shown] = bot.fake.wait_for("response_url")
    assert shown.params["replace_original"] is False and shown.params["response_type"] == "ephemeral"
    assert "structured clinical vocabulary" in shown.text and "<@U0NURSE>" in shown.text, shown.text

    bot.action(pick["action_id"], pick["value"], user="U0NURSE", channel="C0WARD", message=offer)
    replaced = bot.fake.wait_for("response_url", count=2)[1]
    assert replaced.params["replace_original"] is True and "structured clinical vocabulary" in replaced.text


def test_a_close_call_reads_as_one_question_in_the_notification_and_the_message(slack_bot) -> None:
    """The notification on a locked phone is all a busy clerk reads: one question mark, not two, after
    a title that is itself a question; and one suggestion is not asked about as 'which'."""
    bot = slack_bot()
    bot.mention("snomed login", channel="C0WARD")
    bot.mention("what is snomed see here bold", channel="C0WARD")
    two, one = sorted(bot.fake.wait_for("chat.postMessage", count=2), key=lambda c: len(_buttons(c)))[::-1]
    assert two.params["text"] == "Did you mean: SNOMED CT, How do I get a login?", two.params["text"]
    assert "which you mean" in two.text
    assert [b["text"]["text"] for b in _buttons(one)] == ["SNOMED CT", "None of these"]
    assert "which" not in one.text and "*Did you mean ...*" in one.text, one.text


def test_a_second_thought_on_feedback_is_answered_not_ignored(slack_bot) -> None:
    """The nurse pressed 'Yes, it helped', read on, and pressed 'No': her first answer is kept, and she
    is told so, with where to get help, rather than her press doing nothing."""
    bot = slack_bot()
    bot.mention("what is snomed", user="U0NURSE", channel="C0WARD")
    [answer] = bot.fake.wait_for("chat.postMessage")
    message = {"type": "message", "ts": "1700000000.000300", "text": "", "blocks": []}
    for n, label in enumerate(("Yes, it helped", "No"), 1):
        pressed = _button(answer, label)
        bot.action(pressed["action_id"], pressed["value"], user="U0NURSE", channel="C0WARD", message=message)
        bot.fake.wait_for("response_url", count=n)  # she reads the thanks, then thinks again
    thanks, second = bot.fake.calls_to("response_url")
    assert "glad it helped" in thanks.text
    assert second.params["response_type"] == "ephemeral" and second.params["replace_original"] is False
    assert "already told me" in second.text and "/golive contact" in second.text, second.text
    with bot.services.db.session() as session:
        assert [r.helpful for r in session.scalars(select(FeedbackRow))] == [True]


def test_the_app_home_tells_a_newcomer_how_to_ask_a_question(slack_bot) -> None:
    """A ward clerk who finds the bot in Slack's app list opens its Home tab first: it must say how to
    ask, not only show issue counts she has no use for."""
    bot = slack_bot()
    bot.send_event({"type": "app_home_opened", "user": "U0CLERK", "channel": "D0CLERK", "tab": "home"})
    [home] = bot.fake.wait_for("views.publish")
    shown = json.dumps(home.params["view"]["blocks"][:2])
    assert "*Messages* tab" in shown and "`/golive <question>`" in shown and "`/golive contact`" in shown
    assert "Open issues: 0" in home.text


def test_a_thumbs_up_is_thanks_wherever_it_is_sent_not_a_call_for_the_whole_help(slack_bot) -> None:
    """Slack sends an emoji as its code (':thumbsup:'). The console read one alone as thanks, as the bot
    does ':+1:', but Slack answered a nurse's thumbs-up with the whole help, as if she had sent nothing."""
    bot = slack_bot()
    bot.dm(":thumbsup:", user="U0NURSE", channel="D0NURSE")
    bot.mention(":ok_hand: :pray:", user="U0NURSE", channel="C0WARD")
    said = [c.params["text"] for c in bot.fake.wait_for("chat.postMessage", count=2)]
    bot.command(":white_check_mark:", user="U0NURSE")
    said.append(bot.fake.wait_for("response_url")[0].params["text"])
    assert all(s.startswith("You're welcome.") for s in said), said


def test_a_user_group_called_in_a_question_is_who_should_look_not_what_is_asked(slack_bot) -> None:
    """'@floorwalkers @golive what does BAU mean': the group's name is who the clerk wants to look, as
    a colleague's name or @channel would be, and made it a close call with the Floorwalker entry."""
    bot = slack_bot()
    bot.mention("<!subteam^S0FW|@floorwalkers> what does BAU mean", user="U0CLERK", channel="C0WARD")
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert reply.params["text"] == "BAU" and "Floorwalker" not in reply.text, reply.text


def test_a_mistyped_golive_command_is_offered_the_command_not_noted_as_a_question(slack_bot) -> None:
    """A nurse in a hurry types '/golive isue printer broken': she meant to log an issue. She was told
    'I don't know that one yet', and her typo went into the knowledge base's gaps."""
    bot = slack_bot()
    bot.command("isue printer broken on ward 3", user="U0NURSE")
    bot.command("contacts", user="U0NURSE")
    bot.command("stauts", user="U0NURSE")
    said = [c.params["text"] for c in bot.fake.wait_for("response_url", count=3)]
    assert any("Did you mean `/golive issue printer broken on ward 3`?" in s for s in said), said
    assert any("Did you mean `/golive contact`?" in s for s in said), said
    assert any("Did you mean `/golive status`?" in s for s in said), said
    assert all("/golive help" in s for s in said)
    with bot.services.db.session() as session:
        assert list(session.scalars(select(UnansweredRow))) == []


def test_a_question_opening_with_a_word_like_a_command_is_still_answered(slack_bot) -> None:
    bot = slack_bot()
    bot.command("statu of snomed", user="U0NURSE")  # one slip from 'status', and SNOMED is known
    [reply] = bot.fake.wait_for("response_url")
    assert "SNOMED CT" in reply.params["text"] and "/golive status" not in reply.text, reply.text


def test_a_button_on_an_answer_since_taken_out_of_the_knowledge_base_says_so(slack_bot, tmp_path) -> None:
    """The knowledge team took an out-of-date answer out at lunchtime; a doctor presses a button under
    this morning's copy of it. He was told 'That button no longer works', as for a button of ours that
    is not: he must know the answer he read is gone, and that asking again gives the current one."""
    knowledge = write_knowledge(tmp_path / "kb")
    bot = slack_bot(knowledge_dir=knowledge)
    bot.mention("bau snomed", user="U0DOCTOR", channel="C0WARD")
    [offer] = bot.fake.wait_for("chat.postMessage")
    kept = KNOWLEDGE.split("  - id: business-as-usual")[0] + "  - id: get" + KNOWLEDGE.split("  - id: get")[1]
    (knowledge / "entries.yaml").write_text(kept)
    bot.services.answering.reload_if_changed()
    assert bot.services.answering.reload_if_changed() and not bot.services.answering.entry(
        "business-as-usual"
    )
    pick = _button(offer, "BAU")
    message = {"type": "message", "ts": "1700000000.000400", "text": "", "blocks": []}
    bot.action(pick["action_id"], pick["value"], user="U0DOCTOR", channel="C0WARD", message=message)
    vote = {"type": "button", "action_id": "answer_helpful", "value": pick["value"]}
    bot.action(vote["action_id"], vote["value"], user="U0DOCTOR", channel="C0WARD", message=message)
    for told in bot.fake.wait_for("response_url", count=2):
        assert told.params["replace_original"] is False and told.params["response_type"] == "ephemeral"
        assert "taken out of my knowledge base" in told.text and "ask" in told.text.lower(), told.text


def test_help_slack_will_not_post_where_it_was_asked_reaches_the_asker(slack_bot) -> None:
    """A ward manager asks for help in a channel archived a moment later. An answer to a question went
    on to her direct messages; the help, a greeting or a thanks was dropped without a word."""
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", error="is_archived", times=2)
    bot.mention("help", user="U0MANAGER", channel="C0GONE")
    [posted] = bot.fake.wait_for("chat.postMessage", timeout=15)
    assert posted.params["channel"] == "U0MANAGER", posted.params
    assert "where you asked" in posted.text and "/golive issue" in posted.text, posted.text


_edits = itertools.count(1)


def _edit(bot: RunningBot, before: str, after: str, **message: Any) -> None:
    """Slack's event when someone edits a direct message to the bot (or Slack unfurls a link in it)."""
    edited = {"type": "message", "user": "U0NURSE", "text": after, "ts": "1700000000.000600", **message}
    at = f"1700000050.{next(_edits):06d}"  # each edit's event has its own ts
    bot.send_event({
        "type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D0NURSE",
        "hidden": True, "message": edited, "ts": at, "event_ts": at,
        "previous_message": {"type": "message", "user": "U0NURSE", "text": before, "ts": "1700000000.000600"},
    })  # fmt: skip


def test_a_question_edited_in_a_direct_message_is_answered_as_it_now_reads(slack_bot) -> None:
    """The nurse sent half a question, then edited it to what she meant: the bot said nothing more, and
    its 'I don't know' stood under a question she no longer asks."""
    bot = slack_bot()
    _edit(bot, "what is the", "what is BAU?")
    [answer] = bot.fake.wait_for("chat.postMessage")
    assert answer.params["channel"] == "D0NURSE" and answer.params["text"] == "BAU"
    _edit(bot, "what is snomed?", "what is snomed? how do I get a login?")  # a second question added
    assert [c.params["text"] for c in bot.fake.wait_for("chat.postMessage", count=3)[1:]] == [
        "SNOMED CT",
        "How do I get a login?",
    ]


def test_an_edit_that_changes_no_words_or_is_the_bots_own_gets_no_reply(slack_bot) -> None:
    bot = slack_bot()
    unfurled = [{"from_url": "https://x.nhs.uk", "title": "Intranet"}]
    _edit(bot, "what is BAU <https://x.nhs.uk>", "what is BAU <https://x.nhs.uk>", attachments=unfurled)
    _edit(bot, "what is BAU", "What is  bau")  # no other words
    _edit(bot, "what is snomed for 943 476 5919", "what is snomed")  # the NHS number taken out, as asked
    _edit(bot, "Thanks for asking", "All done", bot_id="B0BOT", user="U0BOT")
    bot.dm("what is snomed", user="U0NURSE", channel="D0NURSE")  # so we know the edits were handled first
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    assert [c.params["text"] for c in bot.fake.calls_to("chat.postMessage")] == ["SNOMED CT"]


def test_the_console_offers_the_command_a_slip_was_meant_to_be_as_slack_does(console) -> None:
    shell, out, _ = console
    shell.handle("/golive isue printer jammed")
    assert "Did you mean `/golive issue printer jammed`?" in out.getvalue(), out.getvalue()


TWO_QUESTIONS = "what is snomed? how do I get a login?"


def test_two_questions_in_one_message_get_two_answers(slack_bot) -> None:
    """A junior doctor asks two things at once. He was offered 'Did you mean' the two, and picking one
    replaced the offer, so the other answer was lost; each question is now answered, each with its own
    feedback buttons."""
    bot = slack_bot()
    bot.mention(TWO_QUESTIONS, user="U0DOCTOR", channel="C0WARD")
    answers = bot.fake.wait_for("chat.postMessage", count=2)
    assert [a.params["text"] for a in answers] == ["SNOMED CT", "How do I get a login?"]
    assert len({a.params["thread_ts"] for a in answers}) == 1
    values = [json.loads(_button(a, "Yes, it helped")["value"])["q"] for a in answers]
    assert values == ["what is snomed?", "how do I get a login?"]  # each vote is on its own question
    bot.command(TWO_QUESTIONS, user="U0DOCTOR")
    said = [c.params["text"] for c in bot.fake.wait_for("response_url", count=2)]
    assert said == ["SNOMED CT", "How do I get a login?"]
    with bot.services.db.session() as session:
        assert list(session.scalars(select(UnansweredRow))) == []


def test_the_console_answers_two_questions_as_slack_does(console) -> None:
    shell, out, _ = console
    shell.handle(TWO_QUESTIONS)
    assert "structured clinical vocabulary" in out.getvalue() and "access request" in out.getvalue()


def test_opening_the_bots_messages_tab_for_the_first_time_says_what_to_ask_once(slack_bot) -> None:
    """A ward clerk opens the bot's Messages tab and finds an empty conversation: nothing says what to
    type. She is greeted once, with examples this knowledge base answers; later visits say nothing."""
    bot = slack_bot()
    opened = {"type": "app_home_opened", "user": "U0CLERK", "channel": "D0CLERK", "tab": "messages"}
    bot.send_event(opened)
    [welcome] = bot.fake.wait_for("chat.postMessage")
    assert welcome.params["channel"] == "D0CLERK" and welcome.params["text"].startswith("Hi!")
    assert "`what is BAU?`" in welcome.text and "*help*" in welcome.text
    bot.send_event(opened)
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_an_edit_adding_a_question_is_answered_where_the_whole_reads_as_the_first(slack_bot) -> None:
    """With the shipped knowledge base 'what is snomed? how do I get a login?' read as one question is
    the SNOMED answer again: the edit is judged by the answers to each question it asks too."""
    bot = slack_bot(knowledge_dir=REPO / "knowledge")
    _edit(bot, "what is snomed?", "what is snomed? how do I get a login?")
    answers = bot.fake.wait_for("chat.postMessage", count=2)
    assert [a.params["text"] for a in answers] == ["SNOMED CT", "How do I get a login for the new system?"]


def test_an_email_address_in_a_question_is_who_it_is_for_not_what_is_asked(slack_bot) -> None:
    """Slack links an address typed in a message: 'what is snomed? asking for jo.bloggs@nhs.net' was not
    known, as the address's words were read as part of the question."""
    bot = slack_bot()
    bot.mention("what is snomed <mailto:jo.bloggs@nhs.net|jo.bloggs@nhs.net>", user="U0CLERK")
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert reply.params["text"] == "SNOMED CT", reply.text


def test_a_note_on_an_issue_keeps_the_group_and_address_it_names(slack_bot) -> None:
    """What a question leaves out as who it is for is what a note on an issue must keep: the team
    reading it needs to know who was called and where to write back."""
    from test_slack_issues import NURSE
    from test_slack_reply_fixes import _issue_bot, _to

    bot, ref = _issue_bot(slack_bot)
    address = "<mailto:ward3@nhs.net|ward3@nhs.net>"
    typed = f"{ref} <!subteam^S0FW|@floorwalkers> came, still broken: write to {address}"
    bot.dm(typed, user=NURSE, channel="D0NURSE")
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    [note] = _to(bot, "C0TRIAGE")
    assert "floorwalkers came" in note.text and "ward3@nhs.net" in note.text, note.text


def test_an_edited_note_on_an_issue_is_not_answered_as_a_question(slack_bot) -> None:
    """The nurse told the bot in a direct message that her issue was still broken (added to it), then
    edited the note to say more. The edit read as another question, so she was told 'That is already
    added', as if her new words were: a note, like a thread reply, is added once and its edits get none."""
    from test_slack_issues import NURSE
    from test_slack_reply_fixes import _issue_bot, _to

    bot, ref = _issue_bot(slack_bot)
    note = f"{ref} still broken"
    bot.dm(note, user=NURSE, channel="D0NURSE", ts="1700000000.000600")
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    bot.fake.calls.clear()
    _edit(bot, note, f"{note}, and what is snomed?")
    bot.dm("what is BAU", user=NURSE, channel="D0NURSE")  # so we know the edit was handled first
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    said = [c.params["text"] for c in _to(bot, "D0NURSE")]
    assert said == ["BAU"], said
