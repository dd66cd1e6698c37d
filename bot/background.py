"""The process's periodic work (delivery retries, escalations, scheduled posts) on one APScheduler.

Each job is a plain `tick()` callable from the domain or the Slack layer; tests call the same
callables directly with a ManualClock instead of waiting for this scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


class Background:
    def __init__(self) -> None:
        self._scheduler = BackgroundScheduler(timezone=UTC)

    def every(self, seconds: float, name: str, tick: Callable[[], object]) -> None:
        """Run `tick` every `seconds`; a slow run is never overlapped and missed runs collapse."""

        def guarded() -> None:
            try:
                tick()
            except Exception:  # one failing tick must not stop the next one
                log.exception("background job %s failed; it will run again in %ss", name, seconds)

        self._scheduler.add_job(
            guarded, "interval", seconds=seconds, id=name, coalesce=True, max_instances=1,
            replace_existing=True, misfire_grace_time=None,
        )  # fmt: skip

    def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
