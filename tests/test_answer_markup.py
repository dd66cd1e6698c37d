"""Knowledge-base answers are the trust's own mrkdwn: posted with their links and formatting, but a
`<!channel>` or `<@U123>` in one calls nobody, and a bare '<5', '<b>' or 'A&E' shows as typed.

`markup.safe_mrkdwn` is the one function; `entry_blocks` (every answer the bot posts) applies it, and
the console, which renders the same blocks, still shows the answer as the trust wrote it."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

import pytest
from slack_harness import KNOWLEDGE, write_knowledge

from bot import markup
from bot.answering.model import Answer, Candidate, Entry, Suggestions
from bot.slack import blocks as b
from bot.slack.terminal import render

ANSWER = "<!channel> ring 4444, NEWS2 <5 and >3, see <https://x.nhs.uk|the guide>"

# What may stay as markup in a post: a link, channel or date, an entity, a quote mark opening a line.
_MAY_STAY = re.compile(
    r"<(?:(?i:https?://|mailto:|tel:)[^|<>\n][^<>\n]*|#[CG][A-Z0-9]+(?:\|[^<>\n]*)?|!date\^[^<>\n]*)>"
    r"|&(?:lt|gt|amp);|^>+",
    re.MULTILINE,
)


def inert(posted: str) -> bool:
    """Nothing in the text calls anyone, and every other `<`, `>` and `&` is escaped."""
    return (
        "<!" not in posted.replace("<!date^", "")
        and "<@" not in posted
        and not re.search(r"[<>&]", _MAY_STAY.sub("", posted))
    )


@pytest.mark.parametrize(
    "kept",
    [
        "See <https://www.dsptoolkit.nhs.uk/|the DSPT website>.",
        "<http://intranet.trust.nhs.uk/epr?a=1&b=2>",
        "Email <mailto:epr.support@trust.nhs.uk|EPR support> or ring <tel:+441234567890|the desk>",
        "Ask in <#C0123ABCD|go-live-help> or <#C0123ABCD>",
        "From <!date^1700000000^{date_short} at {time}|14 Nov 2023 at 22:13>",
        "Escaped already: &lt;5 &gt;3 A&amp;E",
        "*bold* _italic_ ~strike~ `code` :white_check_mark:\n```\nlines\n```",
        "> a quote\n>>> a long quote\n• a bullet\n- another",
    ],
)
def test_links_channels_dates_entities_and_formatting_are_kept(kept: str) -> None:
    assert markup.safe_mrkdwn(kept) == kept


@pytest.mark.parametrize(
    ("written", "posted"),
    [
        ("<!channel> read this", "@channel read this"),
        ("<!here>", "@here"),
        ("<!everyone>", "@everyone"),
        ("<!channel|everyone>", "@channel"),  # the label cannot turn it into anything else
        ("<!here|@here>", "@here"),
        ("<!subteam^S0123ABCD|@ward-leads> will help", "@ward-leads will help"),
        ("<!subteam^S0123ABCD>", "@group"),
        ("Ask <@U0123ABCD>", "Ask @someone"),
        ("Ask <@W0123ABCD|jo.bloggs>", "Ask @jo.bloggs"),
        ("<@U0123ABCD|@jo>", "@jo"),
        ("<@U0123ABCD|A&E lead>", "@A&amp;E lead"),
    ],
)
def test_broadcasts_and_mentions_become_words_that_call_nobody(written: str, posted: str) -> None:
    assert markup.safe_mrkdwn(written) == posted


@pytest.mark.parametrize(
    ("written", "posted"),
    [
        ("NEWS2 score <5 and >3", "NEWS2 score &lt;5 and &gt;3"),
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("A&E", "A&amp;E"),
        ("&amp &nbsp; &#60;", "&amp;amp &amp;nbsp; &amp;#60;"),
        ("<#general> <#c0123abcd>", "&lt;#general&gt; &lt;#c0123abcd&gt;"),  # not channel ids
        ("<!something> <javascript:alert(1)|x>", "&lt;!something&gt; &lt;javascript:alert(1)|x&gt;"),
        ("a > b\n> quoted, and a > inside", "a &gt; b\n> quoted, and a &gt; inside"),
    ],
)
def test_every_other_angle_bracket_and_ampersand_shows_as_typed(written: str, posted: str) -> None:
    assert markup.safe_mrkdwn(written) == posted


@pytest.mark.parametrize(
    "hostile",
    [
        "<<!channel>>",
        "<!channel|everyone>",
        "<https://x.nhs.uk|<!channel>>",
        "<https://x.nhs.uk|see <@U0123ABCD>>",
        "<!here",
        "<@U0123ABCD",
        "<<<<@U0123ABCD>",
        "<!chan\nnel>",
        "<#C0123ABCD|<!everyone>>",
        "<!date^1|<!channel>>",
        "<>< >< <!channel>>> <",
        "&<!channel>&lt;!channel&gt;",
    ],
)
def test_hostile_nesting_and_unclosed_brackets_leave_nothing_that_calls(hostile: str) -> None:
    posted = markup.safe_mrkdwn(hostile)
    assert inert(posted), posted
    assert markup.safe_mrkdwn(posted) == posted  # once is enough: safe text is left as it is


def test_any_mix_of_markup_characters_comes_out_inert() -> None:
    pieces = ["<", ">", "&", "!", "@", "#", "|", "^", "\n", " ", "channel", "here", "U0123ABCD", "C0AB",
              "https://x", "mailto:", "date^", "subteam^", "lt;", "amp;", "a"]  # fmt: skip
    rng = random.Random(20240611)
    for _ in range(3000):
        written = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        posted = markup.safe_mrkdwn(written)
        assert inert(posted), (written, posted)
        assert markup.safe_mrkdwn(posted) == posted, written


@pytest.mark.parametrize(
    "unit", ["<", "<a", "<!channel>", "&", "<https://x.nhs.uk|", ">\n", "<@U1|", "<<!here>>"]
)
def test_very_long_hostile_text_takes_linear_time(unit: str) -> None:
    def seconds(n: int) -> float:
        text = unit * (n // len(unit))
        start = time.perf_counter()
        posted = markup.safe_mrkdwn(text)
        assert inert(posted)
        return time.perf_counter() - start

    seconds(1000)  # warm up
    small, large = min(seconds(20_000) for _ in range(3)), min(seconds(200_000) for _ in range(3))
    assert large < 1.0  # a 200,000-character answer: quadratic would take minutes
    assert large < 40 * small + 0.05  # ten times the text, about ten times the time


def entry(answer: str = ANSWER, title: str = "NEWS2 escalation") -> Entry:
    return Entry(id="news2", kind="howto", title=title, answer=answer)


def test_an_answer_is_posted_inert_with_its_link_and_titles_are_escaped_in_the_notification() -> None:
    header, section = b.entry_blocks(entry())
    assert header["text"] == {"type": "plain_text", "text": "NEWS2 escalation"}
    assert section["text"]["text"] == (
        "@channel ring 4444, NEWS2 &lt;5 and &gt;3, see <https://x.nhs.uk|the guide>"
    )
    a_and_e = Candidate(entry(title="A&E <4h>"), 90.0)
    assert b.outcome_text(Answer("q", a_and_e)) == "A&amp;E &lt;4h&gt;"
    assert b.outcome_text(Suggestions("q", (a_and_e,))) == "Did you mean: A&amp;E &lt;4h&gt;?"


def test_the_console_still_shows_the_answer_as_the_trust_wrote_it() -> None:
    shown = render(b.entry_blocks(entry(ANSWER + "\nAsk <@U0123ABCD> about <b>A&E</b>"))).text
    assert shown.splitlines()[2:] == [
        "@channel ring 4444, NEWS2 <5 and >3, see the guide (https://x.nhs.uk)",
        "Ask @someone about <b>A&E</b>",
    ]


def test_a_knowledge_base_answer_mentioning_channel_is_posted_to_slack_without_calling_anyone(
    slack_bot, tmp_path: Path
) -> None:
    news2 = (
        f"  - id: news2-escalation\n    kind: jargon\n    title: NEWS2 escalation\n    answer: '{ANSWER}'\n"
    )
    bot = slack_bot(knowledge_dir=write_knowledge(tmp_path / "trust-kb", KNOWLEDGE + news2))
    assert bot.services.answering.entry("news2-escalation").answer == ANSWER  # kept as written

    bot.mention("what is NEWS2 escalation?", user="U0NURSE", channel="C0WARD3")
    (post,) = bot.fake.wait_for("chat.postMessage")
    sent = json.dumps(post.params["blocks"])
    assert "<!channel>" not in post.text and "<!" not in sent
    assert "<https://x.nhs.uk|the guide>" in sent
    assert "NEWS2 &lt;5 and &gt;3" in sent and "@channel ring 4444" in sent
