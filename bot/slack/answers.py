"""Questions in Slack: a mention is answered in its thread, a direct message in the conversation,
and the buttons on an answer (did it help, did you mean, pass it on) act on the domain.

A question passed to the support team leaves through the outbox, like an issue: it is queued before
the asker is told, then posted to the triage channel by the delivery worker, retried until Slack
takes it and never twice.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answering.model import gist
from bot.answering.smalltalk import acknowledges, small_talk
from bot.issues.model import references_in
from bot.issues.notices import triage_fallback
from bot.markup import escape, note_words, question_words, reactions
from bot.runtime import DirectMessage, PostReply, Services
from bot.slack import blocks
from bot.slack.app import SORRY, answer_once, event_key, respond, tell
from bot.slack.clients import why_slack_failed
from bot.slack.commands import small_talk_reply
from bot.slack.delivery import Message
from bot.slack.ids import user_id, user_of
from bot.slack.issue_blocks import channel_link, permalink
from bot.slack.replies import (
    ANSWER_KIND,
    SUPPORT_KIND,
    Reply,
    choose,
    later_reply,
    reply_to_question,
    support_post,
)
from bot.slack.words import block_lines
from bot.store import outbox
from bot.store.once import claim, release
from bot.store.outbox import Intent, Item

log = logging.getLogger(__name__)
FILES_ONLY = (
    "I can only read words, not pictures or files. Tell me in words what you need, or log the problem"
    " for the support team: use *Log as go-live issue* from your message's ⋮ menu, and it keeps a link"
    " to your screenshot."
)

ALREADY_VOTED = (
    "You've already told me whether this answer helped, thanks: I count each person's first choice."
    " If you still need help, use `/golive contact`."
)


def register(app: App, services: Services) -> None:
    @app.event("app_mention")
    def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if _is_from_a_person(event):
            _answer_event(app, services, client, body, event, event.get("thread_ts") or event.get("ts"))

    # Only direct messages match here, so another surface can still listen to channel messages.
    @app.event("message", matchers=[lambda event: event.get("channel_type") == "im"])
    def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if _is_from_a_person(event):
            _answer_event(app, services, client, body, event, event.get("thread_ts"))
        elif (edited := _edited_question(event)) and _asks_anew(services, event["previous_message"], edited):
            _answer_event(app, services, client, body, edited, edited.get("thread_ts"))

    @app.action(
        re.compile(
            f"^({blocks.HELPFUL}|{blocks.NOT_HELPFUL}|{blocks.PICK}_[0-9]|{blocks.PASS_TO_SUPPORT}"
            f"|{blocks.NONE_OF_THESE})$"
        )
    )
    def on_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        try:
            _click(services, client, body, action)
        except Exception:  # the bot's own failure (its database, say): the buttons stay, to try again
            log.exception("could not act on a click on %s", action.get("action_id"))
            tell(client, body, SORRY)

    services.renderers[SUPPORT_KIND] = lambda item: _render_support(services, item)
    services.renderers[ANSWER_KIND] = lambda item: _render_answer(services, item)


def _click(services: Services, client: WebClient, body: dict[str, Any], action: dict[str, Any]) -> None:
    action_id, clicker = str(action.get("action_id", "")), user_of(body) or None
    vote = _vote_key(body, action_id, clicker)
    if vote and not claim(services.db, vote, services.clock.now()):
        tell(client, body, ALREADY_VOTED)  # a second thought ('No' after 'Yes') is not left unanswered
        return
    try:
        choice = choose(services, action_id, action.get("value"), clicker, _clicked_message_key(body))
    except Exception:
        if vote:
            release(services.db, vote)  # not recorded, so the person may try again
        raise
    if choice is None:
        log.warning("ignored a click on %s whose value is not one of ours", action.get("action_id"))
        tell(client, body, "That button no longer works. Please ask your question again.")
        return
    support = choice.support
    if support is not None:  # where it was asked, so the team can answer there
        support = replace(support, payload={**support.payload, "asked_in": _asked_in(body)})
    note = _queue_for_support(services, support) if support else None
    others_see_it = not _in_direct_message(body) and not _ephemeral(body)
    aside = choice.aside or (vote is not None and others_see_it)  # others may want to vote too
    reply = choice.reply if aside else choice.in_place or choice.reply
    shown = [*reply.blocks, *([blocks.context(note)] if note else [])]
    if aside:
        respond(client, body.get("response_url"), response_type="ephemeral", replace_original=False,
                text=reply.text, blocks=shown)  # fmt: skip
    else:
        respond(client, body.get("response_url"), replace_original=True, text=reply.text, blocks=shown)


def _in_direct_message(body: dict[str, Any]) -> bool:
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    return str(container.get("channel_id", "")).startswith("D")


def _ephemeral(body: dict[str, Any]) -> bool:
    """A message only the clicker sees (a `/golive` answer): it is replaced, never answered beside."""
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    return container.get("is_ephemeral") is True


def _vote_key(body: dict[str, Any], action_id: str, clicker: str | None) -> str | None:
    """One vote per person per answer: a double click reaches us twice before Slack replaces the message."""
    message = _clicked_message_key(body)
    if action_id not in (blocks.HELPFUL, blocks.NOT_HELPFUL) or not clicker or not message:
        return None
    return f"feedback:{message}:{clicker}"


def _clicked_message_key(body: dict[str, Any]) -> str | None:
    """The message whose button was clicked, as 'channel:ts'; None when the payload does not say."""
    container = body.get("container")
    if not isinstance(container, dict):
        return None
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if not isinstance(ts, str) or not ts:
        return None
    return f"{str(channel)[:40]}:{ts[:40]}"  # bounded: the payload is anyone's


# A person's new message may carry a subtype: a file with a question, a thread reply sent to the channel
# too, a /me message.
_PERSON_SUBTYPES = (None, "", "file_share", "thread_broadcast", "me_message")


def _is_from_a_person(event: dict[str, Any]) -> bool:
    """Edits, deletions, joins and bot posts (ours included) carry another subtype or a bot id; an
    event without a conversation to answer in is not a question either."""
    channel = event.get("channel")
    return (
        event.get("subtype") in _PERSON_SUBTYPES
        and not event.get("bot_id")
        and bool(user_id(event.get("user")))
        and isinstance(channel, str)
        and bool(channel)
    )


def _edited_question(event: dict[str, Any]) -> dict[str, Any] | None:
    """A direct message its sender edited to ask something else, as it now reads, with its conversation:
    the reply to what it first said may no longer fit. An edit of a bot's post (ours included) or of a
    reply in a thread or a message that names an issue (a note on it, added once already) is none."""
    now, before = event.get("message"), event.get("previous_message")
    if event.get("subtype") != "message_changed" or not isinstance(now, dict) or not isinstance(before, dict):
        return None
    if now.get("thread_ts") not in (None, now.get("ts")) or references_in(_typed(before)):
        return None
    edited = {**now, "channel": event.get("channel"), "channel_type": event.get("channel_type")}
    return edited if _is_from_a_person(edited) else None


def _asks_anew(services: Services, before: dict[str, Any], edited: dict[str, Any]) -> bool:
    """Whether the edit changes the reply. A nurse who takes an NHS number out, as the bot asked her to,
    or mends a slip it read past anyway, is not answered twice; Slack unfurling a link changes nothing."""
    then, now = (
        _gists(services, services.redactor.clean(question_words(_typed(m)))) for m in (before, edited)
    )
    return then != now


def _gists(services: Services, question: str) -> list[tuple[str, ...]]:
    """The gist of the reply to a question, and of each answer to the several it may ask."""
    each = services.answering.each_answered(question)
    return [gist(services.answering.match(question)), *(gist(answer) for answer in each)]


def _answer_event(
    app: App,
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    event: dict[str, Any],
    thread_ts: str | None,
) -> None:
    answer_once(
        services,
        body,
        lambda: _reply(app, services, client, event, thread_ts, event_key(body)),
        lambda text: _post(client, event, thread_ts, text),
    )


def _reply(
    app: App,
    services: Services,
    client: WebClient,
    event: dict[str, Any],
    thread_ts: str | None,
    key: str,  # the message's claim (see answer_once): Slack's redelivery records the question once
) -> None:
    channel, user = event.get("channel"), event.get("user")
    question = question_words(_typed(event)).strip()  # as typed, without mentions
    if said := _not_a_question(app, services, event, question):
        reply = Reply(*said, resend={"said": said[0], "blocks": said[1]})
    else:
        source = "slack-dm" if event.get("channel_type") == "im" else "slack-mention"
        reply = reply_to_question(services, question, source=source, user_id=user, message_key=key)
    for n, each in enumerate((reply, *reply.also)):  # one reply per question the message asks
        try:
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=each.text, blocks=each.blocks or None
            )
        except (SlackApiError, OSError) as exc:
            _answer_later(services, f"{key}:{n}" if n else key, event, thread_ts, each, why_slack_failed(exc))
    if reply.private_note:
        _note(client, event, thread_ts, f"{reply.private_note} {blocks.STILL_IN_SLACK}")


def _answer_later(
    services: Services, key: str, event: dict[str, Any], thread_ts: str | None, reply: Reply, why: str
) -> None:
    """Slack would not take the reply, even after the client's own retries, and Slack does not send an
    event again once it was acked: the reply goes to the outbox, which posts it when Slack takes it
    (or to the asker directly, if the bot cannot post where they asked)."""
    channel, user = str(event.get("channel")), _text_or_none(event.get("user"))
    payload = {**reply.resend, "thread_ts": thread_ts, "user": user}
    intent = Intent(ANSWER_KIND, key, channel, payload, dedupe_key=f"reply:{key}")
    outbox.enqueue_all(services.db, [intent], services.clock.now())
    services.deliver_soon()
    log.warning("could not reply to a question (%s); the reply is queued and posted once Slack takes it", why)


def _note(client: WebClient, event: dict[str, Any], thread_ts: str | None, note: str) -> None:
    """The asker's private note (what the privacy guard removed) is a courtesy: if Slack will not take
    it, the answer still stands."""
    try:
        client.chat_postEphemeral(channel=event.get("channel"), user=event.get("user"), thread_ts=thread_ts,
                                  text=note)  # fmt: skip
    except (SlackApiError, OSError) as exc:
        log.warning(
            "could not show an asker what was removed from their question (%s)", why_slack_failed(exc)
        )


def _not_a_question(
    app: App, services: Services, event: dict[str, Any], question: str
) -> tuple[str, list[blocks.Block]] | None:
    """What to say to a message that asks the knowledge base nothing: a greeting or thanks, a reply to
    one of the bot's posts that the surface which made the post takes ('thanks' there is still thanks,
    not a note on an issue, but 'yes' or 'ok' answers the post; a screenshot there is added, named), or
    a screenshot with no words anywhere else (what the bot can do with it)."""
    noted = " ".join(filter(None, (note_words(_typed(event)).strip(), _attached(event))))  # a reply to a post
    if not question and event.get("files"):
        return _reply_to_a_post(services, event, noted) or FILES_ONLY, []
    talk = small_talk(question or reactions(_typed(event)))
    if talk and not acknowledges(question):
        return small_talk_reply(app, services, talk)
    if taken := _reply_to_a_post(services, event, noted) or _named_in_a_message(services, event, noted):
        return taken, []
    return small_talk_reply(app, services, talk) if talk else None


def _typed(event: dict[str, Any]) -> str:
    """The message as Slack markup: its text, or when that is empty (a client or a workflow may send
    only the formatted blocks) the words of its blocks, escaped as Slack escapes text."""
    text = event.get("text")
    if isinstance(text, str) and text.strip():
        return text
    return escape("\n".join(block_lines(event.get("blocks"))))


def _attached(event: dict[str, Any]) -> str:
    """The message's files, by name and with their links when Slack sends them, for a note: the bot
    cannot read a screenshot, but the team can open it."""
    files = event.get("files") if isinstance(event.get("files"), list) else []
    named = [_file_line(f) for f in files[:10] if isinstance(f, dict)]
    return f"attached {', '.join(named)}" if named else ""


def _file_line(file: dict[str, Any]) -> str:
    name, link = file.get("name") or file.get("title"), file.get("permalink")
    shown = name if isinstance(name, str) and name.strip() else "a file"
    return f"{shown} ({link})" if isinstance(link, str) and link.startswith("https://") else shown


def _reply_to_a_post(services: Services, event: dict[str, Any], text: str) -> str | None:
    """A direct message in the thread of one of the bot's posts (an update on an issue) is about that
    post: the surface that made it may take it, rather than it being asked of the knowledge base."""
    channel, thread, ts, user = (event.get(k) for k in ("channel", "thread_ts", "ts", "user"))
    if not all(isinstance(v, str) for v in (channel, thread, ts, user)) or not text or thread == ts:
        return None
    if event.get("channel_type") != "im" and not str(channel).startswith("D"):  # or its app_mention
        return None
    reply = PostReply(str(channel), str(thread), str(ts), str(user), text)
    return next((said for take in services.post_replies if (said := take(reply))), None)


def _named_in_a_message(services: Services, event: dict[str, Any], text: str) -> str | None:
    """A direct message that no post's surface took may name something of a surface's (an issue's
    reference): that surface may take it, as it would a reply in its post's thread."""
    channel, ts, user = (event.get(k) for k in ("channel", "ts", "user"))
    if not all(isinstance(v, str) for v in (channel, ts, user)) or not text:
        return None
    if event.get("channel_type") != "im" and not str(channel).startswith("D"):  # or its app_mention
        return None
    message = DirectMessage(str(channel), str(ts), str(user), text)
    return next((said for take in services.direct_messages if (said := take(message))), None)


