"""Staff ask questions in Slack and get answers: over HTTP, signed as Slack signs, against a fake Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from slack_harness import org_config
from sqlalchemy import select

from bot.clock import ManualClock
from bot.config import Channels
from bot.slack import blocks
from bot.store.answers import FeedbackRow, UnansweredRow
from bot.store.database import Database

NHS_TEST_NUMBER = "999 000 0018"  # valid check digit, from the range kept for testing


def buttons(call) -> list[dict]:
    return [e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]


def shown_text(call) -> str:
    return json.dumps(call.params["blocks"])


def rows(db: Database, table) -> list:
    with db.session() as session:
        return list(session.scalars(select(table)))


def test_a_mention_is_answered_in_its_thread(slack_bot):
    bot = slack_bot()
    assert bot.mention("what is snomed?", channel="C0WARD1").status == 200
    reply = bot.fake.wait_for("chat.postMessage")[0]
    assert reply.params["channel"] == "C0WARD1"
    assert reply.params["thread_ts"]  # in the thread, not the channel
    assert "SNOMED CT" in shown_text(reply)
    assert [b["text"]["text"] for b in buttons(reply)] == ["Yes, it helped", "No"]


def test_a_mention_inside_a_thread_replies_in_that_thread(slack_bot):
    bot = slack_bot()
    bot.mention("what does BAU mean", thread_ts="1700000000.000100")
    assert bot.fake.wait_for("chat.postMessage")[0].params["thread_ts"] == "1700000000.000100"


def test_a_direct_message_is_answered_in_the_conversation(slack_bot):
    bot = slack_bot()
    bot.dm("how do i get a login", channel="D0NURSE")
    reply = bot.fake.wait_for("chat.postMessage")[0]
    assert reply.params["channel"] == "D0NURSE"
    assert "access request" in shown_text(reply)


def test_bot_posts_edits_and_other_subtypes_get_no_reply(slack_bot):
    bot = slack_bot()
    bot.dm("what is snomed", bot_id="B0OTHER")
    bot.dm("what is snomed", subtype="message_changed")
    bot.dm("what is snomed", user="U0BOT")  # the bot's own message
    bot.dm("what is BAU")  # a real question, so we know the others were processed first
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    assert [c.params["text"] for c in bot.fake.calls_to("chat.postMessage")] == ["BAU"]


def test_a_bare_mention_or_help_gets_the_help(slack_bot):
    bot = slack_bot()
    bot.mention("")
    bot.dm("help")
    bot.mention("?")
    replies = bot.fake.wait_for("chat.postMessage", count=3)
    assert all("/golive help" in shown_text(c) and "/golive issue" in shown_text(c) for c in replies)


GREETING = (
    "Hi! Ask me what a term means or how to do something on the new system, e.g. `what is BAU?` or"
    " `how do I get a login?`.\nSay *help* to see everything I can do."
)


def test_a_greeting_is_greeted_back_briefly_not_given_the_whole_help(slack_bot):
    """Two lines: what to ask, with examples this knowledge base answers, and how to see the rest."""
    bot = slack_bot()
    bot.dm("hello!", channel="D0NURSE")
    bot.mention("good morning all :wave:", channel="C0WARD1")  # "<@U0BOT> good morning..."
    replies = bot.fake.wait_for("chat.postMessage", count=2)
    assert sorted(c.params["channel"] for c in replies) == ["C0WARD1", "D0NURSE"]
    for reply in replies:
        assert reply.params["text"] == GREETING
        assert [b["text"]["text"] for b in reply.params["blocks"]] == [GREETING]
        assert "/golive" not in shown_text(reply)
    assert next(c for c in replies if c.params["channel"] == "C0WARD1").params["thread_ts"]
    assert rows(bot.services.db, UnansweredRow) == []  # nothing recorded as a question not known


def test_a_greeting_with_a_question_after_it_is_answered(slack_bot):
    bot = slack_bot()
    bot.dm("hi, what is SNOMED?")
    reply = bot.fake.wait_for("chat.postMessage")[0]
    assert "SNOMED CT" in shown_text(reply) and "Say *help*" not in shown_text(reply)
    assert [b["text"]["text"] for b in buttons(reply)] == ["Yes, it helped", "No"]


def test_a_screenshot_sent_without_words_is_told_what_to_do_with_it(slack_bot):
    bot = slack_bot()
    bot.dm("", subtype="file_share", files=[{"id": "F0SHOT", "name": "error.png", "title": "error.png"}])
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert "only read words" in reply.text and "Log as go-live issue" in reply.text


def test_a_very_long_answer_still_fits_in_a_slack_message(slack_bot, tmp_path):
    from slack_harness import write_knowledge

    long_answer = "Step. " * 1000
    kb = write_knowledge(tmp_path / "long", f"entries:\n  - id: epr\n    kind: jargon\n    title: EPR\n"
                                            f"    answer: {long_answer}\n")  # fmt: skip
    bot = slack_bot(knowledge_dir=kb)
    bot.mention("what is EPR")
    section = bot.fake.wait_for("chat.postMessage")[0].params["blocks"][1]
    assert len(section["text"]["text"]) <= 3000


def test_golive_question_is_answered_privately(slack_bot):
    bot = slack_bot()
    assert bot.command("what is a floorwalker").status == 200
    reply = bot.fake.wait_for("response_url")[0]
    assert reply.params["response_type"] == "ephemeral"
    assert "Floorwalker" in shown_text(reply)
    assert bot.fake.calls_to("chat.postMessage") == []


def test_golive_help_explains_what_the_bot_does(slack_bot):
    bot = slack_bot()
    bot.command("help")
    reply = bot.fake.wait_for("response_url")[0]
    assert reply.params["response_type"] == "ephemeral"
    assert "/golive help" in shown_text(reply)
    assert "direct message" in shown_text(reply)


def test_golive_subcommands_added_by_other_surfaces_are_routed_and_listed(slack_bot):
    from bot.slack.commands import add_subcommand

    bot = slack_bot()
    seen = []
    add_subcommand(bot.app, "status", lambda inv: (seen.append(inv.text), inv.reply("all good")), "the phase")
    bot.command("status   today please")
    assert bot.fake.wait_for("response_url")[0].params["text"] == "all good"
    assert seen == ["today please"]
    bot.command("help")
    assert "`/golive status` the phase" in shown_text(bot.fake.wait_for("response_url", 2)[1])
    for typed in ("status: ward 3", "Status, ward 3", "status:ward 3"):  # a colon or comma after the name
        bot.command(typed)
    bot.command("status?")
    bot.fake.wait_for("response_url", 6)
    assert seen == ["today please", "ward 3", "ward 3", "ward 3", ""]


def test_did_you_mean_button_posts_the_chosen_answer(slack_bot):
    bot = slack_bot()
    bot.mention("bau snomed")
    offer = bot.fake.wait_for("chat.postMessage")[0]
    assert "Did you mean" in shown_text(offer)
    choices = {b["text"]["text"]: b for b in buttons(offer)}
    assert set(choices) == {"SNOMED CT", "BAU", "None of these"}
    chosen = choices["BAU"]
    bot.action(chosen["action_id"], chosen["value"], response_url=bot.fake.response_url("offer"))
    posted = bot.fake.wait_for("response_url")[0]
    assert posted.params["replace_original"] is True
    assert "Business as usual" in shown_text(posted)


def test_none_of_these_records_the_question_once_and_offers_to_pass_it_on(slack_bot):
    """A 'Did you mean' that misses is a question the bot could not answer: it must reach the
    knowledge base's gaps and the support team like any other, not be dropped."""
    bot = slack_bot()
    bot.mention("bau snomed", user="U0NURSE")
    offer = bot.fake.wait_for("chat.postMessage")[0]
    none = {b["text"]["text"]: b for b in buttons(offer)}["None of these"]
    message = {"type": "message", "ts": "1700000000.000100", "text": "", "blocks": []}  # the offer
    for _ in range(2):  # a double click
        bot.action(none["action_id"], none["value"], user="U0NURSE", message=message)
    replies = bot.fake.wait_for("response_url", count=2)
    assert all(r.params["replace_original"] is True for r in replies)
    assert "I don't know that one yet" in shown_text(replies[0])
    [row] = rows(bot.services.db, UnansweredRow)
    assert (row.question, row.user_id, row.source) == ("bau snomed", "U0NURSE", "did-you-mean")
    [pass_on] = buttons(replies[0])
    bot.action(pass_on["action_id"], pass_on["value"], user="U0NURSE")
    triage = bot.fake.wait_for("chat.postMessage", count=2)[1]
    assert triage.params["channel"] == "C0TRIAGE" and "bau snomed" in shown_text(triage)


