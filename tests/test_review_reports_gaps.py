"""Review: gaps keep apart questions the matcher cannot read, instead of merging them into one stub."""

from datetime import UTC, datetime

from bot.answering.gaps import group_questions
from bot.config import OrgConfig
from bot.store.answers import Unanswered

WHEN = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


def asked(*questions: str) -> list[Unanswered]:
    return [Unanswered(n, q, WHEN, "slack", "U1", False) for n, q in enumerate(questions)]


def test_questions_in_another_script_are_not_merged_with_each_other_or_with_symbols() -> None:
    """The matcher reads A to Z and 0 to 9, so these had no words to compare and became one '?' group."""
    groups = group_questions(
        asked("登录怎么办", "登录怎么办?", "كيف أسجل الدخول", "!!!", "???"), OrgConfig().redactor()
    )
    by_question = {g.question: g.count for g in groups}
    assert by_question == {"登录怎么办": 2, "كيف أسجل الدخول": 1, "!!!": 2}
