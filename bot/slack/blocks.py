"""Block Kit builders for every message the bot sends about answers, in one place.

User text is always passed through `escape` before it is echoed, so nobody can make the bot post
`<!channel>`, mention people or disguise a link. Knowledge-base answers are the trust's own mrkdwn and
go through `safe_mrkdwn`: their links, channels, dates and formatting are kept, but a `<!channel>` or
`<@U123>` in one becomes plain '@channel' (calling nobody each time it is asked), and a bare '<5' or
'A&E' shows as written. Titles are plain text: escaped wherever mrkdwn shows them. Button values carry
escaped text too and are decoded defensively, because a click payload is as hostile as any other request.
"""

from __future__ import annotations

import json
from typing import Any

from bot.answering.examples import Examples
from bot.answering.model import Answer, Candidate, Entry, NotKnown, Outcome, Suggestions
from bot.markup import escape, safe_mrkdwn, shorten, unescape
from bot.slack import ids
from bot.slack.shape import json_object

Block = dict[str, Any]

HELPFUL = "answer_helpful"
NOT_HELPFUL = "answer_not_helpful"
PICK = "answer_pick"  # action ids answer_pick_0.. so each button in a block is unique
PASS_TO_SUPPORT = "answer_pass_to_support"
NONE_OF_THESE = "answer_none_of_these"
_ECHO_LIMIT = 300  # characters of a question echoed back or carried in a button value
_BUTTON_LABEL_LIMIT = 75  # Slack's limit for button text
SECTION_LIMIT = 3000  # Slack rejects a longer section, and with it the whole reply
_FENCE = "```"  # opens and closes a code block in mrkdwn
OPTION_LIMIT = 75  # Slack's limit for an option's text
_ENTITY_SPAN, _MARKUP_SPAN = 8, 1000  # how far back an open `&amp;` or `<link|label>` can start
# After the privacy guard's note on a message: the bot cleans its own copy, but cannot edit the person's.
STILL_IN_SLACK = "Your own message still shows it in Slack: please edit or delete it."
# Slack refuses a message whose blocks hold more than about 12,000 characters of text in all
# (msg_blocks_too_long; measured by others, not documented), however few blocks it has: a long text is
# posted in at most this many full sections, which leaves room for the rest of the message.
MESSAGE_SECTIONS = 3
MESSAGE_TEXT_LIMIT = 11_000  # the text a message's blocks may hold in all, kept below Slack's refusal
_SHORTEST_CUT = 300  # a section cut to fit keeps at least this much of its text
_PARAGRAPHS_FROM, _FULL_FROM = 0.5, 0.95  # where in a section a cut may fall: at a paragraph, or full


def encode_value(**fields: str | int) -> str:
    """A button value: JSON whose text fields are escaped and short enough for Slack's 2,000 limit."""
    return json.dumps(
        {k: escape(shorten(v, _ECHO_LIMIT)) if isinstance(v, str) else v for k, v in fields.items()},
        ensure_ascii=False,  # Slack counts characters: an emoji is one, not twelve
    )


def decode_value(value: object) -> dict[str, Any]:
    """The fields of a button value, or {} when it is not one of ours."""
    if not isinstance(value, str) or len(value) > 4000:
        return {}
    data = json_object(value) or {}
    return {k: unescape(v) if isinstance(v, str) else v for k, v in data.items()}


def fit(mrkdwn: str, limit: int = SECTION_LIMIT) -> str:
    """Escaped mrkdwn cut to Slack's limit: escaping can make text five times longer, and Slack
    refuses the whole message for one long section. The cut never splits an entity (`&am`) or
    leaves a mention or link open (`<@U1`), so what is shown stays inert."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    cut = mrkdwn[: limit - 1]
    return cut[: _outside_markup(cut)] + "…"


def text_section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": fit(text)}}


def sections(mrkdwn: str, most: int) -> list[Block]:
    """Long mrkdwn as up to `most` sections, so text past Slack's 3,000 characters is shown, not lost.
    Each cut falls at a paragraph or line break (else a space) and never inside a link, mention or
    entity; only what would need more than `most` sections is cut, with an ellipsis. A text that
    would not fit cut at paragraphs is cut where each section is full instead: long paragraphs cut
    at their ends left half of each section empty, and the end of the text (the number to ring) cut."""
    chunks = _chunks(mrkdwn, most, _PARAGRAPHS_FROM)
    if len(chunks[-1]) > SECTION_LIMIT:
        chunks = _chunks(mrkdwn, most, _FULL_FROM)
    return [text_section(chunk) for chunk in chunks if chunk.strip()] or [text_section(mrkdwn)]


def _chunks(mrkdwn: str, most: int, start: float) -> list[str]:
    """The text in up to `most` pieces, each cut at the last break past `start` of a section's length."""
    chunks: list[str] = []
    rest = mrkdwn
    while len(rest) > SECTION_LIMIT and len(chunks) < most - 1:
        chunk, rest = _cut(rest, start)
        chunks.append(chunk)
    return [*chunks, rest]


