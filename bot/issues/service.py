"""Logging and triaging issues: what the Slack layer and the command line call, in plain Python.

All free text goes through the privacy guard before it is stored or posted; the caller gets the
Redaction back so it can tell the person privately what was removed. A refused action changes
nothing and returns the reason to show. The clock is injected, so escalation is testable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import Any

from bot.clock import Clock
from bot.config import OrgConfig
from bot.issues import lifecycle, notices
from bot.issues.duplicates import Likely, as_urgent, comparable, likely_duplicates, may_join
from bot.issues.model import (
    AREA_MAX,
    CONTACT_MAX,
    LOCATION_MAX,
    NOTE_MAX,
    REASON_MAX,
    Action,
    Draft,
    Event,
    Issue,
    Rating,
    Reporter,
    Resolution,
    Severity,
    Status,
    id_from_reference,
    rating_detail,
    references_in,
    shown,
    validate,
)
from bot.privacy import CONTACT_DETAILS, Redaction, Redactor
from bot.roles import Membership
from bot.store import issues as store
from bot.store.database import Database


@dataclass(frozen=True)
class Invalid:
    """The form cannot be saved: a message per field, saying what to do."""

    errors: dict[str, str]


@dataclass(frozen=True)
class Logged:
    """The issue is stored (or was already, for a retried submission: `created` is then False)."""

    issue: Issue
    created: bool
    redaction: Redaction


@dataclass(frozen=True)
class Changed:
    issue: Issue
    redaction: Redaction = field(default_factory=lambda: Redaction(""))


@dataclass(frozen=True)
class Refused:
    """Nothing changed; `reason` is for the person who asked, privately."""

    reason: str


Outcome = Changed | Refused


def merge(*redactions: Redaction) -> Redaction:
    """One private note for a whole form: the counts of everything removed from any field."""
    removed: dict[str, int] = {}
    for redaction in redactions:
        for name, n in redaction.removed.items():
            removed[name] = removed.get(name, 0) + n
    return Redaction("", removed)


class IssueService:
    def __init__(self, db: Database, org: OrgConfig, redactor: Redactor, clock: Clock):
        self.db = db
        self.org = org
        self._redactor = redactor
        self._clock = clock

    def check(self, draft: Draft) -> dict[str, str]:
        return validate(draft, self.org)

    def duplicates(self, draft: Draft) -> list[Likely]:
        """Open issues at least as urgent as this draft that it likely repeats, to offer a '+1' instead:
        those in the same area worded like it, and any logged from the same Slack message."""
        summary, details = self._redactor.clean(draft.summary), self._redactor.clean(draft.details)
        # Only a report from a message can repeat an issue in another area: the rest read their area alone.
        # One closed as a duplicate describes the issue its reporters now follow: that one is offered.
        area = None if draft.source_link else draft.area
        listed = store.listing(self.db, store.Filters(area=area, closed_duplicates=True))
        candidates = [issue for issue in listed if comparable(draft, issue)]

        def offers(issue: Issue) -> Issue | None:
            followed = self.followed(issue)
            return followed if followed.is_open and may_join(draft, followed) else None

        return likely_duplicates(summary, details, candidates, link=draft.source_link, offers=offers)

    def report(self, draft: Draft, reporter_id: str, key: str | None = None) -> Invalid | Logged:
        """Store a new issue and its posts in one transaction; the same `key` never makes two issues."""
        errors = self.check(draft)
        if errors:
            return Invalid(errors)
        new, redaction = self._redacted(draft, reporter_id)
        issue, created = store.create(
            self.db, new, key, self._clock.now(), lambda stored: notices.on_report(stored, self.org)
        )
        return Logged(issue, created, redaction)

    def _redacted(self, draft: Draft, reporter_id: str) -> tuple[store.NewIssue, Redaction]:
        """The draft cleaned of identifiers; a marker is longer than the number it replaces, so the
        short fields are cut back to the width the form allowed (and their columns hold)."""
        texts = (draft.summary, draft.details, draft.location, draft.area)
        summary, details, location, area = (self._redactor.redact(text.strip()) for text in texts)
        contact = self._redactor.redact(draft.contact.strip(), CONTACT_DETAILS)  # the reporter's own: kept
        link = draft.source_link if draft.source_link and draft.source_link.startswith("https://") else None
        new = store.NewIssue(
            summary=summary.text, details=details.text, location=location.text[:LOCATION_MAX],
            area=area.text[:AREA_MAX], severity=Severity(draft.severity),
            patient_safety=draft.patient_safety,
            contact=contact.text[:CONTACT_MAX],
            reporter_id=reporter_id, source_link=link,
            raised_by=draft.raised_by if draft.raised_by != reporter_id else None,
        )  # fmt: skip
        return new, merge(summary, details, location, contact, area)

    def _no_issue(self, reference: str) -> str:
        """The refusal for an unknown reference: a forged button value is echoed back to the clicker,
        so it passes the privacy guard like any other text the bot shows."""
        return f"There is no issue {self._redactor.clean(reference)}. Check the reference and try again."

    def plus_one(self, reference: str, user_id: str, draft: Draft) -> Outcome:
        """Add this person (where they are, and what they wrote, kept in the issue's history) to an
        existing open issue instead of a duplicate; never to one less urgent than their report."""
        issue = self.find(reference)
        if issue is None:
            return Refused(self._no_issue(reference))
        if not issue.is_open:
            return Refused(f"{issue.reference} is already {issue.status.value}; log a new issue instead.")
        if not may_join(draft, issue):
            return Refused(
                f"Your report is more urgent than {issue.reference} ({issue.severity.label}"
                f"{'' if issue.patient_safety else ', not a patient safety issue'}): log it as a new "
                "issue, so the right people are called."
            )
        where, how = (
            self._redactor.redact(draft.location.strip()),
            self._redactor.redact(draft.contact.strip(), CONTACT_DETAILS),
        )
        said = self._redactor.redact(" ".join(filter(None, (draft.summary.strip(), draft.details.strip()))))
        place = where.text[:LOCATION_MAX] or issue.location
        reporter = Reporter(user_id, place, how.text[:CONTACT_MAX], self._clock.now())
        detail = f"{place}: {said.text}" if said.text else place
        posts = partial(notices.on_joined, org=self.org, by=user_id, text=f"Same problem, at {detail}")
        if not store.add_reporter(self.db, issue, reporter, posts, detail):
            return Refused(f"You are already recorded as reporting {issue.reference}.")
        if draft.raised_by and draft.raised_by != user_id:  # logged from their message: they hear too
            author = replace(reporter, user_id=draft.raised_by, contact="")
            told = partial(notices.on_message_added, author=draft.raised_by, by=user_id)
            store.add_reporter(self.db, issue, author, told, f"{place}: their message, added by {user_id}")
        return Changed(self.find(reference) or issue, merge(where, how, said))

    def add_note(self, reference: str, user_id: str, text: str) -> Outcome:
        """Add what someone wrote about an issue (more detail, 'it is happening again') to its history
        and the team's thread, cleaned of identifiers; a closed issue is reopened by button, not here.
        What is added to an issue closed as a duplicate goes to the issue the team works on instead."""
        found = self.find(reference)
        if found is None:
            return Refused(self._no_issue(reference))
        issue = self.followed(found)
        said = self._redactor.redact(text.strip())  # cleaned before it is cut: a cut hides no number
        if not said.text:
            return Refused("There was nothing to add.")
        kept = said.text[:NOTE_MAX]
        event = Event(issue.id, self._clock.now(), user_id, Action.NOTE, None, None, kept)
        store.note(self.db, issue, event, notices.on_note(issue, self.org, user_id, kept))
        return Changed(issue, said)

    def acknowledge(self, reference: str, actor: str, membership: Membership) -> Outcome:
        now = self._clock.now()
        return self._act(reference, Action.ACKNOWLEDGE, actor, membership, _acknowledging(actor, now))

    def assign_to(self, reference: str, actor: str, membership: Membership) -> Outcome:
        """'Assign to me': assigning also acknowledges, so it stops the P1 escalation."""
        now = self._clock.now()
        changes = {"assignee_id": actor, **_acknowledging(actor, now)}
        return self._act(reference, Action.ASSIGN, actor, membership, changes, f"assigned to {actor}")

    def resolve(
        self, reference: str, actor: str, membership: Membership, category: str, note: str, original: str = ""
    ) -> Outcome | Invalid:
        """Close with a category and a note, both required; the reporter is asked to confirm or reopen.
        A duplicate names the `original` it repeats, which its reporters then follow instead."""
        errors = _resolution_errors(category, note, original)
        if errors:
            return Invalid(errors)
        clean = self._redactor.redact(note.strip())
        now = self._clock.now()
        changes = {
            "resolved_at": now, "resolved_by": actor, "resolution": Resolution(category),
            "resolution_note": clean.text, "confirmed_at": None, **_acknowledging(actor, now),
        }  # fmt: skip
        if Resolution(category) is Resolution.DUPLICATE:
            return self._close_as_duplicate(reference, actor, membership, changes, clean, original.strip())
        detail = f"{category}: {clean.text}"
        outcome = self._act(reference, Action.RESOLVE, actor, membership, changes, detail)
        return Changed(outcome.issue, clean) if isinstance(outcome, Changed) else outcome

    def _close_as_duplicate(
        self,
        reference: str,
        actor: str,
        membership: Membership,
        changes: dict[str, Any],
        note: Redaction,
        original: str,
    ) -> Outcome | Invalid:
        """Close the issue as a duplicate of `original`, in one transaction: its reporters (and '+1's)
        join the original, so they hear when that one changes; they are told which issue they now
        follow, never asked whether it is sorted (it is not: the original is still open); the original's
        thread is told, with what they reported. Refused onto an issue less urgent than this one."""
        issue = self.find(reference)
        if issue is None:
            return Refused(self._no_issue(reference))
        if reason := lifecycle.refusal(Action.RESOLVE, issue, actor, membership, self.org):
            return Refused(reason)
        followed = self.find(original)
        if problem := _not_followable(issue, followed, self._redactor.clean(original)):
            return Invalid({"original": problem})
        assert followed is not None  # _not_followable says so otherwise
        now = self._clock.now()
        changes = _first_acknowledgement_kept(issue, {**changes, "duplicate_of": followed.id})
        detail = f"{Resolution.DUPLICATE.value} of {followed.reference}: {note.text}"
        event = Event(issue.id, now, actor, Action.RESOLVE, issue.status, Status.RESOLVED, detail)
        joining = [r for r in _reporters_of(issue, now) if not followed.reported_by(r.user_id)]
        done = store.close_as_duplicate(
            self.db, issue, followed, ({"status": Status.RESOLVED, **changes}, event), joining,
            f"from {issue.reference}, closed as its duplicate by {actor}",
            lambda closed, into: notices.on_duplicate(closed, into, self.org, actor, issue.assignee_id),
        )  # fmt: skip
        if done is None:  # either changed meanwhile (a colleague, another replica): say what happened
            return self._refused_again(issue, Action.RESOLVE, actor, membership, original)
        return Changed(done[0], note)

    def _refused_again(
        self, issue: Issue, action: Action, actor: str, membership: Membership, original: str = ""
    ) -> Refused | Invalid:
        """Why an action decided on the issue as read moments ago does not apply to it as it is now."""
        latest = self.find(issue.reference)
        reason = lifecycle.refusal(action, latest, actor, membership, self.org) if latest else None
        if reason is None and latest is not None and original:
            asked = self._redactor.clean(original)
            if problem := _not_followable(latest, self.find(original), asked):
                return Invalid({"original": problem})
        return Refused(reason or _updated_meanwhile(issue))

    def followed(self, issue: Issue) -> Issue:
        """The issue the team works on for this one: itself, or the one it was closed as a duplicate of
        (and that one's, if it was closed in turn), whose reporters it joined."""
        seen = {issue.id}
        while issue.duplicate_of is not None and issue.duplicate_of not in seen:
            original = store.get(self.db, issue.duplicate_of)
            if original is None:
                break
            seen.add(original.id)
            issue = original
        return issue

    def reopen(self, reference: str, actor: str, membership: Membership, reason: str = "") -> Outcome:
        """The problem is back, so someone must take it on again: the old acknowledgement no longer
        counts, and a P1 or patient-safety issue is escalated until the reopened issue is acknowledged."""
        clean = self._redactor.redact(reason.strip())
        changes = {
            "resolved_at": None, "resolved_by": None, "resolution": None, "resolution_note": None,
            "acknowledged_at": None, "acknowledged_by": None, "reopened_at": self._clock.now(),
            "escalations": 0, "confirmed_at": None,  # a confirmation of the fix that no longer holds
            "duplicate_of": None,  # its reporters stay on the original too, hearing of both
        }  # fmt: skip
        before = self.find(reference)
        detail = "; ".join(filter(None, [clean.text, _cleared(before)]))
        on_it = (before.resolved_by,) if before else ()  # told it is back, as is whoever it is assigned to
        outcome = self._act(reference, Action.REOPEN, actor, membership, changes, detail, on_it)
        return Changed(outcome.issue, clean) if isinstance(outcome, Changed) else outcome

    def confirm(
        self, reference: str, actor: str, membership: Membership, resolved_at: datetime | None = None
    ) -> Outcome:
        """The reporter agrees the fix works; the issue stays resolved with the confirmation recorded.
        `resolved_at` names the fix they were asked about: one undone by a reopening says nothing of
        the fix since, so it is refused (see `_asked_about`)."""
        issue = self.find(reference)
        if issue is not None and issue.status is Status.RESOLVED and not _asked_about(issue, resolved_at):
            return Refused(
                f"That button is out of date: {issue.reference} was fixed again since. Use the buttons on"
                f" my newest message about {issue.reference}."
            )
        return self._act(reference, Action.CONFIRM, actor, membership, {"confirmed_at": self._clock.now()})

    def change_severity(
        self,
        reference: str,
        actor: str,
        membership: Membership,
        severity: str,
        patient_safety: bool,
        reason: str,
        seen: Rating | None = None,
    ) -> Outcome | Invalid:
        """Raise or lower the severity, or set or clear the patient-safety flag, saying why. Raised to P1
        or patient safety, the issue is called out and escalated as if just logged so, and an earlier
        acknowledgement no longer counts: someone must own the raised risk now. `seen`: the rating the
        person chose from (as their form showed it); changed since by someone else, nothing is changed,
        lest a form opened at P3 clear a patient-safety flag a colleague has just set."""
        errors = _rating_errors(severity, reason)
        if errors:
            return Invalid(errors)
        issue = self.find(reference)
        if issue is None:
            return Refused(self._no_issue(reference))
        after = Rating(Severity(severity), patient_safety)

        def refuse(latest: Issue) -> str | None:
            if lifecycle.changed_meanwhile(latest.rating, seen, after):
                return (
                    f"{latest.reference} was changed to {latest.rating} since you opened this form, so"
                    " nothing changed. Check it and choose again."
                )
            return lifecycle.rating_refusal(latest, after, actor, membership, self.org)

        if why := refuse(issue):
            return Refused(why)
        clean = self._redactor.redact(reason.strip())
        changes, to = _rated(issue, after, self._clock.now())
        cleared = _cleared(issue, escalated=True) if "acknowledged_at" in changes else ""
        detail = "; ".join(filter(None, [rating_detail(issue.rating, after, clean.text), cleared]))
        intents = partial(
            notices.on_rating, org=self.org, actor=actor, before=issue.rating, reason=clean.text,
            also=(issue.assignee_id,),
        )  # fmt: skip
        outcome = self._apply(issue, Action.SEVERITY, actor, to, changes, detail, intents, refuse)
        return Changed(outcome.issue, clean) if isinstance(outcome, Changed) else outcome

    def _act(
        self,
        reference: str,
        action: Action,
        actor: str,
        membership: Membership,
        changes: dict[str, Any],
        detail: str = "",
        also_tell: tuple[str | None, ...] = (),
    ) -> Outcome:
        issue = self.find(reference)
        if issue is None:
            return Refused(self._no_issue(reference))

        def refuse(latest: Issue) -> str | None:
            return lifecycle.refusal(action, latest, actor, membership, self.org)

        if reason := refuse(issue):
            return Refused(reason)
        if action is not Action.ACKNOWLEDGE:
            changes = _first_acknowledgement_kept(issue, changes)
        told = (*also_tell, issue.assignee_id)  # whoever is on it hears when another takes it or closes it
        intents = partial(notices.on_change, org=self.org, action=action, actor=actor, also=told)
        return self._apply(
            issue, action, actor, lifecycle.target(action, issue), changes, detail, intents, refuse
        )

    def _apply(
        self,
        issue: Issue,
        action: Action,
        actor: str,
        to: Status,
        changes: dict[str, Any],
        detail: str,
        intents: store.Intents,
        refuse: Callable[[Issue], str | None],
    ) -> Outcome:
        """Store the change, its audit event and its posts, if nobody changed the issue since it was read;
        if someone did (a double click, a colleague), say what they did: `refuse` judges the issue now."""
        now = self._clock.now()
        event = Event(issue.id, now, actor, action, issue.status, to, detail)
        updated = store.transition(self.db, issue, {"status": to, **changes}, event, now, intents)
        if updated is None:
            latest = self.find(issue.reference)
            reason = refuse(latest) if latest else None
            return Refused(reason or _updated_meanwhile(issue))
        return Changed(updated)

    def refusal(self, reference: str, action: Action, actor: str, membership: Membership) -> str | None:
        """Why `actor` may not do `action` now (checked before a form is opened), or None."""
        issue = self.find(reference)
        if issue is None:
            return self._no_issue(reference)
        return lifecycle.refusal(action, issue, actor, membership, self.org)

    def logged_with(self, key: str) -> Issue | None:
        """The issue a submission already made, so a retry is answered with the same reference."""
        return store.by_submission_key(self.db, key)

    def find(self, reference: str) -> Issue | None:
        issue_id = id_from_reference(reference)
        return store.get(self.db, issue_id) if issue_id is not None else None

    def named_in(self, text: str, most: int = 5) -> list[tuple[str, Issue | None]]:
        """The issues a message names by reference, open or closed; None beside a reference no issue has."""
        return [(reference, self.find(reference)) for reference in references_in(text)[:most]]

    def listing(self, filters: store.Filters = store.Filters()) -> list[Issue]:  # noqa: B008
        return store.listing(self.db, filters)

    def open_counts(self) -> dict[Severity, int]:
        """Open issues by severity: for App Home and the comms engineer's live figures."""
        return store.open_counts(self.db)

    def opened_and_resolved(self, start: datetime, end: datetime) -> tuple[int, int]:
        """Issues opened, and issues resolved, in [start, end): for briefings and digests."""
        return store.opened_between(self.db, start, end), store.resolved_between(self.db, start, end)

    def history(self, issue: Issue) -> list[Event]:
        return store.events(self.db, [issue.id])


def _asked_about(issue: Issue, resolved_at: datetime | None) -> bool:
    """Whether a confirmation is of the issue's current fix. Without a time (a button sent before
    buttons named their fix) it is only when the issue was never reopened, so has had one fix; after a
    reopening it could be an earlier one, and a wrong confirmation is worse than none: unconfirmed, the
    issue stays resolved all the same."""
    if resolved_at is None:
        return issue.reopened_at is None
    return resolved_at == issue.resolved_at


def _cleared(issue: Issue | None, escalated: bool = False) -> str:
    """For the audit trail, which recorded the acknowledgement that reopening or a raise undoes."""
    if issue is None or issue.acknowledged_by is None:
        return ""
    escalated = ": escalated until acknowledged again" if escalated or issue.needs_safety_escalation else ""
    return f"acknowledgement by {issue.acknowledged_by} cleared{escalated}"


def _updated_meanwhile(issue: Issue) -> str:
    return (
        f"Someone else updated {issue.reference} just now, so nothing changed. Check its status before"
        " trying again."
    )


def _first_acknowledgement_kept(issue: Issue, changes: dict[str, Any]) -> dict[str, Any]:
    """Assigning or resolving acknowledges an issue nobody had; one already acknowledged keeps who did."""
    if issue.acknowledged_at and changes.get("acknowledged_at"):
        return {k: v for k, v in changes.items() if not k.startswith("acknowledged_")}
    return changes


def _reporters_of(issue: Issue, now: datetime) -> list[Reporter]:
    """Everyone who reported the issue, as reporters of another: the first (with their contact), the
    author of the message it was logged from, and each '+1' with where they were."""
    first = [Reporter(issue.reporter_id, issue.location, issue.contact, now)]
    author = [Reporter(issue.raised_by, issue.location, "", now)] if issue.raised_by else []
    people = [*first, *author, *(replace(r, at=now) for r in issue.extra_reporters)]
    return list({r.user_id: r for r in reversed(people)}.values())[::-1]


def _not_followable(issue: Issue, original: Issue | None, asked: str) -> str | None:
    """Why `issue` cannot be closed as a duplicate of `original` (`asked`, as typed), or None. Its
    reporters must follow an open issue that stays as urgent as theirs: a P1 or patient-safety issue
    closed into a lesser one would lose its call-outs, its escalation, the clinical safety group's
    sign-off and its place in the hazard log, so the lesser one is closed into it instead."""
    if original is None:
        return f"There is no issue {asked}: give the reference of the issue this repeats, e.g. GL-0042."
    ref, theirs = issue.reference, original.reference
    if original.id == issue.id:
        return f"{ref} cannot be a duplicate of itself: give the reference of the issue it repeats."
    if original.duplicate_of == issue.id:
        return (
            f"{theirs} was closed as a duplicate of {ref}, so {ref} is the one its reporters follow. If"
            f" {theirs} is the one to keep, reopen it first."
        )
    if original.original is not None:
        return f"{theirs} was closed as a duplicate of {original.original}: give {original.original}."
    if not original.is_open:
        return (
            f"{theirs} is {original.status.value}, so this issue's reporters would hear nothing more. If it"
            f" is the same problem back, reopen {theirs} first; if its fix sorted this one, resolve this"
            " one as fixed."
        )
    if not as_urgent(original, issue.severity, issue.patient_safety):
        return (
            f"{ref} ({_urgency(issue)}) is more urgent than {theirs} ({_urgency(original)}): closing it"
            f" would lose its call-outs and its place in the hazard log. Close {theirs} as a duplicate of"
            f" {ref} instead (or ask the support team to), or first raise {theirs} with Change severity, so"
            " everyone follows an issue as urgent as theirs."
        )
    return None


def _urgency(issue: Issue) -> str:
    return f"{issue.severity.label}{', patient safety' if issue.patient_safety else ''}"


def _acknowledging(actor: str, now: datetime) -> dict[str, Any]:
    return {"acknowledged_at": now, "acknowledged_by": actor}


def _rated(issue: Issue, after: Rating, now: datetime) -> tuple[dict[str, Any], Status]:
    """The changes and status a new rating brings. Raised to P1 or patient safety, it waits for a fresh
    acknowledgement from now, as a new one would: an acknowledged issue is new again, an assigned one
    stays its assignee's but is called out until someone (they, say) acknowledges the raised risk.
    Lowered out of patient safety before anyone did, an assigned one is its assignee's again, as
    assigning it had made it: nothing is left to call anyone to."""
    changes: dict[str, Any] = {"severity": after.severity, "patient_safety": after.patient_safety}
    if issue.needs_safety_escalation and not after.needs_safety_escalation:
        if issue.status is Status.ASSIGNED and issue.acknowledged_at is None:
            changes |= {"acknowledged_at": now, "acknowledged_by": issue.assignee_id}
        return changes, issue.status
    if not after.needs_safety_escalation or issue.needs_safety_escalation:
        return changes, issue.status
    changes |= {"raised_at": now, "escalations": 0, "acknowledged_at": None, "acknowledged_by": None}
    return changes, Status.NEW if issue.status is Status.ACKNOWLEDGED else issue.status


def _rating_errors(severity: str, reason: str) -> dict[str, str]:
    errors = {}
    if severity not in Severity.__members__:
        errors["severity"] = "Pick a severity: P1 patient safety risk down to P4 question or enhancement."
    if not shown(reason):
        errors["reason"] = "Say why, so the on-call team, the reporter and the safety review know."
    elif len(reason) > REASON_MAX:
        errors["reason"] = f"Shorten the reason to {REASON_MAX} characters or fewer."
    return errors


_ORIGINAL_WANTED = "Give the reference of the issue it repeats, e.g. GL-0042: its reporters will follow it."
_ORIGINAL_UNWANTED = "Leave this empty, or pick 'duplicate' as how it was resolved."


def _resolution_errors(category: str, note: str, original: str = "") -> dict[str, str]:
    errors = {}
    if category not in {r.value for r in Resolution}:
        choices = ", ".join(r.value for r in Resolution)
        errors["category"] = f"Pick how it was resolved: {choices}."
    elif (category == Resolution.DUPLICATE.value) != bool(original.strip()):
        errors["original"] = _ORIGINAL_WANTED if original.strip() == "" else _ORIGINAL_UNWANTED
    elif original.strip() and id_from_reference(original) is None:
        errors["original"] = _ORIGINAL_WANTED
    if not shown(note):
        errors["note"] = "Write a note saying what was done, so the reporter and the go-live review know."
    elif len(note) > NOTE_MAX:
        errors["note"] = f"Shorten the note to {NOTE_MAX} characters or fewer."
    return errors
