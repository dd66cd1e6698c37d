"""Whether the database answers, for the health check a load balancer polls."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.store.database import Database

log = logging.getLogger(__name__)


def reachable(db: Database) -> bool:
    try:
        with db.session() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.error("health check: database unreachable (%s)", type(exc).__name__)
        return False
    return True


class HealthProbe:
    """`reachable`, for a health check polled over HTTP: one database check runs at a time, in a thread
    of its own; a caller waits at most `wait` seconds for it, and once the check in flight has taken
    longer than that, callers are answered at once. A stalled database (a pooled connection whose
    server stopped answering waits on TCP for minutes) then costs the server no worker threads, which
    Slack's requests need to be acked within 3 seconds."""

    def __init__(self, db: Database, wait: float = 2.0, now: Callable[[], float] = time.monotonic):
        self._db, self._wait, self._now = db, wait, now
        self._lock = threading.Lock()
        self._running: threading.Thread | None = None
        self._started = 0.0
        self._answer = threading.Event()
        self._ok = False

    def reachable(self) -> bool:
        with self._lock:
            if self._running is None or not self._running.is_alive():
                self._answer, self._started = threading.Event(), self._now()
                self._running = threading.Thread(target=self._check, args=(self._answer,), daemon=True,
                                                 name="health-check")  # fmt: skip
                self._running.start()
                left = self._wait  # the caller that starts a check gives it its whole time
            else:
                left = self._started + self._wait - self._now()
            answer = self._answer
        if left <= 0 or not answer.wait(left):
            log.error("health check: the database has not answered for %.0f s", self._now() - self._started)
            return False
        return self._ok

    def _check(self, answer: threading.Event) -> None:
        self._ok = reachable(self._db)
        answer.set()