def test_feedback_button_is_recorded(slack_bot):
    bot = slack_bot()
    bot.mention("what is snomed?")
    no = buttons(bot.fake.wait_for("chat.postMessage")[0])[1]
    bot.action(no["action_id"], no["value"], user="U0NURSE")
    thanks = bot.fake.wait_for("response_url")[0]
    assert "Thanks for telling us" in shown_text(thanks)
    [feedback] = rows(bot.services.db, FeedbackRow)
    assert (feedback.entry_id, feedback.helpful, feedback.user_id) == ("snomed-ct", False, "U0NURSE")
    assert feedback.question == "what is snomed?"


def test_unknown_question_can_be_passed_to_the_triage_channel_once(slack_bot):
    bot = slack_bot()
    bot.mention("when does the canteen open", user="U0PORTER")
    offer = bot.fake.wait_for("chat.postMessage")[0]
    assert "I don't know that one yet" in shown_text(offer)
    [pass_on] = buttons(offer)
    bot.action(pass_on["action_id"], pass_on["value"], user="U0PORTER")
    bot.action(pass_on["action_id"], pass_on["value"], user="U0PORTER")  # a double click
    triage = bot.fake.wait_for("chat.postMessage", count=2)[1]
    assert triage.params["channel"] == "C0TRIAGE"
    assert "when does the canteen open" in shown_text(triage) and "<@U0PORTER>" in shown_text(triage)
    assert "Passed to the support team" in shown_text(bot.fake.wait_for("response_url")[0])
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 2
    [row] = rows(bot.services.db, UnansweredRow)
    assert row.passed_to_support and row.question == "when does the canteen open"