def _post(client: WebClient, event: dict[str, Any], thread_ts: str | None, text: str) -> None:
    try:
        client.chat_postMessage(channel=event.get("channel"), thread_ts=thread_ts, text=text)
    except (SlackApiError, OSError) as exc:
        log.warning("could not tell a user their question failed (%s)", why_slack_failed(exc))


def _queue_for_support(services: Services, support: Intent) -> str:
    """Queue the triage post (once, however often the button is clicked); say where it will appear."""
    if support.target is None:
        return (
            "No support channel is set up yet, so the team will see it later, in the bot's report, not"
            " straight away. If you need help now, use `/golive contact`."
        )
    outbox.enqueue_all(services.db, [support], services.clock.now())
    services.deliver_soon()
    return f"It goes to {channel_link(support.target)}, with who asked and where."


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _render_support(services: Services, item: Item) -> Message:
    question, by = item.payload.get("question"), item.payload.get("by")
    asked_by = item.payload.get("asked_by", by)  # rows queued before the asker was kept: the clicker
    asked_in = permalink(item.payload.get("asked_in"))
    post = support_post(str(question or ""), _text_or_none(asked_by), _text_or_none(by), asked_in)
    return Message(post.text, post.blocks, **_support_fallback(services, _text_or_none(asked_by)))


