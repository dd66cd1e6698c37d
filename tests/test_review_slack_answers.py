"""Review of the answering surface in Slack: questions arrive as Slack writes them (mrkdwn with
`&amp;`, mentions, channel links, emoji codes) and must be read, matched, stored and echoed as the
person typed them."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.markup import readable
from bot.store.answers import UnansweredRow
from bot.store.database import Database


def rows(db: Database, table) -> list:
    with db.session() as session:
        return list(session.scalars(select(table)))


def shown(call) -> str:
    return json.dumps(call.params.get("blocks") or call.params.get("text"), ensure_ascii=False)


def words(message: str) -> str:
    return " ".join(readable(message).split())


def test_slack_markup_becomes_what_the_person_saw() -> None:
    assert words("A&amp;E &lt;b&gt;") == "A&E <b>"
    assert words("<@U0BOT> what is <#C0GEN|general> <#C0GEN>") == "what is #general"
    assert (
        words("see <https://nhs.uk/a|the page> or <https://nhs.uk/b>") == "see the page or https://nhs.uk/b"
    )
    mail = "mail <mailto:it@nhs.net|it@nhs.net> or <mailto:jo@nhs.net>"
    assert words(mail) == "mail it@nhs.net or jo@nhs.net"
    assert words("<!subteam^S0FW|@floorwalkers> where") == "floorwalkers where"
    assert words("<!date^1700000000^{date}|Nov 14> what") == "Nov 14 what"
    assert words("what is bau :thinking_face::skin-tone-2: at 10:30:00") == "what is bau at 10:30:00"
    assert words("@jo.bloggs what is snomed, email jo@nhs.net") == "what is snomed, email jo@nhs.net"
    # Special mentions stay as they were written, so echoing them escaped shows them inert.
    assert words("<!channel> hi <!here>") == "<!channel> hi <!here>"
    assert words("5 &lt; 6 &amp;&amp; a&amp;lt;b") == "5 < 6 && a&lt;b"


def test_only_codes_as_long_as_slacks_emoji_names_are_read_as_emoji() -> None:
    """Bounded at Slack's 100 characters, so a 40,000-character word after a ':' is read in linear time
    instead of holding a worker for a second."""
    longest, too_long = ":" + "a" * 100 + ":", ":" + "a" * 101 + ":"
    assert (readable(longest), readable(too_long)) == (" ", too_long)
    assert readable(":thinking_face: is it down") == "  is it down"


def test_an_ampersand_in_a_mention_is_answered_echoed_and_stored_as_typed(slack_bot):
    bot = slack_bot()
    bot.mention("when does the canteen &amp; the shop open &lt;today&gt;?")  # as Slack sends "&", "<", ">"
    offer = bot.fake.wait_for("chat.postMessage")[0]
    assert "the canteen &amp; the shop open &lt;today&gt;?" in shown(offer)  # shown as "& ... <today>"
    assert "&amp;amp;" not in shown(offer) and "&amp;lt;" not in shown(offer)
    bot.fake.wait_quiet()
    [row] = rows(bot.services.db, UnansweredRow)
    assert row.question == "when does the canteen & the shop open <today>?"


def test_a_dm_with_slack_markup_gets_the_same_answer_as_the_words_alone(slack_bot):
    bot = slack_bot()
    bot.dm("<@U0BOT> what is <https://snomed.org|snomed> :thinking_face:")
    bot.dm("<!subteam^S0FW|@floorwalkers> floorwalker?")
    answers = bot.fake.wait_for("chat.postMessage", count=2)
    assert sorted(a.params["text"] for a in answers) == ["Floorwalker", "SNOMED CT"]


def test_a_golive_command_that_is_only_a_mention_gets_the_help(slack_bot):
    bot = slack_bot()
    bot.command("<@U0BOT|golive>")  # a workspace that escapes users in commands
    bot.command("@golive")  # one that does not
    replies = bot.fake.wait_for("response_url", count=2)
    assert all("/golive help" in shown(r) for r in replies)
    assert rows(bot.services.db, UnansweredRow) == []


def test_a_golive_question_with_emoji_and_people_is_answered(slack_bot):
    bot = slack_bot()
    bot.command("@jo.bloggs what is snomed :pray:")
    [reply] = bot.fake.wait_for("response_url")
    assert reply.params["text"] == "SNOMED CT"
