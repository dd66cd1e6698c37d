"""Issues in Slack: the report form (slash command and shortcuts), triage buttons, `/golive issues`,
and the renderers that turn outbox rows about issues into posts at delivery time.

Each handler reads the payload defensively, calls the domain, and answers; the domain decides who may
do what. Everything to post goes through the outbox, then `deliver_soon` sends it after the ack.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.comms.contacts import format_contacts
from bot.issues import escalation, notices
from bot.issues.duplicates import may_join
from bot.issues.filters import STATUS_NAMES, lists_open_only, parse
from bot.issues.lifecycle import changed_meanwhile
from bot.issues.model import (
    DETAILS_MAX,
    SUMMARY_MAX,
    Action,
    Draft,
    Issue,
    Rating,
    Severity,
    without_references,
)
from bot.issues.service import Changed, Invalid, Refused
from bot.markup import as_seen, mentioned
from bot.privacy import CONTACT_DETAILS, Redaction
from bot.roles import Membership
from bot.runtime import DirectMessage, PostReply, Services
from bot.slack import issue_blocks as ib
from bot.slack.app import open_view, respond, tell
from bot.slack.blocks import STILL_IN_SLACK, context, text_section
from bot.slack.clients import one_try, why_slack_failed
from bot.slack.commands import Invocation, add_subcommand
from bot.slack.deadline import ack_in_time
from bot.slack.delivery import Message
from bot.slack.ids import user_id, user_of, view_id
from bot.slack.listeners import after_ack
from bot.slack.replies import issues_named
from bot.slack.words import block_lines, dicts
from bot.store import outbox
from bot.store.once import claim, release
from bot.store.outbox import Item

log = logging.getLogger(__name__)
_T = TypeVar("_T")
SHORTCUT = "log_issue"
MESSAGE_SHORTCUT = "log_issue_from_message"
ESCALATION_SECONDS = 30
# The bot is not the way to escalate harm: staff use their usual clinical escalation, whatever the bot does.
AT_RISK = (
    "If a patient is at risk, use your usual clinical escalation now; `/golive contact` shows who to"
    " call about the system."
)
_NOT_STORED = "the bot could not store it just now"
NOT_SAVED = f"Not saved yet: {_NOT_STORED}. Your form is still here: send it again in a minute. {AT_RISK}"
NOT_CHANGED = f"Not saved: {_NOT_STORED}, so nothing changed. Press the button again in a minute. {AT_RISK}"
NOT_ADDED = (
    f"Not added: {_NOT_STORED}, so you are not recorded on that issue. Press *Same problem: add me* again"
    f" in a minute, or log it as a new issue below. {AT_RISK}"
)
NOT_OPENED = "I could not open the issue form just now. Please try again in a moment."
PERMALINK_TIMEOUT = 1.5  # seconds: what the form's 3 s trigger can spare
NAMES_TIMEOUT = 1.0  # seconds for the names of the people a message mentions, looked up beside the link
_NAMES_MOST = 10  # people looked up in one message; any more are '@someone'
_DOMAIN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_TS = re.compile(r"[0-9]{1,12}\.[0-9]{6}")
NOT_RESOLVED = f"Not resolved: {_NOT_STORED}. Press Resolve again in a minute."
STILL_SAVING = (
    "Still saving: the bot is slow right now. Send the form again in a few seconds to see the reference;"
    " it will not be logged twice."
)
LOG_AGAIN = f"Log it again with `/golive issue`. {AT_RISK}"
RESOLVE_AGAIN = "Press *Resolve* on the triage post again."
STILL_RESOLVING = "Still saving: the bot is slow right now. Press Resolve again in a few seconds."
NOT_RATED = f"Not changed: {_NOT_STORED}. Press Change again in a minute. {AT_RISK}"
RATE_AGAIN = f"Press *Change severity* on the triage post again. {AT_RISK}"
STILL_RATING = "Still saving: the bot is slow right now. Press Change again in a few seconds."


def register(app: App, services: Services) -> None:
    _register_forms(app, services)
    _register_buttons(app, services)
    add_subcommand(
        app,
        "issue",
        lambda inv: _open_from_command(services, inv),
        "[summary] logs a go-live issue for the support team",
    )
    add_subcommand(
        app,
        "issues",
        lambda inv: _list(services, inv),
        f"[p1..p4] [{'|'.join(STATUS_NAMES)}] [mine] [area] [place or summary words] lists issues (open"
        " ones unless you name a status); `GL-0042` shows that one",
    )
    services.renderers.update(renderers(services))
    services.post_replies.append(partial(_note_from_reply, services))
    services.direct_messages.append(partial(_note_from_message, services))
    services.background.every(ESCALATION_SECONDS, "issue-escalation", lambda: escalation_tick(services))


def _note_from_reply(services: Services, reply: PostReply) -> str | None:
    """A reply to the bot's update on an issue ('still happening, now on ward 4 too') is added to the
    issue for the team, once however often Slack delivers it, not asked of the knowledge base; what
    to tell the person, or None if the post was about something else."""
    post = outbox.posted_at(services.db, reply.channel, reply.post_ts)
    if post is None or post.kind not in (notices.NOTICE, notices.FOLLOWING):
        return None
    return _add_note(services, post.ref, f"note:{reply.channel}:{reply.ts}", reply.user, reply.text)


def _note_from_message(services: Services, message: DirectMessage) -> str | None:
    """Most people answer an update at the top of the direct message ('GL-0042 is still not working on
    ward 3'), not in its thread: what names an issue the sender reported is added to it as a reply in
    the thread would be; for an issue of someone else's, they are told how to add to it instead. None
    when it names no issue, or says nothing more (it asks after the issue: answered with its status)."""
    if not without_references(message.text):
        return None
    found = [issue for _, issue in services.issues.named_in(message.text) if issue]
    theirs = [issue.reported_by(message.user) for issue in found]
    said = [
        _added(services, issue, message) if mine else _not_theirs(issue)
        for issue, mine in zip(found, theirs, strict=True)
    ]
    if said and not any(theirs) and (redaction := services.redactor.redact(message.text)).changed:
        said.append(f"{redaction.explain()} {STILL_IN_SLACK}")  # a note added says so itself
    return "\n\n".join(said) or None


def _added(services: Services, issue: Issue, message: DirectMessage) -> str:
    """The message added to the sender's issue, and where the issue stands: they may be chasing it."""
    key = f"note:{message.channel}:{message.ts}:{issue.id}"  # one message may name two of their issues
    return f"{_add_note(services, issue.reference, key, message.user, message.text)}\n{ib.issue_line(issue)}"


def _not_theirs(issue: Issue) -> str:
    """Anyone may name an issue, but only those who reported it add to it: a note calls the team."""
    ref = issue.reference
    return (
        f"I have not added this to {ref}: only the people who reported it can add to it. If it affects"
        f" you too, log it with `/golive issue` and mention {ref}, so the support team can join them.\n"
        f"{ib.issue_line(issue)}"
    )


def _add_note(services: Services, reference: str, key: str, user: str, text: str) -> str:
    """Add what someone wrote to an issue, once however often Slack delivers it; what to tell them."""
    if not claim(services.db, key, services.clock.now()):
        return f"That is already added to {reference}."
    try:
        outcome = services.issues.add_note(reference, user, text)
    except Exception:
        release(services.db, key)  # not added, so not marked as added; the person is told (see answer_once)
        raise
    if isinstance(outcome, Refused):
        return outcome.reason
    services.deliver_soon()
    return _note_added(outcome, reference)


def _note_added(outcome: Changed, asked: str) -> str:
    """What the person is told: for an issue no longer open, that adding to it calls nobody, and how
    to bring the team back if the problem is (once the fix is confirmed, the reopen button is gone);
    for one closed as a duplicate (`asked`), that it went to the issue the team works on."""
    ref = outcome.issue.reference
    removed = f" {outcome.redaction.explain()} {STILL_IN_SLACK}" if outcome.redaction.changed else ""
    if outcome.issue.is_open:
        added = f"Added to {ref}"
        if asked != ref:
            added = f"{asked} was closed as the same problem as {ref}, so this was added to {ref}"
        return f"{added}: the support team will see it in the issue's thread.{removed}"
    back = f"press *{ib.STILL_A_PROBLEM}* on the update above, or log it again with `/golive issue`"
    if outcome.issue.confirmed_at:  # the update's buttons went when the fix was confirmed
        back = f"ask the support team to reopen {ref}, or log it again with `/golive issue` and mention {ref}"
    return (
        f"Added to {ref}, but it is {outcome.issue.status.value}, so the support team is not alerted. If"
        f" the problem is back, {back}.{removed}"
    )


def escalation_tick(services: Services) -> None:
    """Escalate unacknowledged P1 and patient-safety issues that are due, and post at once."""
    if escalation.tick(services.db, services.settings.org, services.clock.now()):
        services.deliver_soon()


# -- the report form ----------------------------------------------------------------------------


def _open_form(
    services: Services, client: WebClient, trigger_id: object, draft: Draft | None = None, held: str = ""
) -> str | None:
    """Open the report form; on failure, the reason to give the person (Slack's trigger lasts 3 s).
    `held`: what the message it was opened from holds that was left out (see `ib.form_view`)."""
    link = draft.source_link if draft else None
    shown = _cleaned(services, draft) if draft else None
    view = ib.form_view(services.settings.org, shown, link, held=held)
    return open_view(client, trigger_id, view, NOT_OPENED)


def _open_from_command(services: Services, invocation: Invocation) -> None:
    """What was typed after `/golive issue` prefills the summary; too long for it, the whole of it goes
    in the details too, so nothing typed is lost."""
    text = services.redactor.clean(invocation.text).strip()
    summary = _summary_of(text)
    prefill = Draft(summary, text[:DETAILS_MAX] if text != summary else "", "", "", "", "") if text else None
    problem = _open_form(services, invocation.client, invocation.trigger_id, prefill)
    if problem:
        invocation.reply(problem)


def _prefill_from_message(
    services: Services, client: WebClient, body: dict[str, Any]
) -> tuple[Draft, Redaction]:
    """The message's own words become the details (cleaned), and a link to it is kept with the issue;
    with what the guard removed from them, which the form names, as the message still holds it.
    Slack sends markup (mentions, links, & < > as entities); the form holds the words as they were
    seen, escaped again when posted."""
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    words = _words_of(message)
    names = _names_of(client, mentioned(words)[:_NAMES_MOST])  # asked now, answered beside the link
    channel = (body.get("channel") or {}).get("id") if isinstance(body.get("channel"), dict) else None
    link = None
    if isinstance(channel, str) and channel and isinstance(message.get("ts"), str):
        link = _permalink(client, body, channel, message)
    held = services.redactor.redact(as_seen(words, names()))
    text = held.text
    draft = Draft(
        _summary_of(text), text[:DETAILS_MAX], "", "", "", "", source_link=link, raised_by=_author(message)
    )
    return draft, held


def _names_of(client: WebClient, users: list[str]) -> Callable[[], dict[str, str]]:
    """Who a message names is who is affected ('@Jo can't log in'), so the form keeps them by name. The
    names are asked of Slack all at once, beside the permalink, since the form must open within its
    trigger's 3 s: what the returned call gives is those Slack told within NAMES_TIMEOUT of the asking;
    the rest show as '@someone' (see `as_seen`)."""
    if not users:
        return dict
    deadline = time.monotonic() + NAMES_TIMEOUT
    pool = ThreadPoolExecutor(max_workers=len(users), thread_name_prefix="names")
    asked = {user: pool.submit(_display_name, one_try(client, NAMES_TIMEOUT), user) for user in users}
    pool.shutdown(wait=False)  # a look-up still going ends at its own timeout

    def told() -> dict[str, str]:
        wait(asked.values(), timeout=max(0.0, deadline - time.monotonic()))
        return {user: name for user, found in asked.items() if (name := _settled(found))}

    return told


def _settled(found: Future[str]) -> str:
    return found.result() if found.done() and found.exception() is None else ""


def _display_name(client: WebClient, user: str) -> str:
    """The name Slack shows for a person, on one line; '' when Slack will not say (no users:read scope,
    a deleted user, a timeout)."""
    try:
        person = client.users_info(user=user).get("user")
    except (SlackApiError, OSError) as exc:
        log.warning("could not look up a name for a message shortcut (%s)", why_slack_failed(exc))
        return ""
    person = person if isinstance(person, dict) else {}
    profile = person.get("profile") if isinstance(person.get("profile"), dict) else {}
    for name in (profile.get("display_name"), profile.get("real_name"), person.get("real_name")):
        if isinstance(name, str) and name.strip():
            return " ".join(name.split())[:80]
    return ""


def _author(message: dict[str, Any]) -> str | None:
    """The person who wrote the message, to be told how the issue goes; not an app or a workflow
    (their messages carry a bot_id), who would never read it."""
    return None if message.get("bot_id") else user_id(message.get("user")) or None


def _summary_of(text: str) -> str:
    """The text's first line, cut at a word with an ellipsis when it is longer than a summary may be."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    if len(line) <= SUMMARY_MAX:
        return line
    words = line[:SUMMARY_MAX].rsplit(maxsplit=1)  # the last word may be cut through: drop it
    return (words[0] if len(words) > 1 else line[: SUMMARY_MAX - 1]).rstrip(" ,.;:-") + "…"


def _words_of(message: dict[str, Any]) -> str:
    """The message's text; when it has none (another bot's alert, a screenshot), the words of its
    formatted blocks and attachments and the titles of its files, so the form is not left blank."""
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        return text
    lines = block_lines(message.get("blocks"))
    for attachment in dicts(message.get("attachments")):
        parts = [attachment.get(k) for k in ("pretext", "title", "text")]
        words = [p for p in parts if isinstance(p, str) and p.strip()]
        lines += words or [str(attachment.get("fallback") or "")]
    for file in dicts(message.get("files")):
        title = file.get("title") or file.get("name")
        lines += [f"Attached: {title}"] if isinstance(title, str) and title.strip() else []
    return "\n".join(line for line in lines if line.strip())


def _permalink(client: WebClient, body: dict[str, Any], channel: str, message: dict[str, Any]) -> str | None:
    """The message's link, asked of Slack once and briefly: the form must open within the trigger's
    3 s, so a rate-limited or failing look-up is not retried but the link is built as Slack builds it."""
    try:
        link = (
            one_try(client, PERMALINK_TIMEOUT)
            .chat_getPermalink(channel=channel, message_ts=message["ts"])
            .get("permalink")
        )
        if isinstance(link, str):
            return link
    except (SlackApiError, OSError) as exc:
        log.warning("no permalink for a message shortcut (%s); building it", why_slack_failed(exc))
    team = body.get("team") if isinstance(body.get("team"), dict) else {}
    domain, ts, thread = team.get("domain"), message["ts"], message.get("thread_ts")
    if not isinstance(domain, str) or not _DOMAIN.fullmatch(domain) or not _TS.fullmatch(ts):
        return None
    link = f"https://{domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
    if isinstance(thread, str) and _TS.fullmatch(thread) and thread != ts:
        link += f"?thread_ts={thread}&cid={channel}"
    return link


def _register_forms(app: App, services: Services) -> None:
    @app.shortcut(SHORTCUT)
    def on_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if problem := _open_form(services, client, body.get("trigger_id")):
            _tell(client, body, problem)

    @app.shortcut(MESSAGE_SHORTCUT)
    def on_message_shortcut(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        draft, held = _prefill_from_message(services, client, body)
        problem = _open_form(services, client, body.get("trigger_id"), draft, held.what())
        if problem:
            _tell(client, body, problem)

    @app.action(ib.OPEN_FORM)
    def on_open_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        if problem := _open_form(services, client, body.get("trigger_id")):
            _tell(client, body, problem)

    @app.view(ib.FORM)
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        draft = ib.draft_from_view(view)
        told = _told_if_failed(
            services, client, body, f"{draft.summary}\n{draft.details}", NOT_SAVED, LOG_AGAIN
        )
        late = partial(_after_late_submission, services, client, body, view, told)
        _answer_form(
            ack, lambda: _submission_answer(services, body, view), "summary", NOT_SAVED, STILL_SAVING, late
        )

    @app.action(ib.PLUS_ONE)
    def on_plus_one(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        view = body.get("view") if isinstance(body.get("view"), dict) else {}
        shown = view.get("id") if isinstance(view.get("id"), str) else None
        try:
            result = _plus_one_answer(services, user_of(body), view, str(action.get("value", "")))
        except Exception:  # the bot's own failure (its database, say): silence would read as done
            log.exception("could not add a reporter to an issue")
            if shown is None:  # no form to say it in
                _tell(client, body, NOT_ADDED)
            result = ib.headed(view, NOT_ADDED)  # the offer stays, to press again
        if shown is not None:
            after_ack(partial(client.views_update, view_id=shown, view=result))

    @app.view(ib.RESOLVE_FORM)
    def on_resolve(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        note = ib.state_value(ib.state_values(view), "note")
        told = _told_if_failed(services, client, body, note, NOT_RESOLVED, RESOLVE_AGAIN)
        _answer_form(
            ack, lambda: _resolution_answer(services, body, view), "note", NOT_RESOLVED, STILL_RESOLVING, told
        )

    @app.view(ib.SEVERITY_FORM)
    def on_rate(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        reason = ib.rating_from_view(view)[2]
        told = _told_if_failed(services, client, body, reason, NOT_RATED, RATE_AGAIN)
        _answer_form(
            ack, lambda: _rating_answer(services, body, view), "reason", NOT_RATED, STILL_RATING, told
        )


def _plus_one_answer(services: Services, user: str, view: dict[str, Any], reference: str) -> dict[str, Any]:
    """The view 'Same problem: add me' turns the form into: thanks, or why not and what to do."""
    draft = ib.draft_from_view(view)
    outcome = services.issues.plus_one(reference, user, draft)
    if isinstance(outcome, Refused):
        return _after_refused_plus_one(services, reference, draft, outcome.reason)
    services.deliver_soon()
    added = (
        f"*Thanks: you are now recorded as also reporting {outcome.issue.reference}* "
        f"({ib.escape(outcome.issue.summary)}). The support team can see it affects more people."
    )
    return ib.result_view("Added to the issue", [added], outcome.redaction)


def _after_refused_plus_one(services: Services, reference: str, draft: Draft, reason: str) -> dict[str, Any]:
    """An issue closed (or gone) since it was offered, or less urgent than this report: the problem is
    still happening to this person, so the form comes back with what they typed, to log it as a new
    issue; never a dead end."""
    issue = services.issues.find(reference)
    if issue is not None and issue.is_open and may_join(draft, issue):  # they are already on it
        return ib.result_view("Not added", [ib.escape(reason)])
    notice = f"{reason} Your report is below: check it and log it as a new issue."
    org = services.settings.org
    likely = services.issues.duplicates(draft)
    return ib.form_view(org, _cleaned(services, draft), draft.source_link, likely, notice)


def _cleaned(services: Services, draft: Draft) -> Draft:
    """A form handed back to Slack shows what was typed without identifiers: Slack keeps the view."""
    clean = services.redactor.clean
    return replace(draft, summary=clean(draft.summary), details=clean(draft.details),
                   location=clean(draft.location), contact=clean(draft.contact, CONTACT_DETAILS))  # fmt: skip


def _answer_form(
    ack: Ack,
    answer: Callable[[], dict[str, Any]],
    field: str,
    failed: str,
    late: str,
    told: Callable[[dict[str, Any]], None],
) -> None:
    """When the bot itself fails (its database, say), or is slower than Slack waits, the form stays
    open with what was typed and says so beside a field, rather than Slack's bare 'trouble connecting':
    nothing typed is lost, and pressing the button again is safe (the form's id makes it one issue).
    A failure that comes after the form was answered is `told` by direct message."""
    ack_in_time(ack, lambda: _kept_open_on_failure(answer, field, failed), _beside(field, late), told)


def _told_if_failed(
    services: Services, client: WebClient, body: dict[str, Any], typed: str, failed: str, again: str
) -> Callable[[dict[str, Any]], None]:
    """What to do with a form's answer that came too late to show: a failure is sent to the person,
    with what they typed (cleaned, only then: most forms are answered in time) and what to do, since
    the form no longer says it."""

    def told(answer: dict[str, Any]) -> None:
        errors = answer.get("errors") if answer.get("response_action") == "errors" else None
        if not isinstance(errors, dict):
            return
        why = _NOT_STORED if failed in errors.values() else " ".join(errors.values())
        cleaned = services.redactor.clean(typed.strip())
        quoted = "\n".join(f">{line}" for line in ib.escape(cleaned).splitlines())
        wrote = f"\nWhat you wrote:\n{quoted}" if cleaned else ""
        tell(client, body, f"*Not saved* ({ib.escape(why)}). {again}{wrote}")

    return told


def _after_late_submission(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    view: dict[str, Any],
    told: Callable[[dict[str, Any]], None],
    answer: dict[str, Any],
) -> None:
    """A submission answered after the form said 'still saving': the reporter may have closed the form
    trusting that, so a duplicate offer they can no longer see must not be the end of their report. It
    is logged as a new issue, as if they had declined the offer: a duplicate the team closes costs
    minutes, a lost patient-safety report can cost a patient. Adding them to the likely issue instead
    could hide a different problem (the match is fuzzy) and calls nobody. Failures are sent back."""
    offered = _offered(answer)
    if not offered:
        told(answer)
        return
    key = _form_key(body, view)
    try:
        result = services.issues.report(ib.draft_from_view(view), user_of(body), key)
    except Exception:
        log.exception("could not log a report whose duplicate offer came too late to show")
        told(_beside("summary", NOT_SAVED))
        return
    if isinstance(result, Invalid):
        told({"response_action": "errors", "errors": result.errors})
        return
    services.deliver_soon()
    if result.created:
        tell(client, body, _logged_though_alike(result.issue, offered))


def _offered(answer: dict[str, Any]) -> list[str]:
    """The references a form answer offers a '+1' to; none when it is not the duplicate offer."""
    view = answer.get("view") if answer.get("response_action") == "update" else None
    if not isinstance(view, dict) or view.get("callback_id") != ib.FORM:
        return []
    buttons = [b.get("accessory") for b in view.get("blocks", []) if isinstance(b, dict)]
    return [str(b["value"]) for b in buttons if isinstance(b, dict) and b.get("action_id") == ib.PLUS_ONE]


def _logged_though_alike(issue: Issue, offered: list[str]) -> str:
    """The reporter's note: logged, what it resembles, and that nothing more is needed."""
    alike = ib.escape(", ".join(offered))
    return (
        f"*Logged as {issue.reference}.* It looks like {alike}, already open, but the form could not"
        " ask you in time, so your report was logged as a new issue rather than left unsaved. The"
        " support team sees both and will join them if they are the same problem; nothing more to do."
    )


def _form_key(body: dict[str, Any], view: dict[str, Any]) -> str | None:
    """One issue per form and person, however often it is submitted; None if Slack left either out."""
    user, form_id = user_of(body), view_id(view.get("id"))
    return f"issue-form:{form_id}:{user}" if user and form_id else None


def _kept_open_on_failure(answer: Callable[[], dict[str, Any]], field: str, why: str) -> dict[str, Any]:
    try:
        return answer()
    except Exception:
        log.exception("could not act on a submitted form")
        return _beside(field, why)


def _beside(field: str, message: str) -> dict[str, Any]:
    return {"response_action": "errors", "errors": {field: message}}


def _submission_answer(services: Services, body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """What to ack a submitted form with: field errors, the duplicate offer, or the reference."""
    user, key = user_of(body), _form_key(body, view)
    if not key:
        return {
            "response_action": "errors",
            "errors": {"summary": "Slack did not send who you are or which form this is; try again."},
        }
    org = services.settings.org
    done = services.issues.logged_with(key)
    if done is not None:  # a double click or a retry: the same reference, nothing new
        return _update(ib.logged_view(done, False, None, org))
    draft = ib.draft_from_view(view)
    errors = services.issues.check(draft)
    if errors:
        return {"response_action": "errors", "errors": errors}
    if not ib.metadata(view).get("checked"):
        likely = services.issues.duplicates(draft)
        if likely:
            return _update(ib.form_view(org, _cleaned(services, draft), draft.source_link, likely))
    result = services.issues.report(draft, user, key)
    if isinstance(result, Invalid):
        return {"response_action": "errors", "errors": result.errors}
    services.deliver_soon()
    return _update(ib.logged_view(result.issue, result.created, result.redaction, org))


def _resolution_answer(services: Services, body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    values = ib.state_values(view)
    reference = str(ib.metadata(view).get("ref", ""))
    outcome = services.issues.resolve(
        reference,
        user_of(body),
        services.membership,
        ib.state_value(values, "category"),
        ib.state_value(values, "note"),
        ib.state_value(values, "original"),
    )
    if isinstance(outcome, Invalid):
        return {"response_action": "errors", "errors": outcome.errors}
    if isinstance(outcome, Refused):
        issue = services.issues.find(reference)
        if issue and issue.resolved_by == user_of(body) and not issue.is_open:
            return {}  # pressed again after 'still saving': the first press resolved it
        return {"response_action": "errors", "errors": {"note": outcome.reason}}
    services.deliver_soon()
    if outcome.redaction.changed:
        return _update(
            ib.result_view("Resolved", [f"*{outcome.issue.reference} is resolved.*"], outcome.redaction)
        )
    return {}


def _rating_answer(services: Services, body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """A change of severity: errors beside the field, or the form closed (with what the guard removed)."""
    severity, patient_safety, reason = ib.rating_from_view(view)
    reference, user, seen = str(ib.metadata(view).get("ref", "")), user_of(body), ib.seen_rating(view)
    outcome = services.issues.change_severity(
        reference, user, services.membership, severity, patient_safety, reason, seen
    )
    if isinstance(outcome, Invalid):
        return {"response_action": "errors", "errors": outcome.errors}
    if isinstance(outcome, Refused):
        issue, asked = services.issues.find(reference), Rating(Severity(severity), patient_safety)
        if issue is not None and changed_meanwhile(issue.rating, seen, asked):
            # the form is drawn again as the issue stands now
            return _update(ib.severity_view(issue, services.settings.org, outcome.reason))
        return _rating_refused(services, reference, user, (severity, patient_safety), outcome.reason)
    services.deliver_soon()
    if outcome.redaction.changed:
        line = f"*{outcome.issue.reference} is now {ib.rating_text(outcome.issue.rating)}.*"
        return _update(ib.result_view("Severity changed", [line], outcome.redaction))
    return {}


def _rating_refused(
    services: Services, reference: str, user: str, asked: tuple[str, bool], reason: str
) -> dict[str, Any]:
    """Why the change was not made, beside the reason. When the issue is already what was asked, by this
    person's own press (a double click, or pressed again after 'still saving') the form just closes;
    by a colleague's, they are told so, lest they take their own form for the change."""
    issue = services.issues.find(reference)
    if issue is not None and (issue.severity.value, issue.patient_safety) == asked:
        changes = [e for e in services.issues.history(issue) if e.action is Action.SEVERITY]
        by = changes[-1].actor if changes else None
        if by == user:
            return {}
        if by:  # a form's errors are plain text, where a mention would not show a name
            reason = f"Someone else made {reference} {issue.rating} just now, so nothing changed."
    return {"response_action": "errors", "errors": {"reason": reason}}


def _update(view: dict[str, Any]) -> dict[str, Any]:
    return {"response_action": "update", "view": view}


# -- triage buttons -----------------------------------------------------------------------------


def _register_buttons(app: App, services: Services) -> None:
    forms = {
        ib.RESOLVE: (Action.RESOLVE, ib.resolve_view, "Resolve"),
        ib.SEVERITY: (
            Action.SEVERITY,
            partial(ib.severity_view, org=services.settings.org),
            "Change severity",
        ),
    }
    for action_id, (step, view_of, label) in forms.items():
        app.action(action_id)(_form_opener(services, step, view_of, label))

    steps = {
        ib.ACKNOWLEDGE: services.issues.acknowledge,
        ib.ASSIGN: services.issues.assign_to,
        ib.REOPEN: services.issues.reopen,
        ib.CONFIRM: partial(_confirm, services),
    }
    for action_id, step in steps.items():
        app.action(action_id)(_button_handler(services, step))


def _confirm(services: Services, value: str, actor: str, membership: Membership) -> Changed | Refused:
    """'Yes, sorted' confirms only the fix its update was about (see `ib.confirm_value`)."""
    reference, resolved_at = ib.confirmed_fix(value)
    return services.issues.confirm(reference, actor, membership, resolved_at)


def _form_opener(
    services: Services, step: Action, view_of: Callable[[Issue], dict[str, Any]], label: str
) -> Callable[..., None]:
    """A button that opens a form about the issue (Resolve, Change severity), once the clicker may use it;
    whoever may not is told why, privately, before typing anything."""

    def handle(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        reference = str(action.get("value", ""))
        issue = _or_told(client, body, lambda: _actionable(services, reference, step, body))
        if isinstance(issue, str):
            _tell(client, body, issue)
        if not isinstance(issue, Issue):
            return
        again = f"I could not open the {label.lower()} form just now. Please click {label} again."
        if problem := open_view(client, body.get("trigger_id"), view_of(issue), again):
            _tell(client, body, problem)

    return handle


def _actionable(services: Services, reference: str, action: Action, body: dict[str, Any]) -> Issue | str:
    """The issue the clicker may do `action` to, or why they may not."""
    reason = services.issues.refusal(reference, action, user_of(body), services.membership)
    issue = services.issues.find(reference)
    return reason or issue or f"There is no issue {services.redactor.clean(reference)}."


# What the reporter's notice becomes once they answer "Is the problem sorted for you?" from it.
_ANSWERED = {
    Action.REOPEN: "You said it is not fixed, so *{ref}* ({summary}) is reopened and whoever worked on it "
    "has been told. I'll message you when it changes.",
    Action.CONFIRM: "Thanks for confirming that *{ref}* ({summary}) is fixed.",
}


def _button_handler(services: Services, step: Callable[..., Changed | Refused]) -> Callable[..., None]:
    """One click, one domain call: refused clicks are explained privately, the rest posted via the outbox."""

    def handle(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        outcome = _or_told(
            client, body, lambda: step(str(action.get("value", "")), user_of(body), services.membership)
        )
        if outcome is None:
            return
        if isinstance(outcome, Refused):
            _tell(client, body, outcome.reason)
            return
        services.deliver_soon()
        _answer_in_dm(client, body, outcome.issue, action.get("action_id"))

    return handle


def _or_told(client: WebClient, body: dict[str, Any], work: Callable[[], _T]) -> _T | None:
    """What the bot's own work for a click gave, or None when it failed (its database, say), after
    telling the clicker privately that nothing was saved. Left uncaught, Bolt would pass the click on
    to the fallback listener, which calls the button out of date, and whoever acknowledged a P1 would
    walk away believing it was acknowledged while the escalation went on."""
    try:
        return work()
    except Exception:
        log.exception("could not act on a triage button")
        _tell(client, body, NOT_CHANGED)
        return None


def _answer_in_dm(client: WebClient, body: dict[str, Any], issue: Issue, action_id: object) -> None:
    """A reporter who answers their notice in the bot's DM sees it answered, not the same buttons again;
    a click in the triage or safety channel is left alone (delivery edits that post)."""
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    channel = container.get("channel_id")
    done = {ib.REOPEN: Action.REOPEN, ib.CONFIRM: Action.CONFIRM}.get(str(action_id))
    if done is None or not isinstance(channel, str) or not channel.startswith("D"):
        return
    line = _ANSWERED[done].format(ref=issue.reference, summary=ib.escape(ib.shorten(issue.summary, 150)))
    respond(client, body.get("response_url"), replace_original=True, text=line, blocks=[text_section(line)])


def _tell(client: WebClient, body: dict[str, Any], text: str) -> None:
    """A private reply to whoever clicked, escaped (it may echo a button's value); nothing else changes."""
    tell(client, body, ib.escape(ib.shorten(text, 500)))


# -- /golive issues -----------------------------------------------------------------------------


def _list(services: Services, invocation: Invocation) -> None:
    """The filter words are echoed back, so they are cleaned first like any other text posted."""
    asked = services.redactor.redact(invocation.text)
    if named := issues_named(services, asked.text):  # `/golive issues GL-0042`: that one, open or not
        invocation.reply(named.text, named.blocks)
        return
    filters = parse(asked.text, services.settings.org, invocation.user_id)
    found = services.issues.listing(filters)
    shown = ib.list_blocks(found, asked.text, lists_open_only(filters))
    if asked.changed:
        shown.append(context(f":lock: {asked.explain()}"))
    invocation.reply(f"{len(found)} {'open ' if lists_open_only(filters) else ''}issues", shown)


# -- rendering outbox rows ----------------------------------------------------------------------


def _triage_fallback(services: Services, issue: Issue) -> dict[str, str]:
    """The triage post's fallback (`notices.triage_fallback`); failing one, the reporter, who was told it
    reached the team and must know it did not, and whom to phone instead: retrying would reach nobody."""
    channel = notices.triage_fallback(services.settings.org)
    if channel:
        return {"fallback_channel": channel}
    return {"fallback_channel": issue.reporter_id, "fallback_note": _unreachable_note(services, issue)}


def _note_fallback(services: Services, thread_channel: str | None) -> dict[str, str]:
    """Where a note goes when the bot can no longer post in its issue's thread (taken out of the channel,
    or it was archived when the trust moved triage): the triage channel as configured now, else where a
    triage post would go. The person who added it was told the team will see it."""
    org = services.settings.org
    places = (org.channels.triage, notices.triage_fallback(org))
    channel = next((c for c in places if c and c != thread_channel), None)
    return {"fallback_channel": channel} if channel else {}


def _unreachable_note(services: Services, issue: Issue) -> str:
    """The reporter's warning that their issue is logged but the support team has not seen it."""
    ref, contacts = issue.reference, services.comms.contacts()
    call = f"Phone the command centre or the IT service desk now and quote {ref}."
    if contacts:
        call = f"Phone one of these now and quote {ref}:\n{format_contacts(contacts)}"
    return (
        f":warning: *Phone now: {ref} has not reached the support team.* {call}\nIt is logged, but the bot"
        f" cannot post in {ib.channel_link(services.settings.org.channels.triage)}, so nobody there has"
        " seen it. If a patient is at risk, use your usual clinical escalation as well."
    )


def renderers(services: Services) -> dict[str, Callable[[Item], Message | None]]:
    org = services.settings.org

    def about(render: Callable[[Issue, Item], Message | None]) -> Callable[[Item], Message | None]:
        def run(item: Item) -> Message | None:
            issue = services.issues.find(item.ref)
            return render(issue, item) if issue is not None else None

        return run

    def triage(issue: Issue, item: Item) -> Message:
        return Message(ib.issue_text(issue), ib.triage_blocks(issue), **_triage_fallback(services, issue))

    def safety(issue: Issue, item: Item) -> Message:
        text = f"Patient-safety issue {ib.issue_text(issue)}"
        blocks = ib.safety_blocks(issue, org, _calling(services) if issue.awaiting_acknowledgement else None)
        return Message(text, blocks, fallback_channel=org.channels.triage)

    def notice(issue: Issue, item: Item) -> Message:
        action, by = str(item.payload.get("action", "")), str(item.payload.get("by", ""))
        blocks = ib.notice_blocks(issue, action, by, item.target, item.payload)
        return Message(f"Update on {ib.issue_text(issue)}", blocks)

    def escalate(issue: Issue, item: Item) -> Message | None:
        if not issue.awaiting_acknowledgement:
            return None  # acknowledged (or lowered) since it was queued: no need to call anyone
        minutes = int(item.payload.get("count", issue.escalations)) * org.p1_ack_minutes
        return Message(
            f"Still not acknowledged: {ib.issue_text(issue)}",
            ib.escalation_blocks(issue, org, minutes, _calling(services)),
            fallback_channel=org.channels.triage,
        )

    def note(issue: Issue, item: Item) -> Message:
        by, text = str(item.payload.get("by", "")), str(item.payload.get("text", ""))
        who = f"<@{by}>" if user_id(by) else "Someone"
        return _in_thread(services, issue, Message(f"{who} added to {issue.reference}: {ib.escape(text)}"))

    def following(issue: Issue, item: Item) -> Message:
        by, closed = str(item.payload.get("by", "")), str(item.payload.get("duplicate", ""))
        blocks = ib.following_blocks(issue, services.issues.find(closed), ib.escape(closed), by)
        return Message(f"{ib.escape(closed)} now follows {ib.issue_text(issue)}", blocks)

    def duplicate(issue: Issue, item: Item) -> Message | None:
        closed = services.issues.find(str(item.payload.get("duplicate", "")))
        if closed is None:
            return None
        added = [(e.actor, e.detail) for e in services.issues.history(closed) if e.action in _ADDED]
        blocks = ib.duplicate_note_blocks(closed, str(item.payload.get("by", "")), added)
        text = f"{closed.reference} was closed as a duplicate of {issue.reference}"
        return _in_thread(services, issue, Message(text, blocks))

    def rated(issue: Issue, item: Item) -> Message:
        return _in_thread(services, issue, Message(ib.rating_change_text(issue, item.payload, org)))

    def raised(issue: Issue, item: Item) -> Message | None:
        if not issue.awaiting_acknowledgement:
            return None  # taken on, closed or lowered since it was raised: nobody needs calling
        return Message(
            f"Raised to patient safety: {ib.issue_text(issue)}",
            ib.raised_blocks(issue, org, item.payload, _calling(services)),
            fallback_channel=org.channels.triage,
        )

    def reopened(issue: Issue, item: Item) -> Message | None:
        if not issue.awaiting_acknowledgement:
            return None  # taken on (or closed) since it was reopened: nobody needs calling
        by = str(item.payload.get("by", ""))
        return Message(
            f"Reopened patient-safety issue {ib.issue_text(issue)}",
            ib.reopened_blocks(issue, org, by, _calling(services)),
            fallback_channel=org.channels.triage,
        )

    return {
        notices.TRIAGE: about(triage),
        notices.REOPENED: about(reopened),
        notices.RAISED: about(raised),
        notices.RATED: about(rated),
        notices.TRIAGE_UPDATE: about(triage),
        notices.SAFETY: about(safety),
        notices.SAFETY_UPDATE: about(safety),
        notices.CALLOUT_UPDATE: about(safety),  # the call-out becomes the safety post's current state
        notices.NOTICE: about(notice),
        notices.ESCALATION: about(escalate),
        notices.NOTE: about(note),
        notices.FOLLOWING: about(following),
        notices.DUPLICATE: about(duplicate),
    }


_ADDED = (Action.PLUS_ONE, Action.NOTE)  # what reporters add to an issue after it is logged


def _calling(services: Services) -> str | None:
    """Whom an urgent post calls: None for the on-call group as configured, unless Slack says the group
    has nobody in it; then the people named in its stead (see `issue_blocks.nobody_on_call`)."""
    group = services.settings.org.on_call_usergroup
    if not group or services.membership.members_of(group) != frozenset():
        return None
    log.error("the on-call group %s has nobody in it: calling the safety group and the team instead", group)
    return ib.nobody_on_call(services.settings.org)


def _in_thread(services: Services, issue: Issue, message: Message) -> Message:
    """`message` in the thread of the issue's triage post, where the team works on it; until that post is
    out (Slack down) in the triage channel, saying which issue it is about."""
    post = next((p for p in outbox.items_for(services.db, notices.TRIAGE, issue.reference) if p.ts), None)
    if post is None:
        return message
    return replace(message, channel=post.channel, thread_ts=post.ts, **_note_fallback(services, post.channel))
