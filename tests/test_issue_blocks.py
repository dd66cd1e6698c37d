import json
from datetime import UTC, datetime

import pytest

from bot.config import OrgConfig
from bot.issues.model import Action, Issue, Resolution, Severity, Status
from bot.slack import issue_blocks

LOGGED = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


def p1(**changes: object) -> Issue:
    fields = dict(
        id=42, summary="Drug chart blank", details="No meds shown", location="Ward 1", area="Prescribing",
        severity=Severity.P1, patient_safety=True, contact="bleep 1234", reporter_id="U1",
        status=Status.NEW, created_at=LOGGED, updated_at=LOGGED, escalations=2,
    )  # fmt: skip
    fields.update(changes)
    return Issue(**fields)  # type: ignore[arg-type]


def escalation_text(issue: Issue) -> str:
    return issue_blocks.escalation_blocks(issue, OrgConfig(), 30)[0]["text"]["text"]


def test_an_escalation_says_how_long_since_the_issue_was_logged() -> None:
    assert "30 minutes after it was logged (escalation 2)" in escalation_text(p1())


def test_a_reopened_issue_is_escalated_from_its_reopening() -> None:
    reopened = p1(status=Status.REOPENED, reopened_at=LOGGED.replace(hour=11))
    assert "30 minutes after it was reopened" in escalation_text(reopened)


@pytest.mark.parametrize("resolution", list(Resolution))
def test_every_outcome_reads_to_the_reporter_without_blame_and_asks_if_it_is_sorted(resolution) -> None:
    """The team's categories ('training need', 'no fault found') read as 'you did it wrong' to a nurse."""
    resolved = p1(
        status=Status.RESOLVED, resolution=resolution, resolution_note="See the guide", resolved_at=LOGGED
    )
    shown = json.dumps(issue_blocks.notice_blocks(resolved, Action.RESOLVE.value, "UTEAM", "U1"))
    assert resolution.value not in shown.lower() or resolution is Resolution.FIXED
    assert "See the guide" in shown and "Is the problem sorted for you?" in shown
    assert "Yes, sorted" in shown and issue_blocks.STILL_A_PROBLEM in shown


def test_the_form_asks_severity_in_staff_words_and_keeps_the_teams_values() -> None:
    view = issue_blocks.form_view(OrgConfig())
    [severity] = [b for b in view["blocks"] if b.get("block_id") == "severity"]
    options = {o["value"]: o["text"]["text"] for o in severity["element"]["options"]}
    assert list(options) == ["P1", "P2", "P3", "P4"]
    assert options["P2"] == "P2 – I can't do my work and there is no way round it"
    assert not any("workaround" in text or "enhancement" in text for text in options.values())


def test_the_author_of_the_message_is_named_in_triage_even_without_a_link_to_it() -> None:
    shown = json.dumps(issue_blocks.triage_blocks(p1(raised_by="U0STAFF")))
    assert "From a message by <@U0STAFF>" in shown
    linked = p1(raised_by="U0STAFF", source_link="https://t.slack.com/archives/C1/p1700000000000200")
    assert "|original message> by <@U0STAFF>" in json.dumps(issue_blocks.triage_blocks(linked))
