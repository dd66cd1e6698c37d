"""Where Bolt runs listeners, so that an ack never waits for the Slack Web API.

Bolt runs every listener on its `listener_executor` and, for anything but an event, waits 3 s for it
to call ack(); past that it logs "didn't call ack()" and hands the request to the next listener that
matches, here the catch-all in `fallback.py`. Bolt's default executor is five threads, so five slow
Web API calls (a home tab published while Slack answers 429 with Retry-After, a slow response_url)
left commands, buttons, forms and shortcuts unacked, then answered twice: by the fallback, calling
them out of date, and later by their own listener.

So, per Bolt app:
- events, which Bolt acks before their listener is queued, run on five threads of their own, as on
  Bolt's own pool: in a burst of mentions later events queue there rather than compete with the acks
  (see `answer_once`);
- everything else, which acks from its listener, runs on a larger pool of its own, never queued
  behind events;
- what a listener sends Slack after its ack (`after_ack`: replies to a response_url, direct
  messages, view updates) leaves the listener's thread for threads of its own, in order per request,
  so a slow or rate-limited Web API delays replies, never acks;
- the fallback listeners take only what no listener of the app was given (`unclaimed`), never a
  request whose own listener is merely late.

`ScopeRequests` (a global middleware) marks each request at its start, on the thread dispatching
it; `ListenerThreads.submit`, called by Bolt on that same thread, reads the mark. A request's age is
counted from when the HTTP front door took it (`RECEIVED` in its context), not from the middleware:
on a busy machine Bolt's own middleware takes a good part of the 3 s a trigger lasts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError

from bot.slack.clients import why_slack_failed

log = logging.getLogger(__name__)
_T = TypeVar("_T")
EVENT_THREADS = 5  # as Bolt's own pool: see `answer_once` for why events should not have more
ACK_THREADS = 32  # started only as needed; a few stuck listeners cannot leave a request unacked
REPLY_THREADS = 8  # what listeners send after their acks; a slow response_url holds one each
_dispatching = threading.local()  # on the thread in app.dispatch: the request being dispatched
_running = threading.local()  # on a listener's thread: the request it is for
_QUEUES = threading.Lock()  # for every request's queue of replies: held for a moment, and seldom
RECEIVED = "golive_received"  # in a request's context: time.monotonic() when the front door took it


class RequestScope:
    """One request from Slack: when it reached the app, whether a listener was given it, and the
    Slack calls its listeners left for after the ack, sent one after another."""

    __slots__ = ("_queue", "_replies", "_sending", "claimed", "is_event", "received")

    def __init__(self, is_event: bool, replies: Executor | None = None, received: float | None = None):
        self.received = time.monotonic() if received is None else received
        self.is_event = is_event
        self.claimed = False
        self._replies = replies
        self._queue: deque[Callable[[], None]] | None = None  # made by the first `later`: most never need it
        self._sending = False

    def age(self) -> float:
        return time.monotonic() - self.received

    def later(self, work: Callable[[], None]) -> None:
        """Queue `work` after this request's earlier Slack calls (a note, then the answer, in order)."""
        if self._replies is None:
            _guarded(work)
            return
        with _QUEUES:
            if self._queue is None:
                self._queue = deque()
            self._queue.append(work)
            if self._sending:
                return
            self._sending = True
        try:
            self._replies.submit(self._send)
        except RuntimeError:  # shutting down: send from here rather than drop it
            self._send()

    def _send(self) -> None:
        while True:
            with _QUEUES:
                if not self._queue:
                    self._sending = False
                    return
                work = self._queue.popleft()
            _guarded(work)


def _guarded(work: Callable[[], None]) -> None:
    """Run work sent after an ack: its failure is logged, as nothing waits for it."""
    try:
        work()
    except (SlackApiError, OSError) as exc:
        log.warning("a reply to Slack was not sent (%s)", why_slack_failed(exc))
    except Exception:
        log.exception("a reply to Slack failed")


class ListenerThreads(Executor):
    """Bolt's listener executor (see the module docstring): events on one pool, requests that ack
    from their listener on another, and each request's Slack calls after its ack on a third."""

    def __init__(self) -> None:
        self._events = ThreadPoolExecutor(EVENT_THREADS, thread_name_prefix="bolt-event")
        self._acks = ThreadPoolExecutor(ACK_THREADS, thread_name_prefix="bolt-ack")
        self.replies = ThreadPoolExecutor(REPLY_THREADS, thread_name_prefix="after-ack")

    def scope(self, req: BoltRequest) -> None:
        """Mark the request being dispatched on this thread (called by `ScopeRequests`)."""
        received = req.context.get(RECEIVED)
        received = received if isinstance(received, float) else None  # Socket Mode: from here
        _dispatching.scope = RequestScope(req.body.get("type") == "event_callback", self.replies, received)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        scope = getattr(_dispatching, "scope", None)
        if scope is None:  # not from a dispatch: a request of its own
            scope = RequestScope(False, self.replies)
        scope.claimed = True
        pool = self._events if scope.is_event else self._acks
        return pool.submit(_run_for, scope, fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Listeners first, then the replies they queued: nothing queued is dropped."""
        self._events.shutdown(wait=wait, cancel_futures=cancel_futures)
        self._acks.shutdown(wait=wait, cancel_futures=cancel_futures)
        self.replies.shutdown(wait=wait, cancel_futures=cancel_futures)


def _run_for(scope: RequestScope, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    _running.scope = scope
    try:
        return fn(*args, **kwargs)
    finally:
        _running.scope = None


class ScopeRequests(Middleware):
    """The global middleware that marks each request for `ListenerThreads` (a class, not a function,
    so Bolt calls it without working out its arguments on every request)."""

    def __init__(self, threads: ListenerThreads):
        self._threads = threads

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        self._threads.scope(req)
        return next()


def unclaimed() -> bool:
    """For the fallback listeners' matchers: no listener was given the request being dispatched. Bolt
    tries the fallback after a listener that did not ack within 3 s too; that request is the late
    listener's to answer, not the fallback's."""
    scope = getattr(_dispatching, "scope", None)
    return scope is None or not scope.claimed


def after_ack(work: Callable[[], None]) -> None:
    """Run Slack work that the ack need not wait for. On a listener's thread it is queued behind the
    request's earlier Slack calls on the reply threads, and a failure is logged; anywhere else (an
    event's reply thread, a form's late work, the console) it runs now."""
    scope: RequestScope | None = getattr(_running, "scope", None)
    if scope is None:
        work()
    else:
        scope.later(work)


def in_scope(work: Callable[..., _T]) -> Callable[..., _T]:
    """`work`, to run on another thread as if on this listener's (a form's answer worked out beside the
    listener, see `deadline.py`): what it leaves for `after_ack` still waits for no ack."""
    scope: RequestScope | None = getattr(_running, "scope", None)
    if scope is None:
        return work
    return partial(_run_for, scope, work)


def request_age() -> float:
    """Seconds since the request a listener is running for reached the app; 0 off a listener's thread."""
    scope: RequestScope | None = getattr(_running, "scope", None)
    return scope.age() if scope is not None else 0.0
