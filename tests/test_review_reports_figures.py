"""Review: the board's figures from issues logged through the real service, read by `golive-bot report`."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_helpers import run_cli
from sqlalchemy import text

from bot.clock import ManualClock
from bot.config import Group, OrgConfig
from bot.issues.model import Draft
from bot.issues.service import IssueService
from bot.roles import ConfiguredMembership
from bot.store.database import Database

ORG = OrgConfig(
    system_areas=("Login and access", "Prescribing and medicines"),
    maintenance_team=Group(frozenset({"UTEAM"})),
    clinical_safety_group=Group(frozenset({"UCSO"})),
)
TEAM = ConfiguredMembership()
MONDAY = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


@pytest.fixture
def golive(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Runs `golive-bot ARGS` against the test database; returns (exit code, stdout, stderr)."""
    config = tmp_path / "golive.yaml"
    config.write_text("organisation: Test NHS Trust\ntimezone: Europe/London\n")
    monkeypatch.setenv("DATABASE_URL", database_url)
    return lambda *args: run_cli(capsys, ["--config", str(config), *args])


def figures(golive, first: str, last: str) -> dict:
    code, out, err = golive("report", "--from", first, "--to", last, "--json")
    assert code == 0, err
    return json.loads(out)


def service_at(db: Database, when: datetime) -> tuple[IssueService, ManualClock]:
    clock = ManualClock(when)
    return IssueService(db, ORG, ORG.redactor(), clock), clock


def log(service: IssueService, summary: str, severity: str = "P1") -> str:
    draft = Draft(summary, "details", "Ward 3", "Login and access", severity, "bleep 1")
    return service.report(draft, "UREP").issue.reference


def test_a_reopened_issue_keeps_its_first_time_to_acknowledge(golive, db: Database) -> None:
    """Reopening clears the acknowledgement so the P1 is escalated again; the board's 'time to
    acknowledge' is still how long the issue waited when it was raised, not days until the re-acknowledge."""
    service, clock = service_at(db, MONDAY)
    ref = log(service, "Wrong dose unit offered")
    clock.advance(minutes=5)
    service.acknowledge(ref, "UTEAM", TEAM)
    clock.advance(minutes=55)
    service.resolve(ref, "UCSO", TEAM, "fixed", "unit corrected")
    clock.set(MONDAY + timedelta(days=3))
    service.reopen(ref, "UREP", TEAM, "back again")
    clock.advance(minutes=10)
    service.acknowledge(ref, "UTEAM", TEAM)
    clock.advance(minutes=50)
    service.resolve(ref, "UCSO", TEAM, "fixed", "unit corrected again")

    week = figures(golive, "2027-01-18", "2027-01-24")
    for key in ("to_acknowledge", "p1_to_acknowledge"):
        assert week[key] == {"median_minutes": 5.0, "p90_minutes": 5.0, "measured": 1, "waiting": 0}
    # Resolved for good three days and an hour after it was raised.
    assert week["to_resolve"]["median_minutes"] == 3 * 24 * 60 + 60.0


def test_a_reopened_issue_awaiting_its_second_acknowledge_was_still_acknowledged_once(
    golive, db: Database
) -> None:
    service, clock = service_at(db, MONDAY)
    ref = log(service, "Results not filing", "P2")
    clock.advance(minutes=20)
    service.resolve(ref, "UTEAM", TEAM, "fixed", "done")  # a resolve acknowledges too
    clock.advance(hours=2)
    service.reopen(ref, "UREP", TEAM, "still broken")

    week = figures(golive, "2027-01-18", "2027-01-24")
    acknowledged = {"median_minutes": 20.0, "p90_minutes": 20.0, "measured": 1, "waiting": 0}
    assert week["to_acknowledge"] == acknowledged
    assert week["to_resolve"] == {"median_minutes": None, "p90_minutes": None, "measured": 0, "waiting": 1}
    assert week["by_status"]["reopened"] == 1


def test_a_location_typed_in_another_case_is_counted_with_its_ward(golive, db: Database) -> None:
    """'Other location' is free text: 'ward 3' and 'WARD  3' are Ward 3 on the board's breakdown."""
    service, clock = service_at(db, MONDAY)
    for where in ("Ward 3", "ward 3", "WARD  3", "Ward 3", "Pharmacy"):
        draft = Draft("Printer jams", "details", where, "Login and access", "P3", "bleep 1")
        assert service.report(draft, "UREP").issue.location == where
        clock.advance(minutes=1)

    week = figures(golive, "2027-01-18", "2027-01-24")
    assert week["by_location"] == {"Ward 3": 4, "Pharmacy": 1}


def test_the_report_never_prints_an_nhs_number_even_if_one_was_stored(golive, db: Database) -> None:
    """Exports clean text again on the way out; the board's report leaves the bot as surely."""
    service, _ = service_at(db, MONDAY)
    log(service, "Label printer", "P3")
    with db.session() as session:  # as an older version or a manual edit might have stored it
        session.execute(
            text("UPDATE issues SET location = :loc, area = :area"),
            {"loc": "Bed 4 pt 943 476 5919", "area": "Login 9434765919"},
        )
    for args in ([], ["--json"]):
        code, out, _ = golive("report", "--from", "2027-01-18", "--to", "2027-01-24", *args)
        assert code == 0
        assert "5919" not in out
        assert "[NHS number removed]" in out


def test_the_25_hour_day_in_october_keeps_both_of_its_midnight_hours(golive, db: Database) -> None:
    """Clocks go back at 01:00 UTC on 31 October 2027: that local day runs 23:00 UTC to 00:00 UTC."""
    service, clock = service_at(db, datetime(2027, 10, 30, 22, 59, tzinfo=UTC))  # 23:59 BST on the 30th
    for when in (
        datetime(2027, 10, 30, 22, 59, tzinfo=UTC),
        datetime(2027, 10, 30, 23, 0, tzinfo=UTC),  # 00:00 BST on the 31st
        datetime(2027, 10, 31, 1, 30, tzinfo=UTC),  # 01:30 GMT, the second 01:30 of the night
        datetime(2027, 10, 31, 23, 59, tzinfo=UTC),  # 23:59 GMT on the 31st
        datetime(2027, 11, 1, 0, 0, tzinfo=UTC),  # midnight GMT: the 1st
    ):
        clock.set(when)
        log(service, "Printer", "P4")
    days = figures(golive, "2027-10-30", "2027-11-01")["per_day"]
    opened = [(d["day"], d["opened"]) for d in days]
    assert opened == [("2027-10-30", 1), ("2027-10-31", 3), ("2027-11-01", 1)]
    assert figures(golive, "2027-10-31", "2027-10-31")["opened"] == 3
