"""Long text the trust or the bot writes (answers, the plan's posts, contact lists) is shown whole.

Slack takes 3,000 characters a section; cutting there dropped the end of an answer (often the phone
number) or of an announcement. Long text goes in several sections, cut at line breaks and never
inside a link, mention or entity.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

from slack_harness import org_config
from test_review_blocks_limits import problems, texts

from bot.answering.loader import LONGEST_ANSWER
from bot.answering.model import Entry
from bot.clock import ManualClock
from bot.comms.drafts import Draft
from bot.comms.model import Announcement
from bot.config import Contact, GoLive, OrgConfig
from bot.slack import announcements
from bot.slack import blocks as b
from bot.slack.terminal import render
from bot.store.comms import Stored

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


def test_a_huge_answer_is_cut_where_slack_would_refuse_the_whole_message() -> None:
    """Slack refuses a message whose blocks hold much over 12,000 characters, so the answer would not
    be posted at all: it is cut at about 9,000, visibly."""
    entry = Entry(id="huge", kind="howto", title="Huge", answer=long_answer(300))
    for reply in (b.answer_blocks(entry, "huge?"), b.feedback_thanks_blocks(entry, helpful=False)):
        assert problems(reply) == [] and any(t.endswith("…") for t in texts(reply))


def test_sections_cut_at_spaces_when_a_text_has_no_line_breaks() -> None:
    words = "word " * 1500
    parts = texts(b.sections(words, 5))
    assert len(parts) == 3 and all(len(p) <= 3000 and not p.startswith(" ") for p in parts)
    assert " ".join(parts).split() == words.split()
    assert texts(b.sections("x" * 7000, 5)) == ["x" * 3000, "x" * 3000, "x" * 1000]


def plan_post(text: str):
    """The announcement renderer's message for a post whose filled-in text is `text`."""
    comms = SimpleNamespace(
        render_announcement=lambda ref, due: text, fallback_for=lambda ref: None, late_note=lambda due: None
    )
    item = SimpleNamespace(ref="plan-1", payload={"due": "2027-01-18T07:30:00+00:00"})
    return announcements.render(SimpleNamespace(comms=comms), cast(Any, item))


def test_a_long_announcement_is_posted_whole_without_splitting_a_link_or_a_mention() -> None:
    text = long_answer(12).replace("*Step", "<!subteam^S0WARDS> *Step")
    post = plan_post(text)
    assert post is not None and problems(post.blocks) == []
    shown = joined(post.blocks)
    assert shown.count(LINK) == 11 and shown.count("<!subteam^S0WARDS>") == 11
    assert "01234 567890" in shown
    for offset in range(2900, 3000, 7):  # wherever Slack's limit falls, the link and mention stay whole
        post = plan_post("Huddle " + "x" * offset + f" {LINK} &amp; <!subteam^S0WARDS> " + "y " * 2000)
        assert post is not None and problems(post.blocks) == []
        assert joined(post.blocks).count(LINK) == 1 and "<!subteam^S0WARDS> " in joined(post.blocks)


def test_an_announcement_longer_than_a_message_holds_is_still_a_post_slack_takes() -> None:
    post = plan_post("Huddle at ten in the command centre.\n" * 5000)
    assert post is not None and problems(post.blocks) == [] and len(post.blocks) <= 50


def test_the_preview_shows_the_whole_post_as_it_will_read() -> None:
    text = "{oldest_open_issues}"  # the ten oldest issues: the figures make it long
    org = OrgConfig()
    comms = SimpleNamespace(render=lambda message: long_answer(8))
    services = SimpleNamespace(comms=comms, settings=SimpleNamespace(org=org))
    a = Announcement(
        id="slack-1", channels=("C0ANNOUNCE",), text=text, at=datetime(2027, 1, 5, 9, tzinfo=UTC)
    )
    draft = Draft(text, "C0ANNOUNCE", "once", "09:00", "2027-01-05")
    view = announcements.preview_view(cast(Any, services), a, draft, None)
    assert problems(view["blocks"], "modal", view) == []
    assert joined(view["blocks"]).count(LINK) == 7 and "01234 567890" in joined(view["blocks"])


