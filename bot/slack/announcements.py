"""Announcements in Slack: posting the plan's queued announcements, and comms leads scheduling their own.

`/golive announce` opens a form; submitting it shows a preview with today's figures filled in (a
pushed view), and only confirming the preview stores the announcement. `/golive announcements`
lists what is scheduled, each with a menu (Slack allows one element beside a line): Preview shows the
post privately as it will read at its next time, built as delivery builds it; Pause or Resume holds
any post, from the files too; Cancel removes one made in Slack. Every step checks that the person is
a comms lead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.comms.drafts import DAILY, ONCE, WEEKLY, Draft, describe_repeat
from bot.comms.model import FROM_SLACK, Announcement
from bot.comms.service import COMMS_LEADS_ONLY, PAUSE_LEADS_ONLY, PREVIEW_LEADS_ONLY, Preview
from bot.markup import escape
from bot.runtime import Services
from bot.slack.app import open_view, respond, tell
from bot.slack.blocks import (
    MESSAGE_SECTIONS,
    MESSAGE_TEXT_LIMIT,
    Block,
    context,
    notice_view,
    option,
    plain,
    sections,
    text_length,
    text_section,
    within_message_limit,
)
from bot.slack.commands import Invocation, add_subcommand
from bot.slack.deadline import ack_in_time
from bot.slack.delivery import Message
from bot.slack.ids import user_of
from bot.slack.invited import not_a_member
from bot.slack.listeners import after_ack
from bot.slack.shape import json_object, state_values
from bot.store.comms import ANNOUNCEMENT_KIND, SKIPPED_KIND, Stored
from bot.store.once import claim, release
from bot.store.outbox import Item

log = logging.getLogger(__name__)
COMPOSE, CONFIRM, CANCEL = "announce_compose", "announce_confirm", "announcement_cancel"
MENU = "announcement_menu"  # a line's overflow menu; each option's value is "<choice>:<announcement id>"
PREVIEW, PAUSE, RESUME = "announcement_preview", "announcement_pause", "announcement_resume"
_LISTED = 40  # Slack allows 50 blocks in a message
_TAIL_ROOM = 200  # for the line that counts the announcements not listed
_FIELDS = ("message", "channel", "repeat", "at", "start", "end")
_METADATA_LIMIT = 3000  # Slack's limit on a view's private_metadata, which carries the draft
NOT_OPENED = "Slack did not open the form in time; please run `/golive announce` again."
STILL_PREVIEWING = "The bot is slow right now: press Preview again in a few seconds."
NOT_SCHEDULED = "Not scheduled: the bot could not store it just now. Start again with /golive announce."
NOT_CANCELLED = (
    "Not cancelled: the bot could not save that just now, so the announcement will still post. Press"
    " Cancel again in a minute; `/golive announcements` shows whether it is still scheduled."
)
NOT_PAUSED = (
    "Not paused: the bot could not save that just now, so the post is still scheduled. Choose Pause again"
    " in a minute; `/golive announcements` shows whether it is paused."
)
NOT_RESUMED = (
    "Not resumed: the bot could not save that just now, so the post is still paused. Choose Resume again"
    " in a minute; `/golive announcements` shows whether it is paused."
)
NOT_PREVIEWED = "The bot could not show that preview just now: choose Preview again in a minute."
GONE = "That announcement is not scheduled any more: `/golive announcements` lists what is."
OLD_MENU = (
    "That menu is from an older version of the bot: run `/golive announcements` again, and use its menu."
)
STILL_SCHEDULING = (
    "Still saving: the bot's database is slow right now. `/golive announcements` lists it once it is"
    " saved; if it is not there in a minute, start again with /golive announce."
)


def register(app: App, services: Services) -> None:
    services.renderers[ANNOUNCEMENT_KIND] = lambda item: render(services, item)
    services.renderers[SKIPPED_KIND] = lambda item: render_skipped(services, item)

    def announce(invocation: Invocation) -> None:
        if refusal := services.comms.refusal(invocation.user_id, services.membership):
            invocation.reply(refusal)
            return
        view = compose_view(invocation.channel_id)
        if problem := open_view(invocation.client, invocation.trigger_id, view, NOT_OPENED):
            invocation.reply(problem)

    def listing(invocation: Invocation) -> None:
        if refusal := services.comms.refusal(invocation.user_id, services.membership):
            invocation.reply(refusal)
            return
        invocation.reply("Scheduled announcements", list_blocks(services))

    add_subcommand(app, "announce", announce, "schedule an announcement, with a preview (comms leads)")
    add_subcommand(
        app, "announcements", listing,
        "list scheduled announcements, to preview, pause or resume any of them (comms leads)",
    )  # fmt: skip

    @app.view(COMPOSE)
    def on_compose(ack: Ack, body: dict[str, Any]) -> None:
        late = {"response_action": "errors", "errors": {"message": STILL_PREVIEWING}}
        ack_in_time(ack, lambda: _preview_answer(services, body), late)

    @app.view(CONFIRM)
    def on_confirm(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        late = _notice(STILL_SCHEDULING, "Scheduling")
        ack_in_time(
            ack, lambda: _schedule_answer(services, body, client), late, partial(_tell_late, client, body)
        )

    @app.action(CANCEL)
    def on_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """The Cancel button of lists shown before the menu, still in people's Slack."""
        ack()
        _act(services, body, client, CANCEL, str(_action(body).get("value") or ""))

    @app.action(MENU)
    def on_menu(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        selected = _action(body).get("selected_option")
        value = selected.get("value") if isinstance(selected, dict) else None
        choice, _, ident = str(value or "").partition(":")
        _act(services, body, client, choice, ident)


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return actions[0] if isinstance(actions[0], dict) else {}


def _act(services: Services, body: dict[str, Any], client: WebClient, choice: str, ident: str) -> None:
    """One choice from an announcement's line: a preview, or a change for comms leads only."""
    ident, comms = ident[:128], services.comms
    changes: dict[str, tuple[Callable[[str], str], str, str]] = {
        CANCEL: (partial(comms.cancel, ident), COMMS_LEADS_ONLY, NOT_CANCELLED),
        PAUSE: (partial(comms.pause, ident), PAUSE_LEADS_ONLY, NOT_PAUSED),
        RESUME: (partial(comms.resume, ident), PAUSE_LEADS_ONLY, NOT_RESUMED),
    }
    if choice == PREVIEW:
        _preview(services, body, client, ident)
    elif choice in changes:
        _change(services, body, client, *changes[choice])
    else:
        tell(client, body, OLD_MENU)


def _change(
    services: Services, body: dict[str, Any], client: WebClient, change: Callable[[str], str], refused: str,
    failed: str,
) -> None:  # fmt: skip
    """Cancel, pause or resume, by a comms lead: the list redrawn as it now stands under what happened
    (so no line offers Pause on a post already paused), or privately why nothing changed."""
    user_id, url = user_of(body), body.get("response_url")
    if refusal := services.comms.refusal(user_id, services.membership, refused):
        respond(client, url, response_type="ephemeral", replace_original=False, text=refusal)
        return
    try:
        text = change(user_id)
    except Exception:  # the bot's own failure (its database, say): silence would read as done
        log.exception("could not change an announcement")
        respond(client, url, response_type="ephemeral", replace_original=False, text=failed)
        return
    said = escape(text)  # it names the post by its words, which may hold a mention: inert in both
    shown = within_message_limit([text_section(said), *_still_listed(services)])
    respond(client, url, replace_original=True, text=said, blocks=shown)


def _still_listed(services: Services) -> list[Block]:
    """What is still scheduled, after a change; nothing when it cannot be read (the change stands)."""
    try:
        return list_blocks(services)
    except Exception:
        log.exception("changed an announcement but could not list what is still scheduled")
        return []


def _preview(services: Services, body: dict[str, Any], client: WebClient, ident: str) -> None:
    """The post as staff will read it at its next time, shown to the comms lead alone."""
    if refusal := services.comms.refusal(user_of(body), services.membership, PREVIEW_LEADS_ONLY):
        tell(client, body, refusal)
        return
    try:
        preview = services.comms.preview(ident)
        shown = preview_blocks(services, preview) if preview else [text_section(GONE)]
    except Exception:
        log.exception("could not preview an announcement")
        tell(client, body, NOT_PREVIEWED)
        return
    opening = f"Preview of “{_opening(preview.announcement)}”" if preview else GONE
    tell(client, body, opening, within_message_limit(shown))


def preview_blocks(services: Services, preview: Preview) -> list[Block]:
    """What the post will say at its next due time, between a private heading and a rule: the blocks
    are the delivery's own (`post_message`), so the preview cannot differ from the post."""
    a, tz = preview.announcement, services.settings.org.timezone
    where = ", ".join(_channel_mention(services, c) for c in a.channels)
    if preview.due is None or preview.text is None:
        return [text_section(f"*{_opening(a)}* has no time left to post, so there is nothing to preview.")]
    heading = (
        f"*Preview*, only you can see this: *{_opening(a)}* as staff will read it in {where} on"
        f" {preview.due.astimezone(tz):%a %d %b %Y at %H:%M} (open issue counts as they are now: they are"
        " read again when it posts)."
    )
    if preview.hold.paused:
        heading += "\n:double_vertical_bar: It is paused: it will not post then unless a lead resumes it."
    post = post_message(services, a.id, preview.text, preview.due)
    return [text_section(heading), {"type": "divider"}, *post.blocks, {"type": "divider"}]


def _preview_answer(services: Services, body: dict[str, Any]) -> dict[str, Any]:
    """The preview of a composed announcement, pushed over the form; or what to correct, beside it."""
    user_id, draft = user_of(body), draft_from(body.get("view"))
    if refusal := services.comms.refusal(user_id, services.membership):
        return {"response_action": "errors", "errors": {"message": refusal}}
    checked = services.comms.check(draft, user_id)
    if checked.announcement is None:
        return {"response_action": "errors", "errors": checked.errors}
    note = checked.redaction.explain() if checked.redaction.changed else None
    cleaned = replace(draft, message=checked.redaction.text)  # no identifier rides along in the view
    preview = preview_view(services, checked.announcement, cleaned, note)
    over = len(preview["private_metadata"]) - _METADATA_LIMIT
    if over > 0:  # Slack would refuse the preview and the lead would see only a generic error
        return {"response_action": "errors", "errors": {"message": _too_long(over)}}
    return {"response_action": "push", "view": preview}


def _schedule_answer(services: Services, body: dict[str, Any], client: WebClient) -> dict[str, Any]:
    """Store the previewed announcement (once, however often Schedule is pressed) and close the forms;
    what stopped it otherwise, with the message as typed so nothing written is lost."""
    user_id, view = user_of(body), body.get("view") or {}
    draft = _draft_from_metadata(view.get("private_metadata"))
    refusal = services.comms.refusal(user_id, services.membership)
    checked = services.comms.check(draft, user_id) if draft and not refusal else None
    if checked is None or checked.announcement is None:
        errors = checked.errors if checked else {"form": "The form was incomplete."}
        kept = f" Your message was:\n{draft.message}" if draft and draft.message else ""
        return _notice(f"{refusal or ' '.join(errors.values())} Start again with /golive announce.{kept}")
    try:
        stored = _store_once(services, f"announce:{view.get('id')}", checked.announcement)
    except Exception:  # the double-click claim too: a database that is down fails there first
        log.exception("could not store an announcement")
        return _notice(f"{NOT_SCHEDULED} Your message was:\n{draft.message if draft else ''}")
    if not stored:
        return {"response_action": "clear"}  # a double click: the first press stored it
    a = checked.announcement
    try:  # stored: the early post and the lead's confirmation may fail, and the form still closes
        services.post_due_announcements()  # a post due in the next seconds goes on time
        confirmed = (
            f"Scheduled for <#{a.channels[0]}>, {describe_repeat(a, services.settings.org)}: "
            f"“{_opening(a)}”. `/golive announcements` lists it, to preview, pause or cancel."
        )
        after_ack(partial(_confirm, client, user_id, a.channels[0], confirmed))  # the form closes now
    except Exception:
        log.exception("scheduled %s but could not post it early or confirm it to the lead", a.id)
    return {"response_action": "clear"}


def _confirm(client: WebClient, user_id: str, channel: str, confirmed: str) -> None:
    """Tell the lead it is scheduled, and whether the bot must first be invited to the channel they
    picked (Slack's picker lists every channel): found now, not on the day the post comes back to
    them instead."""
    if not_a_member(client, channel):
        confirmed += (
            f"\n:warning: The bot is not in <#{channel}>: invite it there (`/invite @golive`) before it"
            " is due, or the post will come to you instead."
        )
    client.chat_postMessage(channel=user_id, text=confirmed)


def _store_once(services: Services, key: str, announcement: Announcement) -> bool:
    """Store the announcement, saved before the form closes so it is never lost; False when this form
    stored it already. A failure gives the claim back, so pressing Schedule again stores it."""
    if not claim(services.db, key, services.clock.now()):
        return False
    try:
        services.comms.add(announcement)
    except Exception:
        release(services.db, key)
        raise
    return True


def _tell_late(client: WebClient, body: dict[str, Any], answer: dict[str, Any]) -> None:
    """Scheduling that failed after the form said it was still saving: the lead gets what the form
    would have shown (why, and their message), by direct message."""
    view = answer.get("view") if answer.get("response_action") == "update" else None
    if isinstance(view, dict):
        tell(client, body, "Not scheduled", view.get("blocks"))


def _notice(text: str, title: str = "Not scheduled") -> dict[str, Any]:
    return {"response_action": "update", "view": notice_view(title, sections(escape(text), 3))}


def render(services: Services, item: Item) -> Message | None:
    """The announcement as it reads at its due time, headed by when it was due if it is going out well
    after; None (not posted) once it is cancelled or removed."""
    due = item.payload.get("due")
    due_at = datetime.fromisoformat(due) if isinstance(due, str) else None
    text = services.comms.render_announcement(item.ref, due_at)
    return None if text is None else post_message(services, item.ref, text, due_at)


def post_message(services: Services, announcement_id: str, text: str, due: datetime | None) -> Message:
    """The post of an announcement's rendered text: the delivery's, and the preview's."""
    blocks = sections(text, MESSAGE_SECTIONS)
    if due and (late := services.comms.late_note(due)):
        blocks = [context(late), *blocks]
    return Message(text=text, blocks=blocks, fallback_channel=services.comms.fallback_for(announcement_id))


def render_skipped(services: Services, item: Item) -> Message | None:
    """The notice that a post was not made, to the lead who made it or the command centre."""
    text = services.comms.skipped_text(item.ref, datetime.fromisoformat(str(item.payload.get("due"))))
    return None if text is None else Message(text=escape(text), blocks=[text_section(escape(text))])


def _too_long(over: int) -> str:
    return (
        f"The message is about {over} characters too long to preview and schedule from Slack "
        "(line breaks and quotes count double). Shorten it, or ask for it to go in a schedules file."
    )


def compose_view(channel_id: str) -> dict[str, Any]:
    channel: dict[str, Any] = {"type": "conversations_select", "action_id": "channel"}
    if channel_id.startswith(("C", "G")):
        channel["initial_conversation"] = channel_id
    choices = [option("Once", ONCE), option("Daily", DAILY), option("Weekly, on the start day", WEEKLY)]
    repeat = {
        "type": "static_select",
        "action_id": "repeat",
        "initial_option": choices[0],
        "options": choices,
    }
    message = {"type": "plain_text_input", "action_id": "message", "multiline": True, "max_length": 3000}
    at = {"type": "timepicker", "action_id": "at", "initial_time": "09:00"}
    hint = "Placeholders such as {days_to_golive}, {open_issues} or {contact_now} are filled in as it posts."
    return {
        "type": "modal",
        "callback_id": COMPOSE,
        "title": plain("Schedule announcement"),
        "submit": plain("Preview"),
        "close": plain("Cancel"),
        "blocks": [
            _input("message", "Message", message, hint=hint),
            _input("channel", "Post in", channel),
            _input("repeat", "How often", repeat),
            _input("at", "At (local time)", at),
            _input("start", "On (or from)", {"type": "datepicker", "action_id": "start"}),
            _input("end", "Until (optional)", {"type": "datepicker", "action_id": "end"}, optional=True),
        ],
    }


def preview_view(services: Services, a: Announcement, draft: Draft, note: str | None) -> dict[str, Any]:
    rendered = services.comms.render(a.text)
    when = describe_repeat(a, services.settings.org)
    blocks: list[Block] = [
        text_section(f"*Preview* (figures as they are now) for <#{a.channels[0]}>, {when}:"),
        {"type": "divider"},
        *sections(rendered, MESSAGE_SECTIONS),  # as it will post
        {"type": "divider"},
    ]
    if note:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(note)}]})
    return {
        "type": "modal", "callback_id": CONFIRM,
        "private_metadata": json.dumps(draft.__dict__, ensure_ascii=False),  # Slack counts characters
        "title": plain("Preview"), "submit": plain("Schedule"), "close": plain("Back"), "blocks": blocks,
    }  # fmt: skip


