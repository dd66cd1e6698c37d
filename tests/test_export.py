import csv
import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.clock import ManualClock
from bot.config import Group, OrgConfig
from bot.issues.export import CSV_COLUMNS, HAZARD_COLUMNS, Exporter, as_csv, as_hazard_log, as_json
from bot.issues.model import Draft, Issue
from bot.issues.service import IssueService
from bot.roles import ConfiguredMembership
from bot.store import issues as store
from bot.store.database import Database

LONDON = ZoneInfo("Europe/London")
ORG = OrgConfig(
    timezone=LONDON,
    system_areas=("Login and access", "Prescribing and medicines"),
    maintenance_team=Group(frozenset({"UTEAM"})),
    clinical_safety_group=Group(frozenset({"UCSO"})),
)
TEAM = ConfiguredMembership()
NHS_NUMBERS = ("999 000 0018", "9999999999")


def draft(summary: str, severity: str = "P3", safety: bool = False, area: str = "Login and access") -> Draft:
    return Draft(summary, f"What happened: {summary}", "Ward 3", area, severity, "bleep 4321", safety)


@pytest.fixture
def logged(db: Database) -> list[Issue]:
    """Four issues through the real service: routine, P1 resolved by the CSO, flagged P2, an enhancement."""
    clock = ManualClock(datetime(2027, 1, 18, 8, 0, tzinfo=UTC))
    service = IssueService(db, ORG, ORG.redactor(), clock)
    refs = []
    for d in (
        draft("Cannot log in on ward PCs"),
        draft("Wrong dose unit offered for insulin", "P1", area="Prescribing and medicines"),
        draft("Allergy banner missing on some patients", "P2", safety=True),
        draft('=HYPERLINK("http://x") would be nice', "P4"),
    ):
        refs.append(service.report(d, "UREP").issue.reference)
        clock.advance(minutes=10)
    service.acknowledge(refs[1], "UTEAM", TEAM)
    clock.advance(minutes=30)
    service.resolve(refs[1], "UCSO", TEAM, "fixed", "Unit corrected in the formulary")
    return sorted(store.listing(db, store.Filters(open_only=False)), key=lambda i: i.id)


def exported(db: Database, issues: list[Issue]) -> tuple[str, str, str]:
    history = store.events(db)
    exporter = Exporter(ORG.redactor(), LONDON)
    return (
        as_csv(issues, history, exporter),
        as_json(issues, history, exporter),
        as_hazard_log(issues, exporter, history),
    )


def test_csv_and_json_hold_every_issue_with_its_history(db: Database, logged: list[Issue]) -> None:
    as_text, as_js, _ = exported(db, logged)
    rows = list(csv.DictReader(io.StringIO(as_text)))
    assert [r["reference"] for r in rows] == ["GL-0001", "GL-0002", "GL-0003", "GL-0004"]
    assert tuple(rows[0]) == CSV_COLUMNS
    p1 = rows[1]
    assert (p1["severity"], p1["status"], p1["resolution"]) == ("P1", "resolved", "fixed")
    assert p1["created_at"] == "2027-01-18T08:10+00:00"
    assert p1["acknowledged_by"] == "UTEAM"
    assert p1["history"].split("; ") == [
        "2027-01-18T08:10+00:00 UREP reported: new",
        "2027-01-18T08:40+00:00 UTEAM acknowledge: new -> acknowledged",
        "2027-01-18T09:10+00:00 UCSO resolve: acknowledged -> resolved"
        " (fixed: Unit corrected in the formulary)",
    ]
    records = json.loads(as_js)["issues"]
    assert len(records) == 4
    assert [h["action"] for h in records[1]["history"]] == ["reported", "acknowledge", "resolve"]


def test_a_cell_that_looks_like_a_formula_stays_text_in_a_spreadsheet(
    db: Database, logged: list[Issue]
) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(db, logged)[0])))
    assert rows[3]["summary"].startswith("'=HYPERLINK")


def test_hazard_log_holds_only_patient_safety_issues(db: Database, logged: list[Issue]) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(db, logged)[2])))
    assert tuple(rows[0]) == HAZARD_COLUMNS
    assert [r["Reference"] for r in rows] == ["GL-0002", "GL-0003"]
    resolved, open_flagged = rows
    assert resolved["Status"] == "Closed"
    assert resolved["Resolution"] == "fixed: Unit corrected in the formulary"
    assert resolved["Date resolved"] == "2027-01-18T09:10+00:00"
    assert resolved["Effect"] == "P1 patient safety risk"
    assert open_flagged["Status"] == "Open (new)"
    assert open_flagged["Effect"] == "P2 work blocked, no workaround; reporter flagged a patient-safety risk"
    assert open_flagged["Cause"] == "What happened: Allergy banner missing on some patients"


