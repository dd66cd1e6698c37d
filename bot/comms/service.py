"""The communications plan at work: posts each due announcement exactly once, and answers questions about it.

Exactly once comes from the database, not from memory: every tick, on every replica, works out
which due times have passed and claims each (announcement, due time) pair with an insert that only
one replica can win; the winner queues the posts in the outbox in the same transaction, so a failed
post is retried by delivery and never doubled. A due time of an announcement a comms lead has paused
is claimed the same way, recorded as skipped while paused, and never posted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, islice
from pathlib import Path

from bot.clock import Clock
from bot.comms.contacts import contacts_now
from bot.comms.drafts import Checked, Draft, check_draft
from bot.comms.facts import FactSource, spoken_date
from bot.comms.model import FROM_SLACK, Announcement, Hold
from bot.comms.phases import Position, phase_at, position_at, within_phases
from bot.comms.schedules import clock_changes, read_schedules, resolve_channel, unset_dates
from bot.comms.templates import fill, placeholders_in
from bot.comms.timing import due_times, trigger_for
from bot.config import Contact, OrgConfig
from bot.filewatch import signature
from bot.privacy import CONTACT_DETAILS
from bot.roles import Membership, MembershipUnknown
from bot.store import comms as store
from bot.store import issues as issue_store
from bot.store.database import Database
from bot.store.outbox import Intent

log = logging.getLogger(__name__)
COMMS_LEADS_ONLY = (
    "Scheduling and cancelling announcements is for comms leads, so nothing was scheduled or changed. "
    "If you lead communications for the go-live, ask whoever runs the bot to add you under "
    "people: comms_leads in its config."
)
PAUSE_LEADS_ONLY = (
    "Only comms leads can pause or resume posts, so nothing was paused or resumed. If you lead"
    " communications for the go-live, ask whoever runs the bot to add you under people: comms_leads in"
    " its config."
)
PREVIEW_LEADS_ONLY = (
    "Only comms leads can preview scheduled posts. If you lead communications for the go-live, ask"
    " whoever runs the bot to add you under people: comms_leads in its config."
)
_LEADS_UNCHECKED = (
    "I couldn't check the comms leads' membership with {holder} just now, so nothing was scheduled or"
    " changed: try again in a minute."
)
_OVERLAP = timedelta(minutes=5)  # re-examined behind the cursor, for replicas whose clocks differ a little
_UPCOMING_PER_ANNOUNCEMENT = 200
_FAILED = "failed"


@dataclass(frozen=True)
class TickResult:
    posted: int = 0
    skipped: int = 0
    next_due: datetime | None = None  # the earliest due time still to come within the look-ahead
    paused: int = 0  # due times skipped because a comms lead paused their announcement


@dataclass(frozen=True)
class Status:
    """Where the go-live stands, with open issues by severity (P1..P4)."""

    position: Position
    open_by_severity: dict[str, int]


@dataclass(frozen=True)
class Upcoming:
    when: datetime
    announcement: Announcement
    channels: tuple[str, ...]
    phase: str
    paused: Hold | None = None  # a comms lead's pause: it will not post unless resumed first


@dataclass(frozen=True)
class Preview:
    """A post as staff will read it at its next due time (None: it has none left), for a comms lead."""

    announcement: Announcement
    hold: Hold
    due: datetime | None
    text: str | None


class CommsService:
    def __init__(self, org: OrgConfig, db: Database, clock: Clock, facts: FactSource):
        self.org = org
        self.db = db
        self.clock = clock
        self.facts = facts
        self._plan_folder: Path | None = None  # the files the plan was stored from, watched for edits
        self._plan_seen = self._plan_changing = ()  # what they looked like when stored, and at the last look

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.org.schedule_grace_minutes)

    def sync_files(self, directory: Path) -> bool:
        """Store the plan from the files; an invalid plan is reported and the stored one kept unchanged.
        The folder is then watched by `reload_if_changed`."""
        self._plan_folder = directory
        self._plan_seen = self._plan_changing = signature(directory)
        return self._store_plan(directory)

    def reload_if_changed(self) -> bool:
        """Store the plan again once an edit to its files has stopped changing them (one look apart, so a
        file still being copied is never read half written): a comms lead's edit applies within seconds,
        and an invalid one is logged, once, while the last good plan keeps posting."""
        if self._plan_folder is None:
            return False
        current, last = signature(self._plan_folder), self._plan_changing
        self._plan_changing = current
        if current == self._plan_seen or current != last:
            return False  # unchanged, or still changing: look again next tick
        self._plan_seen = current
        return self._store_plan(self._plan_folder)

    def _store_plan(self, directory: Path) -> bool:
        if not directory.exists():
            log.warning("no schedules folder at %s: only announcements from Slack are posted", directory)
            return False
        announcements, problems = read_schedules(directory, self.org)
        if problems:
            for problem in problems:
                log.error("schedules not loaded: %s", problem)
            log.error("the communications plan in the database is unchanged until the files are fixed")
            return False
        store.sync_file_announcements(self.db, announcements, self.clock.now())
        log.info("communications plan: %d announcements from %s", len(announcements), directory)
        for warning in [*unset_dates(announcements, self.org), *clock_changes(announcements, self.org)]:
            log.warning("communications plan: %s", warning)  # for a trust that never runs validate
        return True

    def tick(self, look_ahead: timedelta = timedelta(0)) -> TickResult:
        """Claim and queue every announcement that has fallen due since it was last handled.

        It also finds the next due time within `look_ahead`, so the caller can run the tick again
        exactly then instead of at its next regular run.
        """
        now = self.clock.now()
        floor = store.checked_until(self.db)
        last = store.last_due_times(self.db)
        outcomes = []
        upcoming = []
        for stored in store.active_announcements(self.db):
            after = self._looked_at_until(stored, floor, last.get(stored.announcement.id))
            try:
                outcomes.extend(self._handle(stored, after, now))
                upcoming.append(next(self._due(stored.announcement, now, now + look_ahead), None))
            except Exception:  # one broken announcement must not hold up the rest of the plan
                log.exception(
                    "announcement %s could not be scheduled; it is tried again next tick",
                    stored.announcement.id,
                )
                outcomes.append(_FAILED)
        if _FAILED not in outcomes:  # otherwise the next tick looks back far enough to retry it
            store.advance_checked_until(self.db, now)
        next_due = min((t for t in upcoming if t is not None), default=None)
        posted, skipped = outcomes.count(store.POSTED), outcomes.count(store.SKIPPED)
        return TickResult(posted, skipped, next_due, outcomes.count(store.PAUSED))

    def _looked_at_until(
        self, stored: store.Stored, floor: datetime | None, last: datetime | None
    ) -> datetime:
        """Where this announcement's due times start to be claimed: after its last one, and after what the
        ticks have looked at, unless it took its times since (added or moved in its file while the bot
        ran): then a time up to the grace before is posted late, as one missed while the bot was down is,
        not dropped because the scheduler had passed it before it was written."""
        seen = floor - _OVERLAP if floor is not None and floor > stored.created_at else None
        return max(b for b in (stored.created_at - self.grace, last, seen) if b is not None)

    def _handle(self, stored: store.Stored, after: datetime, now: datetime) -> list[str]:
        """The outcomes recorded for the due times in (after, now]: those the announcement's pause
        holds as one run, never posted, then the rest as one run, posted or skipped."""
        due = list(self._due(stored.announcement, after, now))
        held = [when for when in due if stored.hold.holds(when)]
        rest = [when for when in due if not stored.hold.holds(when)]
        outcomes = [self._hold(stored.announcement, held, now) if held else None]
        outcomes.append(self._post_or_skip(stored.announcement, rest, now) if rest else None)
        return [outcome for outcome in outcomes if outcome is not None]

    def _hold(self, announcement: Announcement, held: list[datetime], now: datetime) -> str | None:
        """Record the due times a pause held back, so resuming never posts them late."""
        latest = held[-1]
        outcome = store.claim_run(self.db, announcement.id, latest, store.PAUSED, len(held) - 1, [], now)
        if outcome:
            self._log_held(announcement, latest)
        return outcome

    def _post_or_skip(self, announcement: Announcement, due: list[datetime], now: datetime) -> str | None:
        latest, missed = due[-1], len(due) - 1
        late = now - latest
        outcome = store.POSTED if late <= self.grace else store.SKIPPED
        intents = (
            self.intents(announcement, latest)
            if outcome == store.POSTED
            else [self._skip_notice(announcement, latest)]
        )
        outcome = store.claim_run(self.db, announcement.id, latest, outcome, missed, intents, now)
        if outcome is None:
            return None  # another replica handled this due time
        if outcome == store.PAUSED:  # paused since this tick read the plan: nothing was queued
            self._log_held(announcement, latest)
            return outcome
        if missed:
            log.warning("announcement %s: %d missed runs collapsed into one", announcement.id, missed)
        if outcome == store.SKIPPED:
            log.warning(
                "announcement %s due %s was skipped: the bot was down and %s is beyond the grace time of %s",
                announcement.id, self._local(latest), _minutes(late), _minutes(self.grace),
            )  # fmt: skip
        elif late > timedelta(minutes=1):
            log.info("announcement %s due %s: %s late", announcement.id, self._local(latest), _minutes(late))
        return outcome

    def _log_held(self, announcement: Announcement, due: datetime) -> None:
        log.info("announcement %s due %s not posted: a comms lead paused it", announcement.id,
                 self._local(due))  # fmt: skip

    def _due(self, announcement: Announcement, after: datetime, until: datetime) -> Iterator[datetime]:
        """Due times in (after, until] that fall in the announcement's phases, computed as needed."""
        trigger = trigger_for(announcement, self.org.timezone)
        pieces = within_phases(self.org.golive, announcement.phases, after, until)
        return chain.from_iterable(due_times(trigger, low, high) for low, high in pieces)

    def intents(self, announcement: Announcement, due: datetime) -> list[Intent]:
        """One post per channel, however often it is named ('announcements' and its id are one channel);
        the text is rendered at delivery, for the due time the payload carries."""
        targets = dict.fromkeys(resolve_channel(channel, self.org) for channel in announcement.channels)
        return [
            Intent(
                kind=store.ANNOUNCEMENT_KIND,
                ref=announcement.id,
                target=target,
                payload={"due": due.isoformat()},
                dedupe_key=f"announcement:{announcement.id}:{due.isoformat()}:{target}"[:255],
            )
            for target in targets
        ]

    def _skip_notice(self, announcement: Announcement, due: datetime) -> Intent:
        """Who is told that a post was not made, for them to post it by hand if it still matters: the
        lead who made it in Slack, else the command centre, as for a channel the bot cannot reach."""
        return Intent(
            kind=store.SKIPPED_KIND,
            ref=announcement.id,
            target=self._fallback(announcement),
            payload={"due": due.isoformat()},
            dedupe_key=f"{store.SKIPPED_KIND}:{announcement.id}:{due.isoformat()}"[:255],
        )

    def skipped_text(self, announcement_id: str, due: datetime) -> str | None:
        """What the notice of a skipped post says; None once the announcement is gone from the store."""
        announcement = store.get_announcement(self.db, announcement_id)
        if announcement is None:
            return None
        where = f" (`{announcement.id}`, {announcement.source})" if announcement.origin != FROM_SLACK else ""
        return (
            f":warning: “{announcement.opening()}”{where} was not posted on {self._spoken(due)}: the bot"
            " could not post then (it was stopped, or could not reach its database), and by the time it"
            f" could the post was more than {_minutes(self.grace)} late."
            " Post it by hand if it is still needed."
        )

    def render(self, text: str, now: datetime | None = None) -> str:
        """The text with its figures at `now` (its due time); the privacy guard has the last word on
        whatever is posted (the trust's own contact details aside: staff typed in the figures are
        cleaned of them already). Who to call is read when staff read it: now, or for a post still to
        come (the plan proofread with `schedule --text`) its due time, not the hour it is proofread."""
        read_at = max(self.clock.now(), now) if now else self.clock.now()
        filled = fill(text, self.facts.values(now or read_at, placeholders_in(text), read_at))
        return self.facts.redactor.clean(filled, CONTACT_DETAILS)

    def render_announcement(self, announcement_id: str, due: datetime | None = None) -> str | None:
        """The text to post for a queued announcement, with the figures of its due time: one held up
        by a Slack outage says what it would have said on time (yesterday's briefing names yesterday),
        not the next day's. None once it is cancelled or removed, so a post still waiting for Slack
        is not sent after a comms lead was told it will not be; None too while it is paused, so a post
        Slack held when the lead paused it does not go out in the middle of the incident."""
        announcement = store.get_announcement(self.db, announcement_id, postable=True)
        return self.render(announcement.text, due) if announcement else None

    def preview(self, announcement_id: str) -> Preview | None:
        """The announcement as it will post at its next due time, rendered as delivery renders it then
        (`render`, for that due time), paused or not; None when it is not scheduled (any more)."""
        stored = store.get_stored(self.db, announcement_id)
        if stored is None or stored.retired:
            return None
        due = self.next_due(stored.announcement)
        text = self.render(stored.announcement.text, due) if due else None
        return Preview(stored.announcement, stored.hold, due, text)

    def late_note(self, due: datetime) -> str | None:
        """A line for a post going out beyond the grace after its due time (Slack was down, or would not
        let the bot into the channel), so staff reading '3 days to go-live' a day late know it is
        yesterday's; None for a post on time."""
        if self.clock.now() - due <= self.grace:
            return None
        return f":hourglass: Delayed: this was due on {self._spoken(due)} and could not be posted until now."

    def fallback_for(self, announcement_id: str) -> str | None:
        """Where a post goes when Slack will not take it in its channel (bot not invited, channel
        archived or gone): the lead who made it in Slack, else the command centre, so someone fixes it."""
        announcement = store.get_announcement(self.db, announcement_id)
        return None if announcement is None else self._fallback(announcement)

    def _fallback(self, announcement: Announcement) -> str | None:
        if announcement.origin == FROM_SLACK and announcement.created_by:
            return announcement.created_by
        return self.org.channels.command_centre or self.org.channels.triage

    def upcoming(self, days: int, announcements: list[Announcement] | None = None) -> list[Upcoming]:
        """The posts due in the next `days` days, in time order: the stored plan unless one is given."""
        now = self.clock.now()
        if announcements is None:
            announcements = self.active()
        holds = store.paused_announcements(self.db)
        result = []
        for announcement in announcements:
            times = self._due(announcement, now, now + timedelta(days=days))
            channels = tuple(resolve_channel(c, self.org) for c in announcement.channels)
            paused = holds.get(announcement.id)
            for when in islice(times, _UPCOMING_PER_ANNOUNCEMENT):
                phase = phase_at(self.org.golive, when)
                result.append(Upcoming(when, announcement, channels, phase, paused))
        return sorted(result, key=lambda u: (u.when, u.announcement.id))

    def status(self) -> Status:
        counts = {severity.value: n for severity, n in issue_store.open_counts(self.db).items()}
        return Status(position_at(self.org, self.clock.now()), counts)

    def contacts(self, site: str | None = None) -> list[Contact]:
        return contacts_now(self.org, self.clock.now(), site)

    def active(self) -> list[Announcement]:
        return [s.announcement for s in store.active_announcements(self.db)]

    def scheduled(self) -> list[store.Stored]:
        """Every active announcement, with its pause if a comms lead paused it."""
        return store.active_announcements(self.db)

    def scheduled_from_slack(self) -> list[Announcement]:
        return [s.announcement for s in store.active_announcements(self.db, FROM_SLACK)]

    def refusal(self, user_id: str, membership: Membership, refused: str = COMMS_LEADS_ONLY) -> str | None:
        """Why this person may not schedule, cancel, pause or preview announcements (`refused` says
        which); None for a comms lead. A lead the group's holder cannot vouch for just now is asked to
        try again, not to be added."""
        try:
            return None if membership.is_member(user_id, self.org.comms_leads) else refused
        except MembershipUnknown as unknown:
            return _LEADS_UNCHECKED.format(holder=unknown.holder)

    def check(self, draft: Draft, user_id: str) -> Checked:
        return check_draft(draft, self.org, self.facts.redactor, user_id, self.clock.now())

    def add(self, announcement: Announcement) -> None:
        store.add_announcement(self.db, announcement, self.clock.now())

    def cancel(self, announcement_id: str, by: str) -> str:
        """What happened, in words for the comms lead; only announcements made in Slack are cancelled here."""
        announcement = store.get_announcement(self.db, announcement_id)
        named = f"“{announcement.opening()}”" if announcement else f"`{announcement_id}`"
        if announcement is not None and announcement.origin != FROM_SLACK:
            return f"{named} comes from {announcement.source}: remove it from that file instead."
        if not store.retire(self.db, announcement_id, by, self.clock.now()):
            return f"{named} is not scheduled (it may have been cancelled already)."
        return f"Cancelled {named}: it will not be posted again."

    def pause(self, announcement_id: str, by: str) -> str:
        """Hold an announcement (a downtime, a major incident) until a comms lead resumes it: what
        happened, in words for the lead. Its due times meanwhile are recorded as skipped, never posted."""
        if not store.pause(self.db, announcement_id, by, self.clock.now()):
            return self._unchanged(announcement_id, "paused already")
        log.info("announcement %s paused by %s", announcement_id, by)
        announcement, named, due = self._after_change(announcement_id)
        held = f"it will not post on {self._spoken(due)}, nor after," if due else "it will not post"
        from_file = announcement is not None and announcement.origin != FROM_SLACK
        return (
            f"Paused {named}: {held} until a comms lead resumes it from `/golive announcements`. Times"
            " that pass while it is paused are skipped, not posted late."
            + (" Edits to its file keep it paused." if from_file else "")
        )

    def resume(self, announcement_id: str, by: str) -> str:
        """Let a paused announcement post again from its next due time; what it missed stays unposted."""
        if not store.resume(self.db, announcement_id, by, self.clock.now()):
            return self._unchanged(announcement_id, "not paused")
        log.info("announcement %s resumed by %s", announcement_id, by)
        _, named, due = self._after_change(announcement_id)
        then = f"it posts next on {self._spoken(due)}" if due else "but it has no time left to post"
        return f"Resumed {named}: {then}. What it missed while paused is not posted."

    def _after_change(self, announcement_id: str) -> tuple[Announcement | None, str, datetime | None]:
        """The announcement just paused or resumed, how the lead knows it, and its next due time."""
        announcement = store.get_announcement(self.db, announcement_id)
        if announcement is None:
            return None, f"`{announcement_id}`", None
        return announcement, f"“{announcement.opening()}”", self.next_due(announcement)

    def _unchanged(self, announcement_id: str, why: str) -> str:
        """Why a pause or resume changed nothing: the announcement is gone, or already as asked."""
        stored = store.get_stored(self.db, announcement_id)
        named = f"“{stored.announcement.opening()}”" if stored else f"`{announcement_id}`"
        if stored is None or stored.retired:
            return f"{named} is not scheduled any more (cancelled, or gone from its file): nothing changed."
        if stored.hold.paused and stored.hold.paused_at:
            return f"{named} is {why}, since {self._spoken(stored.hold.paused_at)}: nothing changed."
        return f"{named} is {why}: nothing changed."

    def next_due(self, announcement: Announcement) -> datetime | None:
        now = self.clock.now()
        return next(self._due(announcement, now, now + timedelta(days=366)), None)

    def _local(self, when: datetime) -> str:
        return f"{when.astimezone(self.org.timezone):%Y-%m-%d %H:%M %Z}"

    def _spoken(self, when: datetime) -> str:
        local = when.astimezone(self.org.timezone)
        return f"{spoken_date(local)} at {local:%H:%M}"


def _minutes(delta: timedelta) -> str:
    return f"{int(delta.total_seconds() // 60)} min"