def list_blocks(services: Services) -> list[Block]:
    """Every active announcement with its next post, paused or not, as many as one message holds, each
    with its menu."""
    rows: list[tuple[datetime, Stored]] = []
    for stored in services.comms.scheduled():
        due = services.comms.next_due(stored.announcement)
        if due is not None:
            rows.append((due, stored))
    if not rows:
        return [text_section("Nothing is scheduled to post.")]
    rows.sort(key=lambda r: (r[0], r[1].announcement.id))
    blocks: list[Block] = []
    used = 0  # the text of the rows so far
    for due, stored in rows[:_LISTED]:
        block = _row(services, due, stored)
        used += text_length(block)
        if used > MESSAGE_TEXT_LIMIT - _TAIL_ROOM:
            break  # Slack refuses a message of more text: the rest are counted below
        blocks.append(block)
    if len(rows) > len(blocks):
        blocks.append(
            text_section(
                f"…and {len(rows) - len(blocks)} later ones; whoever runs the bot can list them all with"
                " `golive-bot schedule`."
            )
        )
    return blocks


def _row(services: Services, due: datetime, stored: Stored) -> Block:
    """One announcement's line in the list, marked when paused (by whom, since when), with its menu."""
    a, hold, tz = stored.announcement, stored.hold, services.settings.org.timezone
    where = ", ".join(_channel_mention(services, c) for c in a.channels)
    line = f"*{_opening(a)}* → {where}\n"
    if hold.paused:
        by = f" by <@{hold.paused_by}>" if hold.paused_by else ""
        since = f" since {hold.paused_at.astimezone(tz):%a %d %b %H:%M}" if hold.paused_at else ""
        line += f":double_vertical_bar: *Paused*{by}{since}: not posted until resumed"
        line += f" (next time {due.astimezone(tz):%a %d %b %H:%M})"
    else:
        line += f"Next: {due.astimezone(tz):%a %d %b %H:%M}"
    if a.origin != FROM_SLACK:
        line += f" · from {escape(a.source)}"
    else:
        line += f" · {describe_repeat(a, services.settings.org)} · by <@{a.created_by}>"
    return {**text_section(line), "accessory": _menu(stored)}


