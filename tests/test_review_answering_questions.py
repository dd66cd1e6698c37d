"""Questions staff (or a hostile payload) really send: each is answered quickly and without a crash."""

import time

import pytest
from answering_helpers import SNOMED

from bot.answering.knowledge import KnowledgeBase
from bot.answering.model import Answer


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder = tmp_path_factory.mktemp("knowledge")
    (folder / "terms.yaml").write_text(SNOMED)
    return KnowledgeBase.load(folder)


def seconds_to_match(kb: KnowledgeBase, question: str) -> float:
    start = time.perf_counter()
    kb.match(question)
    return time.perf_counter() - start


@pytest.mark.parametrize("piece", ["<mailto:", "<https:// ", "<http://x y"])
def test_a_long_message_of_unclosed_links_is_matched_in_linear_time(kb: KnowledgeBase, piece: str) -> None:
    """Slack allows 40,000 characters in a message; each unclosed '<mailto:' used to rescan the rest,
    seconds of work. The bar is far above a linear match (a few ms), so a busy machine never fails it."""
    question = piece * (40_000 // len(piece))
    assert seconds_to_match(kb, question) < 1.0


def test_a_slack_link_still_reads_as_its_label(kb: KnowledgeBase) -> None:
    outcome = kb.match("what is <https://example.nhs.uk/terms|SNOMED CT>")
    assert isinstance(outcome, Answer) and outcome.best.entry.id == "snomed-ct"