def test_a_reopened_hazard_keeps_the_control_that_was_tried_and_undone(
    db: Database, logged: list[Issue]
) -> None:
    """Reopening clears the issue's resolution; a hazard log must still show what was tried, and when."""
    clock = ManualClock(datetime(2027, 1, 18, 10, 0, tzinfo=UTC))
    IssueService(db, ORG, ORG.redactor(), clock).reopen("GL-0002", "UREP", TEAM, "wrong unit again")
    reopened = sorted(store.listing(db, store.Filters(open_only=False)), key=lambda i: i.id)
    row = next(csv.DictReader(io.StringIO(exported(db, reopened)[2])))
    assert row["Status"] == "Open (reopened)"
    assert (
        row["Resolution"] == "reopened after fixed: Unit corrected in the formulary (2027-01-18T09:10+00:00)"
    )


def test_exports_never_carry_an_nhs_number_even_if_one_was_stored(db: Database, logged: list[Issue]) -> None:
    with db.session() as session:  # bypass the service's guard, as an old version or a manual edit might
        session.execute(
            text("UPDATE issues SET summary = :s, details = :d, resolution_note = :n WHERE id = 2"),
            {
                "s": f"Wrong patient {NHS_NUMBERS[0]}",
                "d": f"see {NHS_NUMBERS[1]}",
                "n": f"{NHS_NUMBERS[0]} ok",
            },
        )
        session.execute(text("UPDATE issue_events SET detail = :d WHERE issue_id = 2"), {"d": NHS_NUMBERS[1]})
    issues = sorted(store.listing(db, store.Filters(open_only=False)), key=lambda i: i.id)
    for output in exported(db, issues):
        assert "[NHS number removed]" in output
        for number in NHS_NUMBERS:
            assert number not in output
            assert number.replace(" ", "") not in output


def test_times_are_shown_on_the_local_clock_in_summer() -> None:
    exporter = Exporter(ORG.redactor(), LONDON)
    assert exporter.when(datetime(2027, 7, 1, 23, 30, tzinfo=UTC)) == "2027-07-02T00:30+01:00"


def test_a_reopened_hazard_still_names_its_owner(db: Database, logged: list[Issue]) -> None:
    """Reopening clears the acknowledgement so someone takes the issue on afresh; the hazard log must
    still name who owned the hazard, and then whoever takes it on."""
    clock = ManualClock(datetime(2027, 1, 18, 10, 0, tzinfo=UTC))
    service = IssueService(db, ORG, ORG.redactor(), clock)

    def owner() -> str:
        issues = sorted(store.listing(db, store.Filters(open_only=False)), key=lambda i: i.id)
        return next(csv.DictReader(io.StringIO(exported(db, issues)[2])))["Owner"]

    assert owner() == "UTEAM"
    service.reopen("GL-0002", "UREP", TEAM, "wrong unit again")
    assert owner() == "UTEAM (before reopening)"
    clock.advance(minutes=10)
    service.resolve("GL-0002", "UCSO", TEAM, "fixed", "Unit corrected again")  # resolving takes it on
    assert owner() == "UCSO"
    clock.advance(minutes=10)
    service.reopen("GL-0002", "UREP", TEAM, "still wrong")
    assert owner() == "UCSO (before reopening)"
    clock.advance(minutes=10)
    service.acknowledge("GL-0002", "UTEAM", TEAM)
    assert owner() == "UTEAM"


def test_a_hazard_nobody_has_taken_on_has_no_owner(db: Database, logged: list[Issue]) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(db, logged)[2])))
    assert rows[1]["Reference"] == "GL-0003" and rows[1]["Owner"] == ""


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_no_hazard_log_cell_can_start_a_formula(db: Database, logged: list[Issue], start: str) -> None:
    with db.session() as session:  # bypass the service's guard, as an old version or a manual edit might
        session.execute(text("UPDATE issues SET summary = :s WHERE id = 2"), {"s": f'{start}HYPERLINK("x")'})
    issues = sorted(store.listing(db, store.Filters(open_only=False)), key=lambda i: i.id)
    rows = list(csv.DictReader(io.StringIO(exported(db, issues)[2])))
    assert rows[0]["Hazard description"].startswith("'")


def test_exports_carry_no_terminal_escape_yet_json_reads_back_the_same(
    db: Database, logged: list[Issue]
) -> None:
    """An export without --output is printed to the terminal: what users typed must not steer it."""
    hostile = "Wrong dose\x1b[2J\x9b31m\x08 unit\r\nsee\rnote"
    with db.session() as session:
        session.execute(text("UPDATE issues SET summary = :s, details = :s WHERE id = 2"), {"s": hostile})
    issues = sorted(store.listing(db, store.Filters(open_only=False)), key=lambda i: i.id)
    as_text, as_js, hazards = exported(db, issues)
    for output in (as_text, as_js, hazards):
        assert not {c for c in output if (c < " " and c != "\n") or "\x7f" <= c <= "\x9f"}
    assert json.loads(as_js)["issues"][1]["summary"] == hostile
    assert next(csv.DictReader(io.StringIO(hazards)))["Hazard description"] == (
        "Wrong dose [2J 31m  unit\nsee\nnote"
    )