def _support_fallback(services: Services, asker: str | None) -> dict[str, str]:
    """Where a passed-on question goes when the bot can never post in the triage channel (not invited,
    archived): where a triage post would go, else back to the asker, who was told it reached the team
    and must know it did not. Retrying would reach nobody, and the question would be lost."""
    if channel := triage_fallback(services.settings.org):
        return {"fallback_channel": channel}
    if not user_id(asker):
        return {}
    triage = channel_link(services.settings.org.channels.triage)
    note = (
        f":warning: *The support team has not seen your question*: I cannot post in {triage}. If you"
        " need an answer, `/golive contact` shows who to call."
    )
    return {"fallback_channel": str(asker), "fallback_note": note}


def _render_answer(services: Services, item: Item) -> Message | None:
    reply = later_reply(services, item.payload)
    if reply is None:
        return None
    thread_ts, user = _text_or_none(item.payload.get("thread_ts")), _text_or_none(item.payload.get("user"))
    note = f"I could not reply in {channel_link(item.target)} where you asked, so here is my answer."
    return Message(reply.text, reply.blocks, thread_ts=thread_ts, fallback_channel=user, fallback_note=note)


def _asked_in(body: dict[str, Any]) -> str | None:
    """A link to the thread of the bot's reply, built as Slack builds permalinks; None in a direct
    message or a private reply to `/golive` (nobody else can open either) or when the payload lacks a
    part."""
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    if container.get("is_ephemeral") is True:
        return None
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    channel, ts, domain = container.get("channel_id"), container.get("message_ts"), team.get("domain")
    if not all(isinstance(v, str) for v in (channel, ts, domain)) or not channel.startswith(("C", "G")):
        return None
    thread = message.get("thread_ts") if isinstance(message.get("thread_ts"), str) else ts
    link = f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    return permalink(f"{link}?thread_ts={thread}&cid={channel}" if thread != ts else link)
