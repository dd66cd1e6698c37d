"""The process's periodic work (delivery retries, escalations, scheduled posts) on one APScheduler.

Each job is a plain `tick()` callable from the domain or the Slack layer; tests call the same
callables directly with a ManualClock instead of waiting for this scheduler. A job that knows when
its next piece of work falls due can also ask to be woken then (`wake`), so that work is on time
while the interval stays as the safety net.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)


def _failed(name: str, seconds: float, exc: Exception, before: str) -> str:
    """Log a failed run: with its traceback, unless the run before failed alike (the database down for
    an hour would otherwise write a hundred-line traceback per job every few seconds, burying the rest).
    Returns what it failed with."""
    lines = str(exc).strip().splitlines()
    failure = f"{type(exc).__name__}: {lines[0] if lines else ''}"
    if failure == before:
        log.error("background job %s failed again (%s); it will run again in %ss", name, failure, seconds)
    else:
        log.error("background job %s failed; it will run again in %ss", name, seconds, exc_info=exc)
    return failure


class Background:
    def __init__(self) -> None:
        self._scheduler = BackgroundScheduler(timezone=UTC)
        self._jobs: dict[str, Callable[[], None]] = {}

    def every(self, seconds: float, name: str, tick: Callable[[], object]) -> None:
        """Run `tick` once the scheduler starts, then every `seconds`; a slow run is never overlapped and
        missed runs collapse. Running at start picks up at once what fell due while the bot was down."""
        lock = threading.Lock()  # the interval run and a wake-up never run the same tick at once
        failing = ""  # what the last run failed with, while the job keeps failing

        def guarded() -> None:
            nonlocal failing
            with lock:
                try:
                    tick()
                except Exception as exc:  # one failing tick must not stop the next one
                    failing = _failed(name, seconds, exc, failing)
                else:
                    if failing:
                        log.info("background job %s works again", name)
                    failing = ""

        self._jobs[name] = guarded
        self._scheduler.add_job(
            guarded, "interval", seconds=seconds, id=name, coalesce=True, max_instances=1,
            replace_existing=True, misfire_grace_time=None, next_run_time=datetime.now(UTC),
        )  # fmt: skip

    def wake(self, name: str, when: datetime) -> None:
        """Run the job `name` once more at `when`, between its interval runs.

        One wake-up per job: a new time replaces the one waited for, so a job that asks again after
        each run always waits for its next due time. A time already past runs at once.
        """
        wake_id = f"{name}:wake"
        pending = self._scheduler.get_job(wake_id)
        if pending is not None and pending.trigger.run_date == when:
            return
        self._scheduler.add_job(self._jobs[name], "date", run_date=when, id=wake_id,
                                replace_existing=True, misfire_grace_time=None)  # fmt: skip

    def next_wake(self, name: str) -> datetime | None:
        """When the job `name` is due to be woken between its interval runs, if at all."""
        pending = self._scheduler.get_job(f"{name}:wake")
        return pending.trigger.run_date if pending is not None else None

    def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
