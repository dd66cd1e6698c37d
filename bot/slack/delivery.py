"""Delivers the outbox to Slack: claims due rows, renders them now, posts or edits, retries until done.

Rendering happens at delivery time through renderers registered by kind (`services.renderers`), so a
post always shows the current state and the outbox holds no Block Kit. Failures (Slack down, 429
with Retry-After, any error) put the row back with a backoff; rows survive restarts in the database.

Never posted twice: each new post carries its outbox id in the message metadata. Before a row that
was already attempted is posted again, the channel's recent history (a reply's thread; the fallback
channel a redirected post went to) is searched for that id; when
the earlier attempt did reach Slack (the process died between posting and recording the ts), its ts
is recorded instead of posting again. Limits: the search needs the channel's id (configured as an id,
or learnt from an earlier post to the same #name; a user id is opened as a DM), the channels:history,
groups:history and im:history scopes, and the post to be among the 200 messages since the first
attempt. When the search cannot be made the row is posted again, because a duplicate is better than a
lost patient-safety post, and the log says so. Edits (chat.update) are idempotent and need no search.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.clock import Clock
from bot.issues import notices
from bot.runtime import Services
from bot.slack.blocks import Block, fit, within_message_limit
from bot.slack.clients import error_code, like, why_slack_failed
from bot.store import outbox
from bot.store.database import Database
from bot.store.outbox import Item

log = logging.getLogger(__name__)
METADATA_TYPE = "golive_outbox"
LEASE = timedelta(seconds=60)
CALL_TIMEOUT = 15  # seconds a Slack call may take: with one retry, well within the lease
TICK_SECONDS = 10
_BASE_DELAY = timedelta(seconds=5)
_MAX_DELAY = timedelta(minutes=15)
_WAIT_FOR_ORIGINAL = timedelta(seconds=5)
CLOSE_WAIT = 5.0  # seconds close() waits for deliveries in flight
_HISTORY_SLACK = timedelta(minutes=2)  # Slack's ts and our clock can disagree a little
# Slack's answers that the blocks themselves are at fault: sending them again cannot succeed.
_REFUSED_CONTENT = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "too_many_blocks", "msg_blocks_too_long"}
)
# Slack's answers that the bot can never post this message there (gone, not a member, posting or
# replying restricted by the workspace or channel): retrying cannot succeed, so a post that must reach
# someone goes to its fallback channel.
_UNREACHABLE = frozenset({
    "not_in_channel", "channel_not_found", "is_archived", "restricted_action",
    "restricted_action_read_only_channel", "restricted_action_thread_only_channel",
    "restricted_action_non_threadable_channel", "cannot_reply_to_message", "team_access_not_granted",
})  # fmt: skip
_DELETED = frozenset({"message_not_found"})  # someone deleted the post an update would edit
_PLAIN_LIMIT = 4000  # Slack's advised limit for a message's text
# Posted before anything else due: a backlog (after an outage) must not hold up a call-out.
URGENT = (notices.SAFETY, notices.REOPENED, notices.RAISED, notices.ESCALATION)
# Why a row waits when Slack itself could not be reached (as `why_slack_failed` words it).
_OUTAGE = ("could not reach Slack", "Slack HTTP 5")


@dataclass(frozen=True)
class Message:
    """What a renderer returns; `channel` overrides the row's target when the renderer knows better."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    channel: str | None = None
    # Where a post that must reach someone goes when its own channel cannot be reached (the bot is
    # not in it, may not post or reply there, or it was archived or deleted): retrying would never
    # succeed and nobody would know.
    fallback_channel: str | None = None
    # The first line of the post there; by default it asks whoever reads the fallback to fix the channel.
    fallback_note: str | None = None
    thread_ts: str | None = None  # a reply in the thread of this earlier post


Renderer = Callable[[Item], Message | None]  # None: nothing to post any more


