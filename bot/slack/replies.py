"""What the bot says to a question or a button press, as Block Kit, without talking to Slack.

Slack handlers and the local console both call these, so the console shows exactly what Slack shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.answering.model import Answer, Entry, NotKnown
from bot.issues.model import references_in
from bot.markup import escape
from bot.runtime import Services
from bot.slack import blocks, ids
from bot.slack import issue_blocks as ib
from bot.slack.blocks import Block
from bot.store.outbox import Intent

SUPPORT_KIND = "answering.support"  # outbox rows for questions passed to the triage channel
ANSWER_KIND = "answering.reply"  # outbox rows for replies Slack did not take when they were first sent
WELCOME = "You're welcome. Mention me or send me a message whenever you have another question."


@dataclass(frozen=True)
class Reply:
    text: str  # the notification fallback
    blocks: list[Block]
    private_note: str | None = None  # for the asker alone, e.g. what the privacy guard removed
    # What posting this reply again later needs (see `later_reply`): the cleaned question, its record.
    resend: dict[str, Any] = field(default_factory=dict)
    also: tuple[Reply, ...] = ()  # replies posted after this one: the answers to a message's other questions


@dataclass(frozen=True)
class Choice:
    """The outcome of a button: the message that replaces the one clicked, and maybe a triage post."""

    reply: Reply
    triage: Reply | None = None
    # The triage post as an outbox intent, so it is retried until Slack takes it, and made once.
    support: Intent | None = None
    aside: bool = False  # for the clicker alone: the message clicked stays as it is, for its asker
    # What replaces the message clicked where only the clicker sees it (a direct message, a private
    # `/golive` answer), when that is more than `reply`: the answer kept above the thanks for a vote.
    in_place: Reply | None = None


# A button under an answer the knowledge base no longer has: the person may be relying on what it said.
_GONE = (
    "That answer has since been taken out of my knowledge base, perhaps because it was out of date."
    " Ask your question again to see my current answer."
)
TAKEN_OUT = Reply(_GONE, [blocks.text_section(_GONE)])


def reply_to_question(
    services: Services, question: str, *, source: str, user_id: str | None, message_key: str | None = None
) -> Reply:
    if references_in(question):  # most questions name no issue: cleaned once, by `ask`, not twice
        redaction = services.redactor.redact(question)  # the references are read from the cleaned text
        in_a_channel = source == "slack-mention"  # others read the reply: it names nobody
        if named := issues_named(services, redaction.text, names=not in_a_channel):
            return replace(named, private_note=redaction.explain() if redaction.changed else None)
    result = services.answering.ask(question, source=source, user_id=user_id, message_key=message_key)
    note = result.redaction.explain() if result.redaction.changed else None
    if result.each:  # several questions, each answered on its own: one reply each, for its own vote
        first, *rest = (_answer_to(answer) for answer in result.each)
        return replace(first, private_note=note, also=tuple(rest))
    asked = result.redaction.text  # never echo what the privacy guard removed
    unanswered = result.outcome.unanswered_id if isinstance(result.outcome, NotKnown) else None
    shown = blocks.outcome_blocks(result.outcome, asked, user_id)
    return Reply(blocks.outcome_text(result.outcome), shown, note, {"q": asked, "u": unanswered})


def _answer_to(answer: Answer) -> Reply:
    """An answer to one question of a message, voted on and posted again later as that question."""
    shown = blocks.answer_blocks(answer.best.entry, answer.question)
    return Reply(blocks.outcome_text(answer), shown, resend={"q": answer.question})


def later_reply(services: Services, resend: dict[str, Any]) -> Reply | None:
    """A reply made again from what `reply_to_question` kept, without recording the question twice, or
    what was said to a message that asked nothing (help, a greeting), as it was; None when what was
    kept is neither (the row is not one of ours)."""
    said, shown = resend.get("said"), resend.get("blocks")
    if isinstance(said, str):
        return Reply(said, shown if isinstance(shown, list) else [])
    question, unanswered = resend.get("q"), resend.get("u")
    if not isinstance(question, str):
        return None
    if named := issues_named(services, question, names=False):  # it may be posted in a channel
        return named
    outcome = services.answering.match(question)
    if isinstance(outcome, NotKnown):
        outcome = replace(outcome, unanswered_id=unanswered if isinstance(unanswered, int) else None)
    asker = ids.user_id(resend.get("user")) or None
    return Reply(blocks.outcome_text(outcome), blocks.outcome_blocks(outcome, question, asker))


def issues_named(services: Services, question: str, names: bool = True) -> Reply | None:
    """The issues a question names by reference ('any update on GL-0042?'), whatever else it says:
    staff quote the reference when they chase an issue, as they are told to, and it is no question for
    the knowledge base. `names` False for a reply others read: naming someone there calls them."""
    named = services.issues.named_in(question)
    if not named:
        return None
    references = " ".join(reference for reference, _ in named)
    return Reply(ib.named_text(named), ib.named_blocks(named, names), resend={"q": references})


def choose(
    services: Services, action_id: str, value: object, user_id: str | None, message_key: str | None = None
) -> Choice | None:
    """Act on a button of an answer message; None when the button or its value is not ours.
    `message_key`: the message clicked, so that a double click on 'None of these' records it once."""
    fields = blocks.decode_value(value)
    question = fields.get("q")
    if not isinstance(question, str):
        return None
    question = services.redactor.clean(question)
    asker = ids.user_id(fields.get("a")) or None  # who asked, when the button says so in a user id's shape
    if action_id in (blocks.HELPFUL, blocks.NOT_HELPFUL) or action_id.startswith(blocks.PICK):
        entry_id = fields.get("e")
        entry = services.answering.entry(entry_id) if isinstance(entry_id, str) else None
        if entry is None:
            return Choice(TAKEN_OUT, aside=True) if isinstance(entry_id, str) else None
        if action_id.startswith(blocks.PICK):
            return _pick(entry, question, user_id, asker)
        return _feedback(services, entry, question, action_id == blocks.HELPFUL, user_id)
    if action_id == blocks.PASS_TO_SUPPORT:
        return _pass_on(services, fields.get("u"), question, user_id)
    if action_id == blocks.NONE_OF_THESE:
        return _none_fits(services, question, user_id, message_key, asker)
    return None


def _feedback(services: Services, entry: Entry, question: str, helpful: bool, user_id: str | None) -> Choice:
    services.answering.record_feedback(entry.id, question, helpful, user_id)
    title = escape(entry.title)
    answered = Reply(title, blocks.feedback_thanks_blocks(entry, helpful))
    return Choice(Reply(title, blocks.thanks_blocks(helpful)), in_place=answered)


def _pick(entry: Entry, question: str, clicker: str | None, asker: str | None) -> Choice:
    """The chosen answer replaces the suggestions; a colleague's pick under someone else's question is
    shown to them alone, so the asker keeps the suggestions to choose from themselves."""
    if asker and clicker and asker != clicker:
        return Choice(
            Reply(escape(entry.title), blocks.picked_for_yourself_blocks(entry, question, asker)), aside=True
        )
    return Choice(Reply(escape(entry.title), blocks.answer_blocks(entry, question)))


def _none_fits(
    services: Services, question: str, clicker: str | None, message_key: str | None, asker: str | None
) -> Choice:
    """None of the suggestions was what the person meant: the bot could not answer after all, so the
    question is recorded for the knowledge base and may be passed on, as when nothing came near. It is
    recorded as the asker's, whoever pressed it, so the team answers them. A colleague's press in the
    channel is noted, but the suggestions stay for the asker, who may yet pick one or pass it on."""
    asker = asker or clicker
    row = services.answering.record_unmatched(question, user_id=asker, message_key=message_key)
    if asker and clicker and asker != clicker:
        noted = Reply("Noted, and left to the person who asked", blocks.left_to_the_asker_blocks(asker))
        return Choice(noted, aside=True)
    outcome = NotKnown(question, (), row)
    return Choice(Reply(blocks.outcome_text(outcome), blocks.outcome_blocks(outcome, question)))


def _pass_on(services: Services, unanswered_id: object, question: str, user_id: str | None) -> Choice | None:
    """The support team gets the question as recorded (the button holds only its start) and who asked."""
    if isinstance(unanswered_id, bool) or not isinstance(unanswered_id, int):
        return None
    recorded = services.answering.pass_to_support(unanswered_id)
    reply = Reply("Passed to the support team" if recorded else "Nothing passed on",
                  blocks.passed_on_blocks(question, bool(recorded)))  # fmt: skip
    if recorded is None:
        return Choice(reply)
    asked_by = recorded.user_id or user_id
    support = Intent(
        SUPPORT_KIND, str(unanswered_id), services.settings.org.channels.triage,
        payload={"question": recorded.question, "by": user_id, "asked_by": asked_by},
        dedupe_key=f"support:{unanswered_id}",  # a double click or a replayed request posts it once
    )  # fmt: skip
    return Choice(reply, support_post(recorded.question, asked_by, user_id), support)


def support_post(
    question: str, asked_by: str | None, passed_on_by: str | None, asked_in: str | None = None
) -> Reply:
    """The triage channel's post for a passed-on question; the outbox renders it when it delivers."""
    return Reply(
        "A question the bot could not answer",
        blocks.triage_question_blocks(question, asked_by, passed_on_by, asked_in),
    )
