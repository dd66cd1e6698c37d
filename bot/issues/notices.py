"""The posts an issue change causes, as neutral outbox intents; the Slack layer renders them on delivery.

Kinds: the triage post (updated in place), the safety-channel post for P1 and patient-safety issues
(updated in place too), a private notice to the reporter, each repeated escalation, a fresh call-out
when a P1 or patient-safety issue is reopened or raised to one after logging (all edited in place once
someone takes the issue on), and what a reporter adds and each change of severity, in the triage post's
thread.
"""

from __future__ import annotations

from bot.config import OrgConfig
from bot.issues.model import Action, Issue, Rating
from bot.store.outbox import ONLY_EDIT, Intent

TRIAGE = "issue.triage"
TRIAGE_UPDATE = "issue.triage.update"
SAFETY = "issue.safety"
SAFETY_UPDATE = "issue.safety.update"
NOTICE = "issue.notice"
ESCALATION = "issue.escalation"
REOPENED = "issue.safety.reopened"
RAISED = "issue.safety.raised"  # raised to P1 or flagged as a risk to patients after it was logged
CALLOUT_UPDATE = "issue.callout.update"  # an escalation, reopened or raised call-out, edited once taken on
NOTE = "issue.note"
RATED = "issue.rated"  # a change of severity or of the patient-safety flag, said in the triage thread
_CALLOUTS = (ESCALATION, REOPENED, RAISED)  # posts that ask the on-call group to take the issue on
FOLLOWING = "issue.following"  # to a reporter of an issue closed as a duplicate: the one they now follow
DUPLICATE = "issue.duplicate"  # in the original's triage thread: which issue was closed into it, by whom


def on_report(issue: Issue, org: OrgConfig) -> list[Intent]:
    intents = [Intent(TRIAGE, issue.reference, org.channels.triage)]
    if issue.needs_safety_escalation:
        intents.append(Intent(SAFETY, issue.reference, safety_channel(org)))
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
        intents += _callout_edits(issue)
    return [*intents, *_notices(issue, [*_reporters(issue), *also], action, actor)]


def _reporters(issue: Issue) -> list[str]:
    """Everyone told of changes as having reported it: first, the message's author, each '+1'."""
    people = [issue.reporter_id, issue.raised_by, *(r.user_id for r in issue.extra_reporters)]
    return [p for p in dict.fromkeys(people) if p]


def on_duplicate(
    closed: Issue, original: Issue, org: OrgConfig, actor: str, assignee: str | None
) -> list[Intent]:
    """`closed` was resolved as a duplicate of `original`: both posts are edited (the original counts its
    new reporters), the team member who was on it is told as on any resolve, and everyone who reported
    it hears which issue they now follow, in a notice about that one (a reply to it adds to the issue
    the team works on), never asked whether the problem is sorted. The original's thread is told."""
    intents = _updates(closed)
    if closed.needs_safety_escalation:
        intents += _callout_edits(closed)
    if assignee and assignee != actor and not closed.reported_by(assignee):
        intents.append(_notice(closed, assignee, Action.RESOLVE, actor))
    about = {"duplicate": closed.reference, "by": actor}
    intents += [Intent(FOLLOWING, original.reference, p, about) for p in _reporters(closed) if p != actor]
    return [*intents, *_updates(original), Intent(DUPLICATE, original.reference, org.channels.triage, about)]


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