def test_passing_on_without_a_triage_channel_says_what_happened(slack_bot):
    bot = slack_bot(org=org_config(channels=Channels()))
    bot.command("when does the canteen open")
    [pass_on] = buttons(bot.fake.wait_for("response_url")[0])
    bot.action(pass_on["action_id"], pass_on["value"])
    notes = [shown_text(c) if "blocks" in c.params else c.params["text"]
             for c in bot.fake.wait_for("response_url", count=2)[1:]]  # fmt: skip
    assert any("No support channel is set up yet" in n and "/golive contact" in n for n in notes)
    assert bot.fake.calls_to("chat.postMessage") == []


def test_a_passed_on_question_is_posted_once_slack_is_back_and_the_asker_told_it_is_queued(slack_bot):
    clock = ManualClock(datetime(2027, 1, 18, 3, 0, tzinfo=UTC))
    bot = slack_bot(clock=clock)
    bot.command("when does the canteen open")
    [pass_on] = buttons(bot.fake.wait_for("response_url")[0])
    bot.fake.fail("chat.postMessage", status=503)  # Slack is down when the question is passed on
    bot.action(pass_on["action_id"], pass_on["value"])
    bot.action(pass_on["action_id"], pass_on["value"])  # a double click while Slack is down
    told = [shown_text(c) for c in bot.fake.wait_for("response_url", count=3)[1:]]
    assert all("It goes to <#C0TRIAGE>" in t and "Passed to the support team" in t for t in told)
    bot.fake.wait_quiet()
    assert bot.fake.calls_to("chat.postMessage") == []
    assert [a.method for a in bot.fake.attempts].count("chat.postMessage") == 1
    clock.advance(minutes=15)  # past the delivery's backoff
    bot.services.deliver_soon()
    [triage] = bot.fake.wait_for("chat.postMessage")
    assert triage.params["channel"] == "C0TRIAGE" and "when does the canteen open" in shown_text(triage)
    bot.fake.wait_quiet()
    clock.advance(hours=1)
    bot.services.deliver_soon()
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_user_text_is_escaped_wherever_it_is_echoed(slack_bot):
    bot = slack_bot()
    hostile = "<!channel> <@U0CEO> <https://evil.example|click me> what is the canteen & why"
    bot.mention(hostile)
    bot.command(hostile)
    offer = bot.fake.wait_for("chat.postMessage")[0]
    [pass_on] = buttons(offer)
    bot.action(pass_on["action_id"], pass_on["value"])
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_for("response_url", count=2)
    everything = bot.fake.everything()
    for raw in ("<!channel>", "<@U0CEO>", "<https://evil.example"):
        assert raw not in everything
    assert "&lt;!channel&gt;" in everything