def _menu(stored: Stored) -> dict[str, Any]:
    """Preview, Pause or Resume, and Cancel for a post made in Slack (a file's is taken out of its file).
    An option's value names the choice and the announcement: at most 21 + 128 characters of Slack's 150."""
    a = stored.announcement
    pause = option("Resume", f"{RESUME}:{a.id}") if stored.hold.paused else option("Pause", f"{PAUSE}:{a.id}")
    choices = [option("Preview", f"{PREVIEW}:{a.id}"), pause]
    if a.origin == FROM_SLACK:
        choices.append(option("Cancel", f"{CANCEL}:{a.id}"))
    return {"type": "overflow", "action_id": MENU, "options": choices}


def _opening(a: Announcement) -> str:
    """Its first words, inert: a plan file's `<!channel>` must not call the channel from a list."""
    return escape(a.opening())


def draft_from(view: Any) -> Draft:
    """The form's values, read defensively: a missing or odd field becomes empty and fails the check."""
    values = state_values(view)

    def field(name: str, key: str) -> str:
        block = values.get(name)
        element = block.get(name) if isinstance(block, dict) else None
        value = element.get(key) if isinstance(element, dict) else None
        if isinstance(value, dict):  # a static_select's selected_option
            value = value.get("value")
        return value if isinstance(value, str) else ""

    return Draft(
        message=field("message", "value"), channel=field("channel", "selected_conversation"),
        repeat=field("repeat", "selected_option"), at=field("at", "selected_time"),
        start=field("start", "selected_date"), end=field("end", "selected_date") or None,
    )  # fmt: skip


def _draft_from_metadata(metadata: Any) -> Draft | None:
    data = json_object(metadata)
    if data is None or not all(isinstance(data.get(f), str | None) for f in _FIELDS):
        return None
    return Draft(**{f: data.get(f) or ("" if f != "end" else None) for f in _FIELDS})


def _channel_mention(services: Services, channel: str) -> str:
    resolved = getattr(services.settings.org.channels, channel, None) or channel
    return f"<#{resolved}>" if resolved[:1] in ("C", "G") else escape(resolved)


def _input(
    block_id: str, label: str, element: dict[str, Any], hint: str = "", optional: bool = False
) -> Block:
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element,
                    "optional": optional}  # fmt: skip
    if hint:
        block["hint"] = plain(hint)
    return block
