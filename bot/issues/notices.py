"""The posts an issue change causes, as neutral outbox intents; the Slack layer renders them on delivery.

Kinds: the triage post (updated in place), the safety-channel post for P1 and patient-safety issues
(updated in place too), a private notice to the reporter, each repeated escalation, a fresh call-out
when a P1 or patient-safety issue is reopened (both edited in place once someone takes the issue on),
and what a reporter adds, in the triage post's thread.
"""

from __future__ import annotations

from bot.config import OrgConfig
from bot.issues.model import Action, Issue
from bot.store.outbox import ONLY_EDIT, Intent

TRIAGE = "issue.triage"
TRIAGE_UPDATE = "issue.triage.update"
SAFETY = "issue.safety"
SAFETY_UPDATE = "issue.safety.update"
NOTICE = "issue.notice"
ESCALATION = "issue.escalation"
REOPENED = "issue.safety.reopened"
CALLOUT_UPDATE = "issue.callout.update"  # an escalation or reopened call-out, edited once taken on
NOTE = "issue.note"


def on_report(issue: Issue, org: OrgConfig) -> list[Intent]:
    intents = [Intent(TRIAGE, issue.reference, org.channels.triage)]
    if issue.needs_safety_escalation:
        # Without a safety channel the triage channel gets the call-out: it must reach someone.
        intents.append(Intent(SAFETY, issue.reference, org.channels.safety or org.channels.triage))
    intents.append(_notice(issue, issue.reporter_id, Action.REPORTED, issue.reporter_id))
    if issue.raised_by:  # logged from their message: they hear it was, and how it goes
        intents.append(_notice(issue, issue.raised_by, Action.REPORTED, issue.reporter_id))
    return intents


def on_change(
    issue: Issue, org: OrgConfig, action: Action, actor: str, also: tuple[str | None, ...] = ()
) -> list[Intent]:
    """Edit the posts in place and tell everyone who reported it, and `also` (the team member who was
    on it, for a reopening: an edit of a post up the channel notifies nobody), except the changer."""
    intents = _updates(issue)
    if action is Action.REOPEN and issue.needs_safety_escalation:
        intents.append(_reopened(issue, org, actor))
    if action in _TAKING_ON and issue.needs_safety_escalation:
        intents += _callouts_answered(issue)
    people = [issue.reporter_id, issue.raised_by, *(r.user_id for r in issue.extra_reporters), *also]
    intents += [_notice(issue, p, action, actor) for p in dict.fromkeys(filter(None, people)) if p != actor]
    return intents


def on_plus_one(issue: Issue) -> list[Intent]:
    return _updates(issue)


def on_joined(issue: Issue, org: OrgConfig, by: str, text: str) -> list[Intent]:
    """Someone reported it too: the posts are edited to count them, and what they wrote goes in the
    triage post's thread, as a note does, since an edit notifies nobody and shows only where they are."""
    return [*on_plus_one(issue), *on_note(issue, org, by, text)]


def on_message_added(issue: Issue, author: str, by: str) -> list[Intent]:
    """A staff member's message was added to an issue already logged: they hear that it was, and how
    the issue goes, as they would had it been logged as a new one."""
    return [*_updates(issue), _notice(issue, author, Action.REPORTED, by)]


def on_note(issue: Issue, org: OrgConfig, actor: str, text: str) -> list[Intent]:
    """What someone added goes where the team works on the issue: its triage post's thread."""
    return [Intent(NOTE, issue.reference, org.channels.triage, {"by": actor, "text": text})]


def on_escalation(issue: Issue, org: OrgConfig) -> list[Intent]:
    channel = org.channels.safety or org.channels.triage
    reopened = f":reopened {issue.reopened_at.isoformat()}" if issue.reopened_at else ""  # counts restart
    key = f"{ESCALATION}:{issue.id}{reopened}:{issue.escalations}"
    return [Intent(ESCALATION, issue.reference, channel, {"count": issue.escalations}, dedupe_key=key)]


def _reopened(issue: Issue, org: OrgConfig, actor: str) -> Intent:
    """The safety risk is back: call the on-call group now, in a new post, since an edit of the old
    safety post (hours up the channel) notifies nobody. One per reopening, however often it is clicked."""
    channel = org.channels.safety or org.channels.triage
    since = issue.reopened_at.isoformat() if issue.reopened_at else str(issue.version)
    key = f"{REOPENED}:{issue.id}:{since}"
    return Intent(REOPENED, issue.reference, channel, {"by": actor}, dedupe_key=key)


def _updates(issue: Issue) -> list[Intent]:
    intents = [Intent(TRIAGE_UPDATE, issue.reference, updates_kind=TRIAGE)]
    if issue.needs_safety_escalation:
        intents.append(Intent(SAFETY_UPDATE, issue.reference, updates_kind=SAFETY))
    return intents


_TAKING_ON = (Action.ACKNOWLEDGE, Action.ASSIGN, Action.RESOLVE)  # what answers a call-out


def _callouts_answered(issue: Issue) -> list[Intent]:
    """Edits of every call-out that asked for the issue to be taken on (escalations, reopenings), once
    someone has: the newest post in the safety channel would otherwise still ask the on-call group to
    act. Only edits: a call-out someone deleted stays deleted."""
    return [
        Intent(
            CALLOUT_UPDATE, issue.reference, payload={ONLY_EDIT: True}, updates_kind=kind, updates_every=True
        )
        for kind in (ESCALATION, REOPENED)
    ]


def _notice(issue: Issue, person: str, action: Action, actor: str) -> Intent:
    return Intent(NOTICE, issue.reference, person, {"action": action.value, "by": actor})


def triage_fallback(org: OrgConfig) -> str | None:
    """Where the triage post goes when the bot can never post in the triage channel: the command
    centre, which runs the go-live and can route it and fix the channel, else the safety channel, which
    someone always watches; None when neither is set apart from triage (the reporter is then told)."""
    channels = org.channels
    return next((c for c in (channels.command_centre, channels.safety) if c and c != channels.triage), None)
