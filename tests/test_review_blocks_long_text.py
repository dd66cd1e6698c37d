"""Long text the trust or the bot writes (answers, the plan's posts, contact lists) is shown whole.

Slack takes 3,000 characters a section; cutting there dropped the end of an answer (often the phone
number) or of an announcement. Long text goes in several sections, cut at line breaks and never
inside a link, mention or entity.
"""

from __future__ import annotations

import re

from test_review_blocks_limits import problems, texts

from bot.answering.model import Entry
from bot.slack import blocks as b
from bot.slack.terminal import render

LINK = "<https://intranet.example.nhs.uk/golive/smartcards/renewals|the smartcard page>"


def long_answer(paragraphs: int) -> str:
    """Paragraphs of about 700 characters, each with a link and an entity, the last with the number."""
    body = "Ask the registration authority &amp; your manager. " * 12
    lines = [f"*Step {n}.* {body}See {LINK}." for n in range(1, paragraphs)]
    return "\n\n".join([*lines, "*Out of hours* ring the service desk on 01234 567890."])


def joined(blocks: list[dict]) -> str:
    return " ".join(texts(blocks))


def test_an_answer_over_slacks_section_limit_is_shown_whole() -> None:
    answer = long_answer(12)
    reply = b.answer_blocks(Entry(id="card", kind="howto", title="Smartcards", answer=answer), "smartcard?")
    assert problems(reply) == []
    shown = joined(reply)
    assert "01234 567890" in shown and "*Step 11.*" in shown
    assert shown.count(LINK) == 11  # no link split across two sections
    for text in texts(reply):
        assert not re.search(r"&(?!amp;|lt;|gt;)", text) and "<" not in re.sub(r"<[^<>]*>", "", text)
    assert "01234 567890" in render(reply).text


def test_a_huge_answer_is_cut_only_past_a_dozen_sections() -> None:
    entry = Entry(id="huge", kind="howto", title="Huge", answer=long_answer(300))
    reply = b.feedback_thanks_blocks(entry, helpful=False)
    assert problems(reply) == [] and len(reply) <= 15
    assert texts(reply)[-2].endswith("…")


def test_sections_cut_at_spaces_when_a_text_has_no_line_breaks() -> None:
    words = "word " * 1500
    parts = texts(b.sections(words, 5))
    assert len(parts) == 3 and all(len(p) <= 3000 and not p.startswith(" ") for p in parts)
    assert " ".join(parts).split() == words.split()
    assert texts(b.sections("x" * 7000, 5)) == ["x" * 3000, "x" * 3000, "x" * 1000]
