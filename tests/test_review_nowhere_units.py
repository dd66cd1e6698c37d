"""Review: two places a valid NHS number got past the privacy guard, pinned one by one."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

from slack_harness import org_config

from bot.clock import ManualClock
from bot.issues.model import Action, Draft
from bot.issues.service import IssueService
from bot.privacy import NHS_NUMBER_MARKER, RedactingLogFilter, Redactor
from bot.roles import ConfiguredMembership
from bot.store.database import Database


def _logged(message: str, *args: object) -> str:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactingLogFilter(Redactor()))
    logger = logging.getLogger("test.review.nowhere")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
    return out.getvalue()


def test_a_number_json_escaped_in_a_debug_line_is_removed() -> None:
    # Bolt logs the body it answers Slack with as JSON: a no-break space, a line break or a full-width
    # digit typed between the digits comes out as an escape the guard did not read as a separator.
    for body in ('{"text": "999\\u00a0000\\u00a00018"}', '{"text": "999\\n000\\n0018"}',
                 '{"v": "{\\"t\\": \\"999\\\\u00a0000\\\\u00a00018\\"}"}',
                 '{"t": "' + "".join(f"\\uff1{d}" for d in "9990000018") + '"}'):  # fmt: skip
        line = _logged("Responding with body: %s", body)
        assert NHS_NUMBER_MARKER in line and "0018" not in line and "\\uff18" not in line, line


def test_escapes_without_a_number_are_logged_as_they_were() -> None:
    body = '{"text": "caf\\u00e9 on ward 3\\nbleep 1234"}'
    assert _logged("%s", body).strip() == body


def test_a_forged_reference_is_not_echoed_back_with_a_number(db: Database) -> None:
    clock = ManualClock(datetime(2027, 1, 18, 9, 0, tzinfo=UTC))
    service = IssueService(db, org_config(), Redactor(), clock)
    roles = ConfiguredMembership()
    forged = "patient 999 000 0018"
    refusals = [
        service.reopen(forged, "U0NURSE", roles).reason,  # type: ignore[union-attr]
        service.plus_one(forged, "U0NURSE", Draft("", "", "Ward 3", "", "P3", "bleep 1")).reason,  # type: ignore[union-attr]
        service.refusal(forged, Action.RESOLVE, "U0TEAM", roles) or "",
    ]
    for reason in refusals:
        assert "0018" not in reason and NHS_NUMBER_MARKER in reason
