"""A greeting alone is greeted back in two lines, with examples the knowledge base in use answers; 'help'
keeps the full help; a greeting with a question after it is the question."""

from __future__ import annotations

import pytest

from bot.answering.examples import Examples, example_questions
from bot.answering.knowledge import KnowledgeBase
from bot.answering.model import Answer, Entry
from bot.answering.smalltalk import small_talk
from bot.slack import blocks

GREETINGS = [
    "hi", "hello", "hiya", "hey", "Hello!", "hi!!", "hey bot", "hello bot", "@bot hi", "hi there",
    "morning", "good morning", "Good morning all", "morning all", "evening", "good evening", "afternoon",
    "good afternoon everyone", "morning team", "hi :wave:", "hello 👋", "howdy", "heya",
    "morning bot, how's your day going?", "you ok?", "shwmae", "helo pawb",  # Welsh too
]  # fmt: skip
QUESTIONS_AFTER_A_GREETING = [
    "hi, what is SNOMED?",
    "hello, how do I get a login?",
    "good morning, my smartcard is locked",
    "hey bot how do I book training",
    "morning handover",  # a time of day that is what is asked about
    "evening shift",
    "shwmae, beth yw SNOMED?",
]


@pytest.mark.parametrize("said", GREETINGS)
def test_a_greeting_alone_is_a_greeting_not_a_request_for_help(said: str) -> None:
    assert small_talk(said) == "greeting"


@pytest.mark.parametrize("said", ["help", "Help!", "?", "", "  ", "\u200b"])
def test_help_a_question_mark_or_nothing_still_asks_for_the_full_help(said: str) -> None:
    assert small_talk(said) == "help"


@pytest.mark.parametrize("said", QUESTIONS_AFTER_A_GREETING)
def test_a_greeting_with_more_after_it_is_a_question(said: str) -> None:
    assert small_talk(said) is None


def test_words_that_only_go_with_a_greeting_are_not_one_alone() -> None:
    assert [small_talk(t) for t in ("good", "all", "bot", "there", "team")] == [None] * 5


def entry(id: str, kind: str, title: str, *aliases: str) -> Entry:
    return Entry(id, kind, title, f"All about {title}.", aliases)  # type: ignore[arg-type]


KB = KnowledgeBase.build(
    [
        entry("epr", "jargon", "Electronic patient record (EPR)"),
        entry("bau", "jargon", "BAU", "business as usual"),
        entry("downtime", "howto", "Downtime procedures"),  # not a question: no example made of it
        entry("login", "howto", "How do I get a login?", "new account"),
        entry("leave", "howto", "Can I take leave during go-live?"),
    ]
)


def test_examples_are_questions_the_knowledge_base_answers_with_their_entry() -> None:
    examples = example_questions(KB)
    assert examples == Examples(jargon="what is BAU?", howto="how do I get a login?")
    for question in (examples.jargon, examples.howto):
        assert isinstance(KB.match(question), Answer)


def test_a_knowledge_base_without_a_kind_gives_no_example_of_it() -> None:
    terms_only = KnowledgeBase.build([entry("bau", "jargon", "BAU"), entry("dt", "howto", "Downtime")])
    assert example_questions(terms_only) == Examples(jargon="what is BAU?", howto=None)


def test_examples_are_worked_out_once_for_each_knowledge_base(monkeypatch: pytest.MonkeyPatch) -> None:
    other = KnowledgeBase.build([entry("ed", "jargon", "Emergency department (ED)")])
    first = other.examples
    monkeypatch.setattr(KnowledgeBase, "match", lambda *_: pytest.fail("matched again"))
    assert other.examples is first


def test_the_greeting_is_two_short_lines_with_the_examples_and_how_to_see_the_rest() -> None:
    said = blocks.greeting("the new EPR", example_questions(KB))
    assert said.splitlines() == [
        "Hi! Ask me what a term means or how to do something on the new EPR, e.g. `what is BAU?` or"
        " `how do I get a login?`.",
        "Say *help* to see everything I can do.",
    ]
    assert len(said) < len(blocks.help_blocks("/golive", [], example_questions(KB))[0]["text"]["text"])


def test_the_greeting_and_the_help_offer_no_example_where_there_is_none() -> None:
    assert "e.g." not in blocks.greeting("the new system", Examples())
    [intro, _] = blocks.help_blocks("/golive", [], Examples(jargon="what is BAU?"))
    assert "I answer jargon (`what is BAU?`) and how-to questions. If I'm not sure" in intro["text"]["text"]


def test_the_help_shows_the_knowledge_bases_own_examples() -> None:
    [intro, commands] = blocks.help_blocks("/golive", ["• `/golive status` the phase"], example_questions(KB))
    assert "jargon (`what is BAU?`) and how-to questions (`how do I get a login?`)" in intro["text"]["text"]
    assert "SNOMED" not in intro["text"]["text"]  # not an example this knowledge base can answer
    assert commands["text"]["text"] == "• `/golive help` this message\n• `/golive status` the phase"


@pytest.mark.parametrize(
    "said", ["ok", "OK!", "got it, thanks", "yep will do", "no worries", "lol", "okay cool"]
)
def test_an_acknowledgement_is_closed_politely_not_taken_for_a_question(said: str) -> None:
    assert small_talk(said) == "thanks"


@pytest.mark.parametrize(
    "said", ["no", "nope", "no good", "ok?", "ok help", "ok how do I log in", "is it ok"]
)
def test_a_no_a_question_or_a_call_for_help_after_ok_is_not_an_acknowledgement(said: str) -> None:
    assert small_talk(said) is None


@pytest.mark.parametrize("said", ["diolch", "diolch yn fawr iawn", "Diolch!"])
def test_thanks_in_welsh_is_thanks(said: str) -> None:
    assert small_talk(said) == "thanks"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("beth yw SNOMED", "snomed"), ("ble mae'r floorwalkers", "find"), ("sut dw i log an issue", "log")],
)
def test_a_question_opened_in_welsh_is_read_as_in_english(question: str, expected: str) -> None:
    """Bilingual trusts: 'beth yw' is 'what is', 'ble mae' 'where is', 'sut dw i' 'how do I'."""
    entries = [
        Entry("snomed", "jargon", "SNOMED CT", "The clinical vocabulary."),
        Entry("floorwalker", "jargon", "Floorwalker", "A helper on the wards during go-live."),
        Entry("find", "howto", "Where are the floorwalkers?", "Look for the bright tabards."),
        Entry("log", "howto", "How do I log an issue?", "Type /golive issue."),
    ]
    outcome = KnowledgeBase.build(entries).match(question)
    assert isinstance(outcome, Answer) and outcome.best.entry.id == expected
