"""Answering a form within the three seconds Slack waits, when the work behind the answer may take
longer (a busy database).

Past three seconds Slack shows the person its own error and Bolt hands the form to the next listener,
while the work goes on and may well succeed. So the work runs beside the listener: its own answer is
given when it is ready in time, otherwise an answer saying it is still in hand, and the work finishes
whatever it stores or posts all the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late
from functools import partial
from typing import Any

from slack_bolt import Ack

from bot.slack.listeners import in_scope, request_age

log = logging.getLogger(__name__)
ACK_WITHIN = 2.5  # seconds since the request reached the bot: Slack gives up at 3 after sending it
_WORKERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="form-work")


def ack_in_time(
    ack: Ack,
    work: Callable[[], dict[str, Any]],
    late: dict[str, Any],
    after_late: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Ack with what `work` answers (response_action and its fields), or with `late` if it is slower
    than Slack waits; then `after_late` gets the answer the form could no longer show, so a failure
    that came late (a database outage is often slow to fail) still reaches the person. `work` must
    not wait for the Web API: what it sends Slack goes through `after_ack`, as `tell` does."""
    future = _WORKERS.submit(in_scope(work))
    try:
        answer = future.result(timeout=max(0.0, ACK_WITHIN - request_age()))
    except Late:
        log.warning("a form took over %.1f s to answer; told the person it is still in hand", ACK_WITHIN)
        # in the request's scope: what the late answer sends Slack goes after the ack too, in order
        future.add_done_callback(partial(_finish_late, in_scope(after_late) if after_late else None))
        answer = late
    ack(**answer)


def _finish_late(after_late: Callable[[dict[str, Any]], None] | None, future: Future[dict[str, Any]]) -> None:
    if (error := future.exception()) is not None:
        log.error("a form's late work failed", exc_info=error)
    elif after_late is not None:
        after_late(future.result())
