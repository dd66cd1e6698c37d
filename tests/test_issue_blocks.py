from datetime import UTC, datetime

from bot.config import OrgConfig
from bot.issues.model import Issue, Severity, Status
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
