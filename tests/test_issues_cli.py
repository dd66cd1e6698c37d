"""`golive-bot issues list` and `issues show`: triage the issue log from a terminal, without Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_helpers import run_cli
from sqlalchemy import text

from bot.cli import issues as issues_command
from bot.cli.main import build_parser
from bot.clock import ManualClock
from bot.config import Group, OrgConfig, Settings
from bot.issues.model import Draft
from bot.issues.service import IssueService
from bot.roles import ConfiguredMembership
from bot.store.database import Database

ORG = OrgConfig(
    maintenance_team=Group(frozenset({"UTEAM"})), clinical_safety_group=Group(frozenset({"UCSO"}))
)
TEAM = ConfiguredMembership()
LOGGED = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)


@pytest.fixture
def golive(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Runs `golive-bot ARGS` on the test database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    return lambda *args: run_cli(capsys, list(args))


@pytest.fixture
def logged(db: Database) -> list[str]:
    """A routine P3, a P1 acknowledged then resolved by the safety officer, and a flagged P2."""
    clock = ManualClock(LOGGED)
    service = IssueService(db, ORG, ORG.redactor(), clock)

    def log(summary: str, severity: str, safety: bool = False) -> str:
        details = f"{summary}, patient 999 000 0018"
        draft = Draft(summary, details, "Ward 3", "Login", severity, "bleep 4321", safety)
        clock.advance(minutes=5)
        return service.report(draft, "UREP").issue.reference

    refs = [log("Cannot log in on ward PCs", "P3"), log("Wrong dose unit for insulin", "P1"),
            log("Allergy banner <!channel> missing", "P2", safety=True)]  # fmt: skip
    clock.advance(minutes=3)
    service.acknowledge(refs[1], "UTEAM", TEAM)
    clock.advance(minutes=30)
    service.resolve(refs[1], "UCSO", TEAM, "fixed", "Unit corrected in the formulary")
    return refs


def test_list_shows_open_issues_most_severe_first(golive, logged) -> None:
    code, out, _ = golive("issues", "list")
    lines = out.splitlines()
    assert code == 0
    assert [line.split()[0] for line in lines[:-1]] == [logged[2], logged[0]]  # the P1 is resolved
    assert "P2!" in lines[0] and "Allergy banner <!channel> missing" in lines[0]
    assert lines[-1] == "2 open issues."


def test_list_all_and_by_severity(golive, logged) -> None:
    _, everything, _ = golive("issues", "list", "--all")
    assert [line.split()[0] for line in everything.splitlines()[:-1]] == [logged[1], logged[2], logged[0]]
    _, p1s, _ = golive("issues", "list", "--all", "--severity", "p1")
    assert p1s.splitlines()[0].split()[:3] == [logged[1], "P1", "resolved"]
    _, none_open, _ = golive("issues", "list", "--severity", "P1")
    assert none_open.strip() == "No open issues."


def test_list_json_is_shaped_as_the_export_and_carries_no_nhs_number(golive, logged) -> None:
    code, out, _ = golive("issues", "list", "--json")
    records = json.loads(out)["issues"]
    assert code == 0 and [r["reference"] for r in records] == [logged[2], logged[0]]
    assert records[0]["history"][0]["action"] == "reported"
    assert "999 000 0018" not in out and "[NHS number removed]" in records[0]["details"]


def test_show_prints_the_issue_and_its_audit_trail(golive, logged) -> None:
    code, out, _ = golive("issues", "show", logged[1].lower())
    assert code == 0
    assert out.startswith(f"{logged[1]}  P1 patient safety risk\nWrong dose unit for insulin\n")
    assert "Status:        resolved (fixed: Unit corrected in the formulary)" in out
    assert "Acknowledged:  Mon 18 Jan 2027 09:18 GMT by UTEAM" in out
    trail = out.split("Audit trail:\n")[1].splitlines()
    assert [line.split()[7] for line in trail] == ["reported:", "acknowledge:", "resolve:"]
    assert "UCSO resolve: acknowledged -> resolved (fixed: Unit corrected in the formulary)" in trail[2]


def test_show_json_gives_one_record(golive, logged) -> None:
    code, out, _ = golive("issues", "show", logged[0], "--json")
    assert code == 0 and json.loads(out)["reference"] == logged[0]
    assert json.loads(out)["created_at"] == "2027-01-18T09:05+00:00"  # ISO for tools


@pytest.mark.parametrize("reference", ["GL-9999", "ward 3"])
def test_show_an_unknown_reference_says_how_to_find_one(golive, logged, reference: str) -> None:
    code, out, err = golive("issues", "show", reference)
    assert code == 1 and out == ""
    assert f"there is no issue {reference!r}" in err and "issues list --all" in err


def test_a_bad_severity_is_refused_with_the_choices(golive, logged) -> None:
    code, _, err = golive("issues", "list", "--severity", "urgent")
    assert code == 2 and "use P1, P2, P3 or P4" in err


def test_list_shows_how_long_each_issue_has_been_open(database_url: str, logged, capsys) -> None:
    args = build_parser(["issues", "list"]).parse_args(["issues", "list"])
    settings = Settings(org=ORG, database_url=database_url)
    issues_command.run_list(args, settings, ManualClock(LOGGED + timedelta(hours=2, minutes=15)))
    lines = capsys.readouterr().out.splitlines()
    assert " new               2h  Ward 3" in lines[0] and " new           2h 10m  Ward 3" in lines[1]


def test_show_names_the_author_of_the_message_an_issue_was_logged_from(golive, db: Database) -> None:
    link = "https://trust.slack.com/archives/C0WARD3/p1700000000000200"
    draft = Draft("Printer jams", "Every label", "Ward 3", "Printing", "P3", "bleep 1", source_link=link,
                  raised_by="USTAFF")  # fmt: skip
    ref = IssueService(db, ORG, ORG.redactor(), ManualClock(LOGGED)).report(draft, "UFLOOR").issue.reference
    code, out, _ = golive("issues", "show", ref)
    assert code == 0 and f"Message:       {link} by USTAFF" in out
    assert json.loads(golive("issues", "show", ref, "--json")[1])["message_author"] == "USTAFF"


# What a hostile Slack user could store to take over the terminal of whoever triages: clear the screen,
# hide text, retitle the window, rewrite the line after a carriage return, and U+009B, the one-character
# CSI of C1. The reporter's id is as untrusted as the text.
HOSTILE = Draft(
    "Login fails\x1b[2J\x1b[H\x9b31m", "first line\r\x1b[8mhidden\nsecond\x08 line", "Ward\x9b2J 3",
    "Login\x07", "P1", "bleep \x1b]0;pwned\x07", raised_by="USTAFF\x1b[8m",
)  # fmt: skip


def _controls(out: str) -> set[str]:
    """Every control character in the output but the newline that ends its lines."""
    return {c for c in out if (c < " " and c != "\n") or "\x7f" <= c <= "\x9f"}


@pytest.fixture
def hostile(db: Database) -> str:
    """A P1 logged with escape sequences in every field, resolved with one in its note, then reopened."""
    service = IssueService(db, ORG, ORG.redactor(), ManualClock(LOGGED))
    ref = service.report(HOSTILE, "UREP\x9b2J").issue.reference
    service.resolve(ref, "UCSO", TEAM, "fixed", "done\x1b[1A\x1b[2K")
    service.reopen(ref, "UREP\x9b2J", TEAM, "back\ragain\x9b0m")
    return ref


@pytest.mark.parametrize(
    "command",
    [("list",), ("list", "--json"), ("show", "GL-0001"), ("show", "GL-0001", "--json"),
     ("export", "--format", "csv"), ("export", "--format", "json"), ("export", "--format", "hazard-log")],
)  # fmt: skip
def test_nothing_a_user_typed_can_steer_the_terminal(golive, hostile, command: tuple[str, ...]) -> None:
    code, out, _ = golive("issues", *command)
    assert code == 0 and hostile in out
    assert _controls(out) == set()


def test_list_and_show_keep_the_words_around_a_control_character(golive, hostile) -> None:
    _, listed, _ = golive("issues", "list")
    assert listed.splitlines()[0].endswith("Ward 2J 3 · Login: Login fails [2J [H 31m")
    _, card, _ = golive("issues", "show", hostile)
    assert card.splitlines()[1] == "Login fails [2J [H 31m"
    assert "What happened:\n  first line  [8mhidden\n  second  line\n" in card


def test_json_escapes_control_characters_but_reads_back_the_same(golive, hostile) -> None:
    _, out, _ = golive("issues", "show", hostile, "--json")
    record = json.loads(out)
    assert record["summary"] == HOSTILE.summary and record["message_author"] == "USTAFF\x1b[8m"
    assert "\\u009b31m" in out


def test_a_summary_or_description_cannot_fake_another_line_of_the_output(golive, db: Database) -> None:
    """A line break in a one-line field would start what looks like another issue or field; in the
    description it would start what looks like the card's own audit trail."""
    fake = "\nGL-0099  P1  new  0m  Ward 1 · Login: fake\nAudit trail:\n  2027 UCSO resolve"
    draft = Draft("Printer jams", f"Every label{fake}", "Ward 3", "Printing", "P3", "bleep 1")
    IssueService(db, ORG, ORG.redactor(), ManualClock(LOGGED)).report(draft, "UREP")
    with (
        db.session() as session
    ):  # the service keeps a summary to one line; an older version or an edit may not
        session.execute(text("UPDATE issues SET summary = :s"), {"s": f"Printer jams{fake}"})
    _, listed, _ = golive("issues", "list")
    assert listed.splitlines() == [listed.splitlines()[0], "1 open issue."]
    _, card, _ = golive("issues", "show", "GL-0001")
    assert card.count("\nAudit trail:\n") == 1 and "\n  Audit trail:\n" in card
    assert not any(line.startswith("GL-0099") for line in card.splitlines())