def within_message_limit(blocks: list[Block]) -> list[Block]:
    """The blocks, their longest sections cut (visibly, '…') until their text in all is within what
    Slack takes in one message; buttons and everything else are kept. Whole fields of an issue made
    five times longer by escaping ('&' as '&amp;') would otherwise have the whole post refused, and a
    triage post sent as plain text has no buttons to act on."""
    excess = text_length(blocks) - MESSAGE_TEXT_LIMIT
    out = list(blocks)
    while excess > 0:
        i = max(range(len(out)), key=lambda n: len(_section_text(out[n])))
        text = _section_text(out[i])
        cut = fit(text, max(len(text) - excess, _SHORTEST_CUT))
        if len(cut) >= len(text):
            break  # nothing left to cut: Slack's refusal and the plain-text fallback take it from here
        out[i] = {**out[i], "text": {**out[i]["text"], "text": cut}}
        excess -= len(text) - len(cut)
    return out


def text_length(value: object) -> int:
    """The characters of every text in blocks, however deep: what Slack counts against a message."""
    if isinstance(value, list):
        return sum(text_length(v) for v in value)
    if isinstance(value, dict):
        return sum(len(v) if k == "text" and isinstance(v, str) else text_length(v) for k, v in value.items())
    return 0


def _section_text(block: Block) -> str:
    text = block.get("text") if block.get("type") == "section" else None
    return text["text"] if isinstance(text, dict) and isinstance(text.get("text"), str) else ""


def _cut(text: str, start: float) -> tuple[str, str]:
    """The first section's worth of a too-long text, and the rest. A code block the cut falls in is
    closed at the end of the one and opened again at the start of the other, so neither section shows
    the markers as text and the rest of the answer is not set as code."""
    cut, skip = _break_at(text[:SECTION_LIMIT], start)
    if text[:cut].count(_FENCE) % 2:  # leave room to close it
        cut, skip = _break_at(text[: SECTION_LIMIT - len(_FENCE) - 1], start)
    head, rest = text[:cut].rstrip(), text[cut + skip :].lstrip("\n")
    if head.count(_FENCE) % 2:
        return f"{head}\n{_FENCE}", f"{_FENCE}\n{rest}"
    return head, rest


def _break_at(window: str, start: float) -> tuple[int, int]:
    """Where to cut a too-long text (the window is as much as fits) and how many separator characters
    to drop there: the last paragraph, line or word break past `start` of it, outside any `<...>`/`&...;`."""
    past = int(len(window) * start)
    at, skip = len(window), 0
    for separator in ("\n\n", "\n", " "):
        found = window.rfind(separator, past)
        if found > 0:
            at, skip = found, len(separator)
            break
    safe = _outside_markup(window[:at])
    return (at, skip) if safe in (at, 0) else (safe, 0)


def _outside_markup(head: str) -> int:
    """The length of `head` without a link, mention or entity left open at its end. A bare `&` or `<`
    further back (the plan's own "A&E", "<5 min") is text, not markup, and moves nothing."""
    at = len(head)
    lt, amp = head.rfind("<"), head.rfind("&")
    if lt > head.rfind(">") and lt >= at - _MARKUP_SPAN:
        at = lt
    if amp > head.rfind(";") and amp >= len(head) - _ENTITY_SPAN:
        at = min(at, amp)
    return at


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": fit(text)}]}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": shorten(label, _BUTTON_LABEL_LIMIT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(shorten(label, OPTION_LIMIT)), "value": value}


def notice_view(title: str, body: list[Block]) -> dict[str, Any]:
    """A modal that only tells: what a form turns into once done, or why it cannot go on."""
    return {"type": "modal", "title": plain(title), "close": plain("Close"), "blocks": body}


