"""Acks first: work that follows an ack waits, briefly, while other requests are arriving.

Slack re-sends an event that is not acked within 3 seconds, so under a burst the thing that matters
most is the ack, and it is cheap. Replies are slower work (matching, database, the Web API) sharing
the interpreter with the acks; holding them until the burst has passed keeps acks fast. The wait is
bounded, so under steady load replies are delayed by at most `max_wait`, never starved.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class AckFirst:
    def __init__(self, quiet: float = 0.02, max_wait: float = 1.0):
        self._quiet_for = quiet
        self._max_wait = max_wait
        self._waiting = 0
        self._last = 0.0
        self._lock = threading.Lock()

    @contextmanager
    def request(self) -> Iterator[None]:
        """Around the handling of one HTTP request, until its response (the ack) is ready."""
        with self._lock:
            self._waiting += 1
        try:
            yield
        finally:
            with self._lock:
                self._waiting -= 1
                self._last = time.monotonic()

    def wait_for_quiet(self) -> None:
        """For work after an ack: returns once no request has been seen for a moment, or after max_wait.

        It polls rather than being woken, so a burst of requests never has to wake the waiting work.
        """
        deadline = time.monotonic() + self._max_wait
        while (now := time.monotonic()) < deadline and (self._waiting or now - self._last < self._quiet_for):
            time.sleep(self._quiet_for)


# One per process: the acks and the work share one interpreter, whichever server took the request.
ACKS = AckFirst()
