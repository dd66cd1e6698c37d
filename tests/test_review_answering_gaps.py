"""`golive-bot gaps` stubs must validate once answered, whatever staff typed."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.answering.gaps import group_questions, render_stubs, stubs_for
from bot.answering.loader import load_knowledge
from bot.privacy import NHS_NUMBER_MARKER, Redactor
from bot.store.answers import Unanswered

T0 = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


def asked(*questions: str) -> list[Unanswered]:
    return [
        Unanswered(i, q, T0 + timedelta(minutes=i), "slack", "U1", False) for i, q in enumerate(questions)
    ]


def answered_stubs(tmp_path: Path, *questions: str) -> list:
    """The stubs as the support team would save them, with each TODO answered, read back by the loader."""
    text = render_stubs(stubs_for(group_questions(asked(*questions), Redactor())), UTC)
    (tmp_path / "stubs.yaml").write_text(text.replace("answer: TODO", "answer: Answered."), encoding="utf-8")
    return list(load_knowledge(tmp_path).entries)


def test_a_stub_for_shorthand_with_an_ampersand_gets_a_kebab_case_id(tmp_path: Path) -> None:
    entries = answered_stubs(tmp_path, "what is r&d", "who runs the R&D office")
    assert [e.id for e in entries] == ["r-d", "runs-r-d-office"]


def test_questions_of_the_same_wrapper_words_are_one_gap_not_two_clashing_stubs(tmp_path: Path) -> None:
    """'how do I?' has no content words, so no similarity grouped it with 'How do I' before."""
    entries = answered_stubs(tmp_path, "how do I?", "How do I", "yes", "ÿes!")
    assert sorted(e.title for e in entries) == ["How do I?", "Yes?"]


def test_removed_identifiers_neither_group_questions_nor_become_titles(tmp_path: Path) -> None:
    questions = (f"call {NHS_NUMBER_MARKER}", f"results for {NHS_NUMBER_MARKER}", NHS_NUMBER_MARKER, "???")
    groups = group_questions(asked(*questions), Redactor())
    assert sorted(len(g.phrasings) for g in groups) == [1, 1, 2]
    entries = answered_stubs(tmp_path, *questions)
    assert not any("NHS" in name for e in entries for name in (e.title, *e.aliases))