def test_long_hostile_questions_fit_slack_limits(slack_bot):
    bot = slack_bot()
    bot.mention("where is the " + "\U0001f3e5" * 400 + "<&>" * 700)
    offer = bot.fake.wait_for("chat.postMessage")[0]
    [pass_on] = buttons(offer)
    assert len(pass_on["value"]) <= 2000
    assert all(
        len(e["text"]) <= 3000
        for b in offer.params["blocks"]
        if b["type"] == "context"
        for e in b["elements"]
    )
    bot.action(pass_on["action_id"], pass_on["value"])
    triage = bot.fake.wait_for("chat.postMessage", count=2)[1]
    assert all(len(b["text"]["text"]) <= 3000 for b in triage.params["blocks"] if b["type"] == "section")


def test_an_nhs_number_never_reaches_slack_or_the_database_and_the_asker_is_told(slack_bot):
    bot = slack_bot()
    bot.mention(f"patient {NHS_TEST_NUMBER} cannot be found on the ward list", user="U0NURSE")
    bot.command("what is 9990000018 doing in the canteen")
    note = bot.fake.wait_for("chat.postEphemeral")[0]
    assert note.params["user"] == "U0NURSE" and "removed 1 NHS number" in note.params["text"]
    offer = bot.fake.wait_for("chat.postMessage")[0]
    [pass_on] = buttons(offer)
    bot.action(pass_on["action_id"], pass_on["value"])
    bot.fake.wait_for("chat.postMessage", count=2)
    command_replies = bot.fake.wait_for("response_url", count=3)
    assert any("removed 1 NHS number" in c.params.get("text", "") for c in command_replies)
    everything = bot.fake.everything()
    assert "999 000 0018" not in everything and "9990000018" not in everything
    assert "[NHS number removed]" in everything
    stored = " ".join(r.question for r in rows(bot.services.db, UnansweredRow))
    assert "9990000018" not in stored.replace(" ", "") and "[NHS number removed]" in stored


def test_a_forged_none_of_these_never_stores_or_echoes_an_nhs_number(slack_bot):
    """The button's value is anyone's to forge: what it carries is cleaned as a typed question is."""
    bot = slack_bot()
    value = json.dumps({"q": f"bau for {NHS_TEST_NUMBER}"})
    bot.action(blocks.NONE_OF_THESE, value, channel="C" + "9" * 500, message={"ts": "1." + "2" * 500})
    reply = bot.fake.wait_for("response_url")[0]
    assert "I don't know that one yet" in shown_text(reply)
    assert "9990000018" not in bot.fake.everything().replace(" ", "")
    [row] = rows(bot.services.db, UnansweredRow)
    assert row.question == "bau for [NHS number removed]" and len(row.message_key) <= 255