def test_contact_lists_every_contact_of_a_large_trust(slack_bot) -> None:
    contacts = tuple(
        Contact(
            f"Ward {n} go-live lead",
            f"bleep {1000 + n} or <tel:01234567{n:03d}|01234 567{n:03d}>",
            ("go-live",),
        )
        for n in range(100)
    )
    golive = GoLive(datetime(2027, 1, 18, 7, tzinfo=UTC), datetime(2027, 2, 12, 17, tzinfo=UTC))
    bot = slack_bot(org=org_config(golive=golive, contacts=contacts), clock=ManualClock(golive.start))
    bot.command("contact", user="U0NURSE")
    [reply] = bot.fake.wait_for("response_url")
    assert problems(reply.params["blocks"]) == []
    shown = joined(reply.params["blocks"])
    assert all(f"*Ward {n} go-live lead*: bleep {1000 + n} " in shown for n in range(100))


def test_the_announcement_list_and_form_fit_whatever_is_scheduled() -> None:
    due = datetime(2027, 1, 5, 9, tzinfo=UTC)
    made = [
        Announcement(id=f"a-{n:03d}", channels=("announcements", "C0WARDS", "#golive-" + "x" * 70) * 5,
                     text="t", at=due, origin="slack" if n % 2 else "file", source="schedules/" + "p" * 300,
                     created_by="U0COMMS")
        for n in range(120)
    ]  # fmt: skip
    stored = [Stored(a, due) for a in made]
    comms = SimpleNamespace(scheduled=lambda: stored, next_due=lambda a: due)
    services = SimpleNamespace(comms=comms, settings=SimpleNamespace(org=OrgConfig()))
    listed = announcements.list_blocks(cast(Any, services))
    assert problems(listed) == []
    view = announcements.compose_view("C0ANNOUNCE")
    assert problems(view["blocks"], "modal", view) == []


def test_a_code_block_split_across_sections_is_closed_and_opened_again() -> None:
    """Steps a trust pastes as code (a printer's setup, a downtime script) must not spill their
    markers into the text, nor set the rest of the answer as code."""
    code = "\n".join(f"step {n}: press F{n % 12} then Enter" for n in range(200))
    answer = f"Do this on the ward PC:\n```\n{code}\n```\nThen ring the service desk on 01234 567890."
    parts = texts(b.sections(answer, 5))
    assert all(len(p) <= 3000 and p.count("```") % 2 == 0 for p in parts)
    assert sum(p.count("```") == 2 for p in parts) >= 2  # the block was split, and each piece is whole
    assert "service desk on 01234 567890" in parts[-1].rpartition("```")[2]  # not set as code
    shown = "\n".join(p.removeprefix("```\n").removesuffix("\n```") for p in parts)
    assert all(f"step {n}: press F{n % 12} then Enter" in shown for n in range(200))
    assert texts(b.sections("x" * 7000, 5)) == ["x" * 3000, "x" * 3000, "x" * 1000]  # no code: as before


def test_an_answer_of_long_paragraphs_is_shown_to_its_last_line() -> None:
    """Cut at paragraph ends, four paragraphs of 1,600 characters filled three sections by half each
    and lost the last line: the number to ring."""
    paragraph = "Check the request and the patient's details before you go on. " * 25
    answer = "\n\n".join([paragraph] * 4 + ["Out of hours ring the PACS team on ext 4821."])
    assert len(answer) <= LONGEST_ANSWER
    reply = b.answer_blocks(Entry(id="pacs", kind="howto", title="PACS", answer=answer), "pacs?")
    assert problems(reply) == [] and "ext 4821." in joined(reply) and "…" not in joined(reply)
