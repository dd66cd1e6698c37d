"""Replies give way to acks during a burst, but are never held back for long."""

from __future__ import annotations

import time

from bot.slack.pacing import AckFirst


def timed(gate: AckFirst) -> float:
    started = time.monotonic()
    gate.wait_for_quiet()
    return time.monotonic() - started


def test_work_goes_ahead_at_once_when_no_request_is_waiting():
    assert timed(AckFirst(quiet=0.01, max_wait=5)) < 1


def test_work_waits_while_a_request_awaits_its_ack_but_no_longer_than_max_wait():
    gate = AckFirst(quiet=0.01, max_wait=0.3)
    with gate.request():
        assert 0.3 <= timed(gate) < 2


def test_work_waits_for_a_quiet_moment_after_the_last_ack():
    gate = AckFirst(quiet=0.2, max_wait=5)
    with gate.request():
        pass
    assert 0.1 <= timed(gate) < 2