class Delivery:
    def __init__(self, db: Database, client: WebClient, clock: Clock, renderers: dict[str, Renderer]):
        self._db = db
        self._client = client
        self._clock = clock
        self._renderers = renderers
        self._draining = threading.Lock()
        self._again = threading.Event()
        self._closed = False
        self._kicks: set[threading.Thread] = set()
        self._kicks_lock = threading.Lock()
        # Slack may have been unreachable (and rows backing off) since this worker last posted; so
        # also at start, when rows may still wait from an outage before a restart.
        self._outage = True
        self._probed_at: datetime | None = None

    def tick(self) -> int:
        """Deliver what is due now; returns how many rows were attempted."""
        if self._closed:
            return 0
        items = outbox.claim_due(self._db, self._clock.now(), LEASE, first=URGENT)
        if not items and self._probe():
            items = outbox.claim_due(self._db, self._clock.now(), LEASE, first=URGENT)
        for item in items:
            if self._closed:  # due again at once, for the next start or another replica
                outbox.retry_later(self._db, item.id, "the bot stopped before posting it", self._clock.now(),
                                   item.attempts)  # fmt: skip
            elif self._still_mine(item):
                self._deliver(item)
        return len(items)

    def _probe(self) -> bool:
        """While Slack is unreachable, try one waiting row (the most urgent) each tick rather than
        wait out its backoff: when it goes through, `_sent` makes the rest due at once."""
        now = self._clock.now()
        if not self._outage or (self._probed_at and now - self._probed_at < timedelta(seconds=TICK_SECONDS)):
            return False
        self._probed_at = now
        if outbox.hasten(self._db, now, _OUTAGE, URGENT, limit=1):
            return True
        self._outage = False  # nothing waits for Slack to come back
        return False

    def _still_mine(self, item: Item) -> bool:
        """Renew the claim before working on it: rows claimed together wait while earlier ones are
        posted, and when Slack is slow their lease can run out and another replica take them over."""
        if outbox.renew(self._db, item.id, item.attempts, self._clock.now(), LEASE):
            return True
        log.info("outbox row %s (%s %s) was taken over by another worker; leaving it to them",
                 item.id, item.kind, item.ref)  # fmt: skip
        return False

    def drain(self) -> None:
        """Deliver until nothing is due; concurrent calls fold into one extra pass."""
        self._again.set()
        if not self._draining.acquire(blocking=False):
            return
        try:
            while self._again.is_set():
                self._again.clear()
                while self.tick():
                    pass
        finally:
            self._draining.release()

    def kick(self) -> None:
        """Deliver soon, off the request thread, so a submission never waits for Slack."""
        with self._kicks_lock:
            if self._closed:
                return
            self._kicks = {t for t in self._kicks if t.is_alive()}
            thread = threading.Thread(target=self._drain_logged, name="outbox-kick", daemon=True)
            self._kicks.add(thread)
            thread.start()

    def close(self, timeout: float = CLOSE_WAIT) -> None:
        """Start nothing more and give deliveries in flight a moment to finish, so none outlives the
        database or the Slack client they use. Bounded: a hung Slack call is left to its own timeout."""
        with self._kicks_lock:
            self._closed = True
            kicks = list(self._kicks)
        deadline = time.monotonic() + timeout
        for thread in kicks:
            thread.join(max(0.0, deadline - time.monotonic()))
        if any(t.is_alive() for t in kicks):
            log.warning("an outbox delivery was still running at shutdown; its row is retried after restart")

    def _drain_logged(self) -> None:
        try:
            self.drain()
        except Exception:  # the next tick retries; the rows are safe in the database
            log.exception("delivering the outbox failed; the next tick will retry")

    def _deliver(self, item: Item) -> None:
        renderer = self._renderers.get(item.kind)
        if renderer is None:
            self._retry(item, f"no renderer registered for {item.kind}", _MAX_DELAY)
            return
        try:
            message = renderer(item)
            if message is None:
                outbox.drop(self._db, item.id, "nothing to post any more", self._clock.now(), item.attempts)
            else:
                self._send_or_plain(item, message)
        except (SlackApiError, OSError) as exc:
            reason = why_slack_failed(exc)
            if reason.startswith(_OUTAGE):  # counts as this tick's try: the next one is a tick away
                self._outage, self._probed_at = True, self._clock.now()
            self._retry(item, reason, _retry_after(exc))
        except Exception:  # a bad row must not hold up the others; it is kept and retried
            log.exception("outbox row %s (%s %s) failed unexpectedly", item.id, item.kind, item.ref)
            self._retry(item, "unexpected error (see the log)", None)

    def _send_or_plain(self, item: Item, message: Message) -> None:
        """Send the message; when Slack refuses its blocks, send their text alone at once, because
        the same blocks would be refused on every retry and a safety post would never be seen."""
        message = replace(message, blocks=within_message_limit(message.blocks)) if message.blocks else message
        try:
            self._send(item, message)
        except SlackApiError as exc:
            if not message.blocks or error_code(exc) not in _REFUSED_CONTENT:
                raise
            log.error("Slack refused the blocks of outbox row %s (%s %s): %s; sending it as plain text",
                      item.id, item.kind, item.ref, why_slack_failed(exc))  # fmt: skip
            self._send(item, as_plain_text(message))

    def _send(self, item: Item, message: Message) -> None:
        if item.is_update:
            self._update(item, message)
        else:
            self._post(item, message)

    def _update(self, item: Item, message: Message) -> None:
        original = outbox.get(self._db, item.updates_id or 0)  # read now: it may have been sent meanwhile
        if original is None or original.status == outbox.DROPPED:
            outbox.drop(self._db, item.id, "the original post was not made", self._clock.now(), item.attempts)
            return
        if not original.channel or not original.ts:
            self._retry(item, "waiting for the original post", _WAIT_FOR_ORIGINAL)
            return
        try:
            self._client.chat_update(
                channel=original.channel, ts=original.ts, text=message.text, blocks=message.blocks
            )
        except SlackApiError as exc:
            if error_code(exc) not in _DELETED:
                raise
            if item.payload.get(outbox.ONLY_EDIT):
                outbox.drop(self._db, item.id, "the post was deleted", self._clock.now(), item.attempts)
                return
            self._post_again(item, original, message)
            return
        self._sent(item, original.channel, original.ts)

    def _post_again(self, item: Item, original: Item, message: Message) -> None:
        """The post was deleted, so the edit has nothing to change: post the current state as a new
        message, or the issue would vanish from the channel and every later update fail the same way."""
        log.warning("the post of outbox row %s (%s %s) was deleted; posting it again", original.id,
                    original.kind, original.ref)  # fmt: skip
        response = self._post_to(item, original.channel or "", message)
        channel, ts = response.get("channel"), response.get("ts")
        outbox.moved(self._db, original.id, channel, ts)
        self._sent(item, channel, ts)

    def _post(self, item: Item, message: Message) -> None:
        channel = message.channel or item.target
        if not channel:
            log.error(
                "outbox row %s (%s %s) has no channel configured; not posted", item.id, item.kind, item.ref
            )
            outbox.drop(self._db, item.id, "no channel configured", self._clock.now(), item.attempts)
            return
        earlier = self._found_earlier(item, channel, message) if item.attempts > 1 else None
        if earlier:
            self._sent(item, earlier[0], earlier[1])
            return
        if not self._still_mine(item):  # the history search or an earlier call may have been slow
            return
        try:
            response = self._post_to(item, channel, message)
        except SlackApiError as exc:
            fallback = message.fallback_channel
            if error_code(exc) not in _UNREACHABLE or not fallback or fallback == channel:
                raise
            log.error("outbox row %s (%s %s) cannot reach %s (%s); posting it to %s instead",
                      item.id, item.kind, item.ref, channel, why_slack_failed(exc), fallback)  # fmt: skip
            if not self._still_mine(item):
                return
            response = self._post_to(item, fallback, redirected(message, channel, error_code(exc)))
        self._sent(item, response.get("channel"), response.get("ts"))

    def _sent(self, item: Item, channel: str | None, ts: str | None) -> None:
        if self._outage:  # Slack answers again: what waited out the outage is due now, not in 15 min
            self._outage = False
            hastened = outbox.hasten(self._db, self._clock.now(), _OUTAGE)
            if hastened:
                log.info("Slack is reachable again: %d waiting outbox rows are due now", hastened)
        if not outbox.mark_sent(self._db, item.id, channel, ts, self._clock.now(), item.attempts):
            log.warning("outbox row %s (%s %s) was posted after its lease ran out and another worker took "
                        "it over; that worker looks for this post before posting", item.id, item.kind,
                        item.ref)  # fmt: skip

    def _post_to(self, item: Item, channel: str, message: Message) -> SlackResponse:
        return self._client.chat_postMessage(
            channel=channel, text=message.text, blocks=message.blocks, thread_ts=message.thread_ts,
            metadata={"event_type": METADATA_TYPE, "event_payload": {"outbox_id": item.id}},
        )  # fmt: skip

    def _found_earlier(self, item: Item, channel: str, message: Message) -> tuple[str, str] | None:
        """(channel, ts) of an earlier attempt that reached Slack: where it was to go (in its thread, if
        it is a reply), or where it went instead when that channel could not be reached."""
        places = [(channel, message.thread_ts)]
        if message.fallback_channel and message.fallback_channel != channel:
            places.append((message.fallback_channel, None))  # a redirected post is not threaded
        return next(
            (found for where, thread in places if (found := self._already_posted(item, where, thread))), None
        )

    def _already_posted(self, item: Item, channel: str, thread_ts: str | None) -> tuple[str, str] | None:
        """(channel, ts) of an earlier attempt that reached Slack, found by its outbox id; a reply is
        looked for in its thread, since a channel's history holds only the posts at its top level."""
        try:
            conversation = self._conversation_id(channel)
            if conversation is None:
                log.warning(
                    "cannot check whether outbox row %s was posted to %s; posting it", item.id, channel
                )
                return None
            since = f"{((item.first_attempt_at or item.created_at) - _HISTORY_SLACK).timestamp():.6f}"
            read = {"channel": conversation, "oldest": since, "limit": 200, "include_all_metadata": True}
            history = (
                self._client.conversations_replies(ts=thread_ts, **read)
                if thread_ts
                else self._client.conversations_history(**read)
            )
        except SlackApiError as exc:
            if exc.response.status_code == 429 or exc.response.status_code >= 500:
                raise
            log.warning(
                "cannot read history to check outbox row %s (%s); posting it", item.id, why_slack_failed(exc)
            )
            return None
        for message in history.get("messages") or []:
            payload = ((message.get("metadata") or {}).get("event_payload")) or {}
            if payload.get("outbox_id") == item.id:
                return conversation, str(message.get("ts"))
        return None

    def _conversation_id(self, channel: str) -> str | None:
        """The id history needs: a DM is opened; a #name is known once anything was posted there."""
        if channel.startswith(("U", "W")):
            opened = self._client.conversations_open(users=channel)
            return str((opened.get("channel") or {}).get("id") or "") or None
        return outbox.known_channel(self._db, channel) if channel.startswith("#") else channel

    def _retry(self, item: Item, reason: str, delay: timedelta | None) -> None:
        wait = delay if delay is not None else backoff(item.attempts)
        log.warning("outbox row %s (%s %s) not delivered: %s; retrying in %s", item.id, item.kind, item.ref,
                    reason, wait)  # fmt: skip
        outbox.retry_later(self._db, item.id, reason, self._clock.now() + wait, item.attempts)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... doubling up to 15 minutes; it never gives up."""
    return min(_BASE_DELAY * (2 ** max(0, min(attempts - 1, 20))), _MAX_DELAY)


def as_plain_text(message: Message) -> Message:
    """The message's words without Block Kit: every text of its blocks (already escaped), in order,
    so a mention of the on-call group still calls them. Everything else is kept: a call-out whose
    channel then turns out unreachable must still go to its fallback, and a reply stay in its thread."""
    texts = [message.text]
    for block in message.blocks:
        parts = [block.get("text"), *block.get("fields", ()), *block.get("elements", ())]
        texts += [p["text"] for p in parts if isinstance(p, dict) and p.get("type") == "mrkdwn"]
    return replace(message, text=fit("\n".join(texts), _PLAIN_LIMIT), blocks=[])


def redirected(message: Message, channel: str, reason: str) -> Message:
    """The message with a first line saying why it is here, so someone fixes the channel."""
    where = f"<#{channel}>" if channel[:1] in "CG" else channel
    note = message.fallback_note or (
        f":warning: This should have gone to {where}, but Slack said `{reason}`: invite the bot there and "
        "let it post, or fix the channel in the config."
    )
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": note}}, *message.blocks]
    return Message(f"{note}\n{message.text}", blocks)


def _retry_after(exc: SlackApiError | OSError) -> timedelta | None:
    if isinstance(exc, OSError) or exc.response.status_code != 429:
        return None
    headers = {k.lower(): v for k, v in (exc.response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return timedelta(seconds=max(1, int(str(value))))
    except ValueError:
        return None


def register(app: App, services: Services) -> None:
    """Deliver on a background tick; surfaces call `services.deliver_soon()` after a change."""
    # A call must end well within the lease (one retry of a lost connection included), or another
    # worker could take the row over while the post is still on its way, and post it again.
    client = like(app.client, timeout=CALL_TIMEOUT)
    delivery = Delivery(services.db, client, services.clock, services.renderers)
    services.deliver_soon = delivery.kick
    services.on_close.append(delivery.close)
    services.background.every(TICK_SECONDS, "outbox-delivery", delivery.drain)