def actions(*elements: dict[str, Any]) -> Block:
    return {"type": "actions", "elements": list(elements)}


def you_asked(question: str) -> Block:
    # Shortened after escaping, so the text fits Slack's limits however many & < > it holds, and
    # never inside an entity, which would show a stray '&'.
    return context(f"You asked: _{fit(escape(question), _ECHO_LIMIT)}_")


def entry_blocks(entry: Entry) -> list[Block]:
    """The answer itself: the trust's own mrkdwn, its links kept, its mentions calling nobody."""
    return [
        {"type": "header", "text": {"type": "plain_text", "text": shorten(entry.title, 150)}},
        *sections(safe_mrkdwn(entry.answer), MESSAGE_SECTIONS),
    ]


def answer_blocks(entry: Entry, question: str) -> list[Block]:
    value = encode_value(e=entry.id, q=question)
    return [
        *entry_blocks(entry),
        context("Did this help?"),
        actions(
            button("Yes, it helped", HELPFUL, value, "primary"),
            button("No", NOT_HELPFUL, value),
        ),
    ]


def thanks_blocks(helpful: bool) -> list[Block]:
    """The thanks for a vote on an answer, on its own: where others still see the answer, the voter
    is thanked privately and not sent the whole answer again."""
    thanks = (
        "Thanks, glad it helped."
        if helpful
        else "Thanks for telling us: the people who keep my answers up to date will look at it. If you "
        "still need help, use `/golive contact`."
    )
    return [context(thanks)]


def feedback_thanks_blocks(entry: Entry, helpful: bool) -> list[Block]:
    """An answer only the voter sees (a direct message, a private `/golive` one) once voted on: the
    answer stays, without its buttons, above the thanks."""
    return [*entry_blocks(entry), *thanks_blocks(helpful)]


def suggestion_blocks(
    candidates: tuple[Candidate, ...], question: str, asker: str | None = None
) -> list[Block]:
    """'Did you mean'; every button carries who asked, so the question and its suggestions stay theirs
    whoever presses one."""
    who = {"a": asker} if asker and ids.user_id(asker) else {}
    buttons = [
        button(c.entry.title, f"{PICK}_{i}", encode_value(e=c.entry.id, q=question, **who))
        for i, c in enumerate(candidates[:3])
    ]
    buttons.append(button("None of these", NONE_OF_THESE, encode_value(q=question, **who)))
    unsure = "I'm not sure which you mean." if len(buttons) > 2 else "I'm not sure I've understood."
    return [
        text_section(f"{unsure} *Did you mean ...*"),
        actions(*buttons),
        you_asked(question),
    ]


def not_known_blocks(unanswered_id: int | None, question: str) -> list[Block]:
    next_step = (
        "If you need an answer, press *Pass it to the support team* for someone to follow it up, or use"
        " `/golive contact` if it is urgent."
        if unanswered_id is not None
        else "If it is urgent, use `/golive contact`."
    )
    blocks = [
        text_section(
            "I don't know that one yet, so I've noted it for the people who keep my answers up to date."
            f" {next_step}"
        ),
        you_asked(question),
    ]
    if unanswered_id is not None:
        blocks.append(
            actions(
                button(
                    "Pass it to the support team",
                    PASS_TO_SUPPORT,
                    encode_value(u=unanswered_id, q=question),
                    "primary",
                )
            )
        )
    return blocks


def outcome_blocks(outcome: Outcome, question: str, asker: str | None = None) -> list[Block]:
    """The reply to a question, whichever way the matcher decided; `asker`, the Slack user who asked."""
    if isinstance(outcome, Answer):
        return answer_blocks(outcome.best.entry, question)
    if isinstance(outcome, Suggestions):
        return suggestion_blocks(outcome.candidates, question, asker)
    return not_known_blocks(outcome.unanswered_id, question)


def outcome_text(outcome: Outcome) -> str:
    """The notification text Slack shows in alerts and to screen readers: mrkdwn, so titles are escaped."""
    if isinstance(outcome, Answer):
        return escape(outcome.best.entry.title)
    if isinstance(outcome, Suggestions):
        # A title that is a question ('How do I get a login?') ends in the one question mark.
        titles = (escape(c.entry.title).rstrip("?") for c in outcome.candidates[:3])
        return f"Did you mean: {', '.join(titles)}?"
    assert isinstance(outcome, NotKnown)
    return "I don't know that one yet."


