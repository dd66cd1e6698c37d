"""A footer a trust puts under every answer must not change what the bot answers."""

from dataclasses import replace
from pathlib import Path

import pytest

from bot.answering.boilerplate import without_boilerplate
from bot.answering.knowledge import KnowledgeBase
from bot.answering.loader import load_knowledge
from bot.answering.model import Answer, Outcome, Suggestions

SHIPPED = Path(__file__).resolve().parent.parent / "knowledge"
FOOTER = (
    "Still stuck? Ring the service desk on 4444, any time, or ask a floorwalker or your superuser. "
    "Guides and training videos are on the intranet."
)


def test_a_sentence_many_answers_repeat_is_left_out_and_the_rest_kept() -> None:
    answers = [f"Answer {n} about topic {n}. Ring the service desk on 4444." for n in range(10)]
    searched = without_boilerplate(answers)
    assert all("service desk" not in text for text in searched)
    assert [f"topic {n}" in text for n, text in enumerate(searched)] == [True] * 10


def test_a_line_a_few_how_tos_share_is_kept_and_answers_without_repeats_are_untouched() -> None:
    answers = [f"Reset it in {place}. Ring the service desk on 4444." for place in ("A", "B", "C", "D")]
    answers += ["Open the chart.", "Open the list."]
    assert without_boilerplate(answers) == answers
    many = [f"Entry {n}. Shared line." if n < 5 else f"Entry {n}." for n in range(100)]
    assert without_boilerplate(many) == many  # five answers in a hundred: shared, not boilerplate


def outcome(kb: KnowledgeBase, question: str) -> tuple[str | None, tuple[str, ...]]:
    found: Outcome = kb.match(question)
    if isinstance(found, Answer):
        return found.best.entry.id, ()
    return None, tuple(c.entry.id for c in found.candidates) if isinstance(found, Suggestions) else ()


@pytest.mark.parametrize(
    "question",
    [
        "what does a superuser do",
        "what is a floorwalker",
        "how do i ring the service desk",
        "where are the guides",
        "can I ring someone any time",
        "what's the intranet",
    ],
)
def test_a_footer_under_every_answer_changes_no_answer(question: str) -> None:
    loaded = load_knowledge(SHIPPED)
    footed = [replace(e, answer=f"{e.answer} {FOOTER}") for e in loaded.entries]
    plain, with_footer = (KnowledgeBase.build(list(es), loaded.synonyms) for es in (loaded.entries, footed))
    assert outcome(with_footer, question) == outcome(plain, question)
    shown = with_footer.match(question)
    if isinstance(shown, Answer):
        assert shown.best.entry.answer.endswith(FOOTER)  # staff still read the whole answer