def on_rating(
    issue: Issue, org: OrgConfig, actor: str, before: Rating, reason: str, also: tuple[str | None, ...] = ()
) -> list[Intent]:
    """Its severity or patient-safety flag changed: the posts show it, every call-out too (one lowered no
    longer asks anyone to act), the team's thread says who, what and why, and everyone who reported it,
    and `also` (whoever it is assigned to), hears. Raised to P1 or patient safety, the on-call group is
    called in a new post, since an edit notifies nobody: once per raise, however often it is clicked."""
    change = {"by": actor, "from": str(before), "to": str(issue.rating), "reason": reason}
    intents = [*_updates(issue), *_callout_edits(issue)]
    if issue.needs_safety_escalation and not before.needs_safety_escalation:
        since = issue.raised_at.isoformat() if issue.raised_at else str(issue.version)
        key = f"{RAISED}:{issue.id}:{since}"
        intents.append(Intent(RAISED, issue.reference, safety_channel(org), change, dedupe_key=key))
    intents.append(Intent(RATED, issue.reference, org.channels.triage, change))
    return [*intents, *_notices(issue, [*_reporters(issue), *also], Action.SEVERITY, actor, change)]


def on_escalation(issue: Issue, org: OrgConfig) -> list[Intent]:
    channel = safety_channel(org)
    reopened = f":reopened {issue.reopened_at.isoformat()}" if issue.reopened_at else ""  # counts restart
    raised = f":raised {issue.raised_at.isoformat()}" if issue.raised_at else ""  # and at a raise
    key = f"{ESCALATION}:{issue.id}{reopened}{raised}:{issue.escalations}"
    return [Intent(ESCALATION, issue.reference, channel, {"count": issue.escalations}, dedupe_key=key)]


def _reopened(issue: Issue, org: OrgConfig, actor: str) -> Intent:
    """The safety risk is back: call the on-call group now, in a new post, since an edit of the old
    safety post (hours up the channel) notifies nobody. One per reopening, however often it is clicked."""
    channel = safety_channel(org)
    since = issue.reopened_at.isoformat() if issue.reopened_at else str(issue.version)
    key = f"{REOPENED}:{issue.id}:{since}"
    return Intent(REOPENED, issue.reference, channel, {"by": actor}, dedupe_key=key)


def safety_channel(org: OrgConfig) -> str:
    """Without a safety channel the triage channel gets the call-outs: they must reach someone."""
    return org.channels.safety or org.channels.triage


def _updates(issue: Issue) -> list[Intent]:
    """Edits of the triage post and of the safety post, if the issue has one: a P1 since lowered keeps
    it, and it must say so."""
    return [
        Intent(TRIAGE_UPDATE, issue.reference, updates_kind=TRIAGE),
        Intent(SAFETY_UPDATE, issue.reference, updates_kind=SAFETY),
    ]


_TAKING_ON = (Action.ACKNOWLEDGE, Action.ASSIGN, Action.RESOLVE)  # what answers a call-out


def _callout_edits(issue: Issue) -> list[Intent]:
    """Edits of every call-out that asked for the issue to be taken on (escalations, reopenings, raises),
    once someone has or it is no longer a patient-safety issue: the newest post in the safety channel
    would otherwise still ask the on-call group to act. Only edits: a call-out someone deleted stays
    deleted."""
    return [
        Intent(
            CALLOUT_UPDATE, issue.reference, payload={ONLY_EDIT: True}, updates_kind=kind, updates_every=True
        )
        for kind in _CALLOUTS
    ]


def _notice(issue: Issue, person: str, action: Action, actor: str, about: dict | None = None) -> Intent:
    return Intent(NOTICE, issue.reference, person, {"action": action.value, "by": actor, **(about or {})})


def _notices(
    issue: Issue, people: list[str | None], action: Action, actor: str, about: dict | None = None
) -> list[Intent]:
    """A private notice of the change to each of `people`, once each, but not to whoever made it."""
    told = [p for p in dict.fromkeys(people) if p and p != actor]
    return [_notice(issue, p, action, actor, about) for p in told]


def triage_fallback(org: OrgConfig) -> str | None:
    """Where the triage post goes when the bot can never post in the triage channel: the command
    centre, which runs the go-live and can route it and fix the channel, else the safety channel, which
    someone always watches; None when neither is set apart from triage (the reporter is then told)."""
    channels = org.channels
    return next((c for c in (channels.command_centre, channels.safety) if c and c != channels.triage), None)