def passed_on_blocks(question: str, passed: bool) -> list[Block]:
    """What the asker sees after pressing 'Pass it to the support team'."""
    if passed:
        note = "Passed to the support team. They will follow it up; if it is urgent, use `/golive contact`."
    else:
        note = "I could not find that question any more, so nothing was passed on. Please ask it again."
    return [text_section(note), you_asked(question)]


def picked_for_yourself_blocks(entry: Entry, question: str, asker: str) -> list[Block]:
    """The answer a colleague picked under someone else's suggestions, shown to them alone."""
    note = (
        f"Only you can see this answer. The suggestions stay under {_whose(asker)} question for them to"
        " choose."
    )
    return [*answer_blocks(entry, question), context(note)]


def left_to_the_asker_blocks(asker: str) -> list[Block]:
    """What a colleague who pressed *None of these* under someone else's question is told, privately."""
    return [
        text_section(
            f"Thanks: I've noted that none of these answer it. It is {_whose(asker)} question, so the"
            " suggestions stay for them to pick one or pass it to the support team. If you have a"
            " question of your own, ask me."
        )
    ]


def triage_question_blocks(
    question: str, asked_by: str | None, passed_on_by: str | None, asked_in: str | None = None
) -> list[Block]:
    """Who asked, so the team can reply to them; and who passed it on, when someone else did. The bot
    does not relay this thread, so the team is sent to the asker's own thread (`asked_in`, a checked
    permalink) or their direct messages: a reply here would never reach them."""
    asker, passer = _mention(asked_by), _mention(passed_on_by)
    who = f"asked by {asker or 'someone'}" + (
        f", passed on by {passer}" if passer and passer != asker else ""
    )
    them = asker or "The person who asked"
    where = f"in <{asked_in}|their thread>" if asked_in else "by direct message"
    return [
        text_section(f"*Question the bot could not answer*, {who}:"),
        text_section(f"> {fit(escape(question), 2500)}"),
        context(
            f"{them} does not see replies here: answer them {where}, and consider adding an entry "
            "to the knowledge base."
        ),
    ]


def _whose(asker: str) -> str:
    """Whose question it is, said to a colleague who pressed a button under it."""
    return f"{_mention(asker)}'s" if _mention(asker) else "someone else's"


def _mention(user_id: str | None) -> str | None:
    return f"<@{user_id}>" if ids.user_id(user_id) else None


def help_blocks(command: str, subcommand_lines: list[str], examples: Examples) -> list[Block]:
    """Everything the bot does: asked for with 'help', '?' or an empty mention."""
    lines = [
        f"*Ask me anything about the go-live.* Mention me in a channel, send me a direct message, "
        f"or type `{command} <question>` for a private answer.",
        f"I answer jargon{_for_example(examples.jargon)} and how-to questions"
        f"{_for_example(examples.howto)}. If I'm not sure I'll ask what you meant; if I don't know, I'll "
        "offer to pass the question to the support team.",
    ]
    commands = [f"• `{command} help` this message", *subcommand_lines]
    return [text_section("\n\n".join(lines)), text_section("\n".join(commands))]


def asking_blocks(command: str) -> list[Block]:
    """How to ask, heading the App Home tab: where someone who has just found the bot looks first."""
    return [
        {"type": "header", "text": plain("Ask a question")},
        text_section(
            "Send me a message in the *Messages* tab above, mention me in a channel, or type"
            f" `{command} <question>` anywhere for a private answer. `{command} contact` shows who to call"
            f" right now, and `{command} help` everything else I can do."
        ),
    ]


def greeting(system: str, examples: Examples) -> str:
    """A greeting is greeted back in two lines, what to ask and how to see the rest: the full help is a
    wall of text for someone who only said hello."""
    asked = [f"`{escape(q)}`" for q in (examples.jargon, examples.howto) if q]
    such_as = f", e.g. {' or '.join(asked)}" if asked else ""
    return (
        f"Hi! Ask me what a term means or how to do something on {escape(system)}{such_as}.\n"
        "Say *help* to see everything I can do."
    )


def _for_example(question: str | None) -> str:
    return f" (`{escape(question)}`)" if question else ""
