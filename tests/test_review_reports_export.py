"""Review: exports opened in a spreadsheet stay inert, whatever text an issue holds."""

import csv
import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import OrgConfig
from bot.issues.export import Exporter, as_csv, as_hazard_log
from bot.issues.model import Issue, Severity, Status

LONDON = ZoneInfo("Europe/London")
WHEN = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


def issue(summary: str, details: str = "details") -> Issue:
    return Issue(
        id=1, summary=summary, details=details, location="Ward 3", area="Login and access",
        severity=Severity.P1, patient_safety=True, contact="bleep 1", reporter_id="U1",
        status=Status.NEW, created_at=WHEN, updated_at=WHEN,
    )  # fmt: skip


@pytest.mark.parametrize("lead", ["\t", "\r"])
def test_a_cell_starting_with_a_tab_or_carriage_return_is_not_run_as_a_formula(lead: str) -> None:
    """OWASP's CSV injection list: Excel also reads a cell opening with a tab or CR as a formula."""
    hostile = issue(f"{lead}=cmd|' /C calc'!A0", details=f"{lead}@SUM(1+1)")
    exporter = Exporter(OrgConfig().redactor(), LONDON)
    rows = list(csv.DictReader(io.StringIO(as_csv([hostile], [], exporter))))
    assert rows[0]["summary"].startswith("'") and rows[0]["details"].startswith("'")
    hazard = next(csv.DictReader(io.StringIO(as_hazard_log([hostile], exporter))))
    assert hazard["Hazard description"].startswith("'") and hazard["Cause"].startswith("'")


def test_newlines_and_quotes_inside_a_cell_keep_the_row_whole() -> None:
    """A bare CR (a message from another tool, logged with the message shortcut) was written unquoted,
    and a reader ended the row there: the rest of the issue slid into the wrong columns."""
    text = 'Line one\nline "two", with a comma\r\nline three\rline four'
    exporter = Exporter(OrgConfig().redactor(), LONDON)
    exported = as_csv([issue("Printer", details=text)], [], exporter)
    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    assert len(rows) == 1
    assert rows[0]["details"] == 'Line one\nline "two", with a comma\nline three\nline four'
    assert (rows[0]["severity"], rows[0]["location"]) == ("P1", "Ward 3")