def test_thanks_get_a_reply_and_are_not_recorded_as_an_unanswered_question(slack_bot):
    bot = slack_bot()
    bot.mention("thanks!")
    bot.dm("Thank you so much")
    replies = bot.fake.wait_for("chat.postMessage", count=2)
    assert all("welcome" in c.params["text"] for c in replies)
    assert rows(bot.services.db, UnansweredRow) == []


def test_when_the_bot_itself_fails_the_person_is_told_instead_of_left_waiting(slack_bot, monkeypatch):
    bot = slack_bot()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(bot.services.answering, "ask", broken)
    bot.mention("what is snomed?", channel="C0WARD1")
    reply = bot.fake.wait_for("chat.postMessage")[0]
    assert reply.params["channel"] == "C0WARD1" and reply.params["thread_ts"]
    assert "something went wrong on my side" in reply.params["text"]


def test_a_slash_command_the_bot_fails_on_says_so_privately(slack_bot, monkeypatch):
    bot = slack_bot()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(bot.services.answering, "ask", broken)
    assert bot.command("what is snomed").status == 200
    (reply,) = bot.fake.wait_for("response_url")
    assert reply.params["response_type"] == "ephemeral"
    assert "something went wrong on my side" in reply.params["text"]


def test_golive_with_a_greeting_or_thanks_gets_a_greeting_or_a_welcome(slack_bot):
    bot = slack_bot()
    bot.command("hi")
    bot.command("hey bot")
    bot.command("thank you!")
    replies = bot.fake.wait_for("response_url", count=3)
    assert all(c.params["response_type"] == "ephemeral" for c in replies)
    assert sorted(c.params["text"] == GREETING for c in replies) == [False, True, True]
    assert sorted("welcome" in c.params["text"] for c in replies) == [False, False, True]
    assert not any("/golive help" in json.dumps(c.params) for c in replies)
    assert rows(bot.services.db, UnansweredRow) == []


def test_the_support_team_gets_the_whole_question_and_who_asked_it(slack_bot):
    """The button holds only the question's start; the triage post is where someone acts on it."""
    bot = slack_bot()
    question = "when does the canteen open " + "and what is on the menu today " * 20 + "THE END"
    bot.mention(question, user="U0ASKER")
    [pass_on] = buttons(bot.fake.wait_for("chat.postMessage")[0])
    bot.action(pass_on["action_id"], pass_on["value"], user="U0COLLEAGUE")
    triage = shown_text(bot.fake.wait_for("chat.postMessage", count=2)[1])
    assert "THE END" in triage
    assert "asked by <@U0ASKER>, passed on by <@U0COLLEAGUE>" in triage


@pytest.mark.parametrize(("channels", "reached"), [
    (Channels(triage="G0TRIAGE", safety="C0SAFETY"), "C0SAFETY"),  # as a triage post would go
    (Channels(triage="G0TRIAGE"), "U0PORTER"),  # no other channel: the asker, who must know
])  # fmt: skip
def test_a_question_passed_on_when_the_bot_cannot_post_in_triage_still_reaches_someone(
    slack_bot, channels, reached
):
    bot = slack_bot(org=org_config(channels=channels))
    bot.fake.leave("G0TRIAGE")  # a private triage channel nobody invited the bot to
    bot.mention("when does the canteen open", user="U0PORTER")
    [pass_on] = buttons(bot.fake.wait_for("chat.postMessage")[0])
    bot.action(pass_on["action_id"], pass_on["value"], user="U0PORTER")
    posted = bot.fake.wait_for("chat.postMessage", count=2)[1]
    assert posted.params["channel"] == reached and "when does the canteen open" in shown_text(posted)
    assert "G0TRIAGE" in shown_text(posted)  # says where it should have gone, so someone fixes it
    if reached == "U0PORTER":
        assert "The support team has not seen your question" in shown_text(posted)
