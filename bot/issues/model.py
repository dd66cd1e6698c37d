"""What an issue is: severities, statuses, resolution categories, the draft a reporter fills in.

Plain data only; storage and Slack both speak in these types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.config import PLACE_MAX, OrgConfig
from bot.privacy import INVISIBLE

REFERENCE_PREFIX = "GL-"
_REFERENCE = re.compile(r"^\s*GL-?0*(\d{1,9})\s*$", re.IGNORECASE)
# A reference within words: 'GL-42', or 'GL0042' with four digits at least, never a Gloucester postcode
# ('GL1 3NN', 'GL50 1AB': two digits at most), which a message names as often as an issue.
_NAMED = re.compile(r"(?<![\w-])GL(?:-|(?=\d{4}))0*(\d{1,9})(?!\w)", re.IGNORECASE)
SUMMARY_MAX = 150
DETAILS_MAX = 3000
LOCATION_MAX = PLACE_MAX
AREA_MAX = PLACE_MAX
CONTACT_MAX = 60
NOTE_MAX = 2000
REASON_MAX = 500  # why an issue's severity changed: a line or two for the audit trail and the thread


class Severity(StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITY_LABELS = {
    Severity.P1: "P1 patient safety risk",
    Severity.P2: "P2 work blocked, no workaround",
    Severity.P3: "P3 workaround exists",
    Severity.P4: "P4 question or enhancement",
}


class Status(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    RESOLVED = "resolved"
    REOPENED = "reopened"


OPEN_STATUSES = frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.REOPENED})


class Resolution(StrEnum):
    FIXED = "fixed"
    WORKAROUND = "workaround given"
    TRAINING = "training need"
    ENHANCEMENT = "enhancement logged"
    DUPLICATE = "duplicate"
    NO_FAULT = "no fault found"


class Action(StrEnum):
    """Everything that can happen to an issue; each one leaves an audit event."""

    REPORTED = "reported"
    PLUS_ONE = "plus one"
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CONFIRM = "confirm"
    ESCALATE = "escalate"
    NOTE = "note"  # something someone on the issue added, from a reply to the bot's message about it
    SEVERITY = "severity"  # its severity or patient-safety flag changed after it was logged


def reference_for(issue_id: int) -> str:
    """The human reference is the primary key, so the database alone guarantees it is unique."""
    return f"{REFERENCE_PREFIX}{issue_id:04d}"


def id_from_reference(reference: str) -> int | None:
    match = _REFERENCE.match(reference)
    return int(match[1]) if match else None


def without_references(text: str) -> str:
    """The message's other words: with none left ('GL-0042?') it only asks after the issue."""
    return _NAMED.sub(" ", text).strip(" \t\n?!.,:;-")


def references_in(text: str) -> list[str]:
    """The references a message names ('any update on GL-0042?', 'gl-42'), as the bot writes them, once
    each and in order: staff are told to quote them when they chase an issue."""
    return list(dict.fromkeys(reference_for(int(found[1])) for found in _NAMED.finditer(text)))


@dataclass(frozen=True)
class Rating:
    """How urgent an issue is: its severity and whether it is flagged as a risk to patients."""

    severity: Severity
    patient_safety: bool

    @property
    def needs_safety_escalation(self) -> bool:
        return self.severity is Severity.P1 or self.patient_safety

    def lowered_from(self, before: Rating) -> bool:
        """Whether going from `before` to this makes any part less urgent: a lower severity (P1 is the
        highest) or the patient-safety flag cleared, even if the other part is raised."""
        return self.severity.value > before.severity.value or (
            before.patient_safety and not self.patient_safety
        )

    def __str__(self) -> str:
        return f"{self.severity.value}{' patient safety' if self.patient_safety else ''}"

    @classmethod
    def parse(cls, text: str) -> Rating | None:
        """A rating as `str` writes it ('P3 patient safety'); None for anything else."""
        match = _RATING.fullmatch(text.strip())
        return cls(Severity(match[1].upper()), bool(match[2])) if match else None


_RATING = re.compile(r"(P[1-4])( patient safety)?", re.IGNORECASE)
_RATING_CHANGE = re.compile(
    r"(P[1-4](?: patient safety)?) -> (P[1-4](?: patient safety)?)(?:: (.*))?", re.DOTALL
)


def rating_detail(before: Rating, after: Rating, reason: str) -> str:
    """The audit trail's line for a change of rating: from what to what, and why ('P3 -> P1: ...')."""
    return f"{before} -> {after}: {reason}"


def rating_change(detail: str) -> tuple[Rating, Rating, str] | None:
    """A severity event's from, to and why, read back from its detail; None for any other detail."""
    match = _RATING_CHANGE.match(detail)
    if not match:
        return None
    before, after = Rating.parse(match[1]), Rating.parse(match[2])
    return (before, after, match[3] or "") if before and after else None


@dataclass(frozen=True)
class Draft:
    """What a reporter typed into the form, before validation and redaction."""

    summary: str
    details: str
    location: str
    area: str
    severity: str
    contact: str
    patient_safety: bool = False
    source_link: str | None = None
    raised_by: str | None = None  # who wrote the message a floorwalker logged, when logged from one


@dataclass(frozen=True)
class Reporter:
    """Someone who reported the issue: the original reporter or a later '+1'."""

    user_id: str
    location: str
    contact: str
    at: datetime


@dataclass(frozen=True)
class Event:
    """One line of the audit trail: who did what, when, and the status before and after."""

    issue_id: int
    at: datetime
    actor: str
    action: Action
    from_status: Status | None
    to_status: Status | None
    detail: str = ""


@dataclass(frozen=True)
class Issue:
    id: int
    summary: str
    details: str
    location: str
    area: str
    severity: Severity
    patient_safety: bool
    contact: str
    reporter_id: str
    status: Status
    created_at: datetime
    updated_at: datetime
    source_link: str | None = None
    raised_by: str | None = None  # the author of the message it was logged from, told of changes too
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    assignee_id: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    resolution: Resolution | None = None
    resolution_note: str | None = None
    confirmed_at: datetime | None = None
    escalations: int = 0  # since it was logged, or since it was last reopened
    version: int = 1
    reopened_at: datetime | None = None
    raised_at: datetime | None = None  # when it last became a P1 or patient-safety issue after logging
    extra_reporters: tuple[Reporter, ...] = field(default=())
    duplicate_of: int | None = None  # the issue it was closed as a duplicate of, whose reporters it joined

    @property
    def reference(self) -> str:
        return reference_for(self.id)

    @property
    def original(self) -> str | None:
        """The reference of the issue this one was closed as a duplicate of, while it stays closed."""
        return reference_for(self.duplicate_of) if self.duplicate_of is not None else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def has_the_problem(self, person: str) -> bool:
        """Whether this person reported it or wrote the message it was logged from: either may confirm
        the fix, since the problem was theirs."""
        return person in (self.reporter_id, self.raised_by)

    def reported_by(self, person: str) -> bool:
        """Whether this person reported it (first, or with 'Same problem: add me') or wrote the message
        it was logged from: what they add to it is theirs to add."""
        return self.has_the_problem(person) or any(r.user_id == person for r in self.extra_reporters)

    @property
    def awaiting_acknowledgement(self) -> bool:
        """Open, a P1 or patient-safety issue, and acknowledged by nobody: called out until someone is
        (`store.awaiting_acknowledgement` asks the same of the database)."""
        return self.is_open and self.needs_safety_escalation and not self.acknowledged_at

    @property
    def awaiting_since(self) -> datetime:
        """When the wait for an acknowledgement began: a reopened issue, or one raised to patient safety,
        needs acknowledging afresh, from the later of the two."""
        return max(t for t in (self.created_at, self.reopened_at, self.raised_at) if t is not None)

    @property
    def awaiting_after(self) -> Action:
        """What began the wait for an acknowledgement: logging, reopening or raising it."""
        if self.raised_at and self.raised_at == self.awaiting_since:
            return Action.SEVERITY
        return Action.REOPEN if self.reopened_at else Action.REPORTED

    @property
    def rating(self) -> Rating:
        return Rating(self.severity, self.patient_safety)

    @property
    def needs_safety_escalation(self) -> bool:
        """P1 and patient-safety issues go to the safety channel and are escalated until acknowledged."""
        return self.rating.needs_safety_escalation


def validate(draft: Draft, org: OrgConfig) -> dict[str, str]:
    """Problems keyed by form field, each saying what to do; empty when the draft can be saved."""
    errors: dict[str, str] = {}
    summary = shown(draft.summary)
    if not summary:
        errors["summary"] = "Give a one-line summary, e.g. 'Wristband printer on Ward 3 prints blank labels'."
    elif len(summary) > SUMMARY_MAX or "\n" in summary:
        errors["summary"] = f"Keep the summary to one line of at most {SUMMARY_MAX} characters."
    if not shown(draft.details):
        errors["details"] = "Say what happened: what you did, what you expected and what you saw."
    elif len(draft.details) > DETAILS_MAX:
        errors["details"] = f"Shorten the description to {DETAILS_MAX} characters or fewer."
    if not shown(draft.location):
        errors["location"] = "Pick your ward or department, or type it under 'Other location'."
    elif len(draft.location.strip()) > LOCATION_MAX:
        errors["location"] = f"Keep the location to {LOCATION_MAX} characters or fewer."
    if org.system_areas and draft.area not in org.system_areas:
        errors["area"] = "Pick the part of the system this is about (choose 'Other' if unsure)."
    elif not org.system_areas and not shown(draft.area):
        errors["area"] = "Say which part of the system this is about."
    elif not org.system_areas and len(draft.area.strip()) > AREA_MAX:
        errors["area"] = f"Keep the part of the system to {AREA_MAX} characters or fewer."
    if draft.severity not in Severity.__members__:
        errors["severity"] = "Pick a severity: P1 patient safety risk down to P4 question or enhancement."
    contact = shown(draft.contact)
    if not contact or not any(ch.isdigit() for ch in contact):
        errors["contact"] = "Give a bleep or extension number so the support team can reach you."
    elif len(contact) > CONTACT_MAX:
        errors["contact"] = f"Keep the contact details to {CONTACT_MAX} characters or fewer."
    return errors


def shown(text: str) -> str:
    """What a reader would see of `text`: zero-width and other invisible characters count as nothing,
    so a required field of only them is empty rather than an issue nobody can read."""
    return INVISIBLE.sub("", text).strip()
