"""`golive-bot report`, `gaps` and `issues export` end to end: a real database, the real command line."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from cli_helpers import run_cli

from bot.answering.loader import load_knowledge
from bot.cli import main as cli
from bot.cli import report as report_command
from bot.clock import ManualClock
from bot.config import Group, OrgConfig, Settings
from bot.issues.model import Draft
from bot.issues.service import IssueService
from bot.roles import ConfiguredMembership
from bot.store.answers import mark_passed_to_support, record_feedback, record_unanswered
from bot.store.database import Database

ORG = OrgConfig(
    system_areas=("Login and access", "Prescribing and medicines"),
    maintenance_team=Group(frozenset({"UTEAM"})),
    clinical_safety_group=Group(frozenset({"UCSO"})),
)
TEAM = ConfiguredMembership()
PAS_ENTRY = """entries:
  - id: pas
    kind: jargon
    title: PAS
    aliases: [patient administration system]
    answer: The patient administration system.
"""
MARCH_27 = ["--from", "2027-03-27", "--to", "2027-03-29"]  # clocks go forward at 01:00 UTC on the 28th


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def golive(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """Runs `golive-bot ARGS` against the test database; returns (exit code, stdout, stderr)."""
    config = tmp_path / "golive.yaml"
    config.write_text("organisation: Test NHS Trust\ntimezone: Europe/London\n")
    monkeypatch.setenv("DATABASE_URL", database_url)
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "base.yaml").write_text(PAS_ENTRY)

    return lambda *args: run_cli(capsys, ["--config", str(config), "--knowledge", str(knowledge), *args])


@pytest.fixture
def seeded(db: Database) -> None:
    """Five issues with known times around the clock change, and some unanswered questions."""
    clock = ManualClock(at(25, 9))
    service = IssueService(db, ORG, ORG.redactor(), clock)

    def log(
        when: datetime, summary: str, severity: str, ack: int | None = None, fix: int | None = None
    ) -> None:
        clock.set(when)
        area = "Prescribing and medicines" if severity == "P1" else "Login and access"
        ref = service.report(
            Draft(summary, "details", "Ward 3", area, severity, "bleep 1"), "UREP"
        ).issue.reference
        if ack is not None:
            clock.set(when + timedelta(minutes=ack))
            service.acknowledge(ref, "UTEAM", TEAM)
        if fix is not None:
            clock.set(when + timedelta(minutes=fix))
            resolver = "UCSO" if severity == "P1" else "UTEAM"  # safety issues close only with the CSO
            assert service.resolve(ref, resolver, TEAM, "fixed", "done").issue.resolved_at

    log(at(25, 9), "Old printer fault", "P3", fix=3 * 24 * 60 + 3 * 60)  # resolved 28th 12:00 UTC
    log(at(27, 10), "Wrong dose unit", "P1", ack=4, fix=60)
    log(at(28, 23, 30), "Allergy banner missing", "P1", ack=10)  # 00:30 BST on the 29th
    log(at(28, 9), "Cannot log in", "P3", ack=30, fix=240)
    log(at(29, 8), "Results not filing", "P2", ack=50, fix=120)
    for question in ["what is snomed", "Wot's SNOMED??", "what is snomed", "how do I reset my password"]:
        record_unanswered(db, question, at(28, 12), "slack", "U1")


def test_report_json_gives_the_figures_for_the_period(golive, seeded) -> None:
    code, out, _ = golive("report", *MARCH_27, "--json")
    assert code == 0
    figures = json.loads(out)
    assert figures["opened"] == 4
    assert figures["by_severity"] == {"P1": 2, "P2": 1, "P3": 1, "P4": 0}
    assert figures["to_acknowledge"] == {
        "median_minutes": 20.0,
        "p90_minutes": 50.0,
        "measured": 4,
        "waiting": 0,
    }
    assert figures["p1_to_acknowledge"] == {
        "median_minutes": 7.0,
        "p90_minutes": 10.0,
        "measured": 2,
        "waiting": 0,
    }
    assert figures["to_resolve"] == {
        "median_minutes": 120.0,
        "p90_minutes": 240.0,
        "measured": 3,
        "waiting": 1,
    }
    assert figures["p1_to_resolve"] == {
        "median_minutes": 60.0,
        "p90_minutes": 60.0,
        "measured": 1,
        "waiting": 1,
    }
    assert figures["per_day"] == [
        {"day": "2027-03-27", "opened": 1, "resolved": 1},
        {"day": "2027-03-28", "opened": 1, "resolved": 2},
        {"day": "2027-03-29", "opened": 2, "resolved": 1},
    ]
    assert figures["unanswered_questions"][0] == {
        "question": "what is snomed",
        "count": 3,
        "passed_to_support": 0,
        "phrasings": ["what is snomed", "Wot's SNOMED??"],
    }


def test_report_says_which_unanswered_questions_were_passed_to_the_support_team(golive, seeded, db) -> None:
    waiting = record_unanswered(db, "how do I reset my password", at(28, 13), "slack", "U2")
    mark_passed_to_support(db, waiting)
    code, out, _ = golive("report", *MARCH_27)
    assert code == 0
    assert "2  how do I reset my password [1 passed to the support team]" in out
    code, out, _ = golive("report", *MARCH_27, "--json")
    passed = {g["question"]: g["passed_to_support"] for g in json.loads(out)["unanswered_questions"]}
    assert passed == {"what is snomed": 0, "how do I reset my password": 1}


def test_report_without_dates_covers_the_last_seven_local_days(database_url, seeded, capsys) -> None:
    args = cli.build_parser().parse_args(["report", "--json"])
    settings = Settings(org=OrgConfig(), database_url=database_url)
    late_on_the_29th = ManualClock(at(29, 23, 30))  # already 00:30 on the 30th in London
    assert report_command.run(args, settings, late_on_the_29th) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["from"], figures["to"]) == ("2027-03-24", "2027-03-30")
    assert figures["opened"] == 5


def test_report_text_reads_as_a_board_summary(golive, seeded) -> None:
    code, out, _ = golive("report", *MARCH_27)
    assert code == 0
    assert "Sat 27 Mar 2027 to Mon 29 Mar 2027 (Europe/London)" in out
    assert "Issues opened: 4" in out
    assert "to acknowledge, P1          7m       10m         2         0" in out
    assert "to resolve                  2h        4h         3         1" in out
    assert "Sun 28 Mar 2027             1         2" in out
    assert '3  what is snomed (also "Wot\'s SNOMED??")' in out


def test_report_chart_is_a_png(golive, seeded, tmp_path: Path) -> None:
    chart = tmp_path / "week.png"
    code, _, err = golive("report", *MARCH_27, "--chart", str(chart))
    assert code == 0 and f"Chart written to {chart}" in err
    assert chart.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "--from", "2027-03-29", "--to", "2027-03-27"],
            "--from 2027-03-29 is after --to 2027-03-27",
        ),
        (["report", "--from", "29/03/2027"], "'29/03/2027' is not a date; write it as YYYY-MM-DD"),
        (["report", "--chart", "week.pdf"], "name the file with .png, e.g. week.png"),
        (["report", "--chart", "no/such/folder/week.png"], "the folder no/such/folder does not exist"),
        (["gaps", "--min-count", "0"], "'0' is not allowed; give a whole number of 1 or more"),
        (["issues", "export", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["issues", "export", "--output", "no/such/dir/x.csv"], "the folder no/such/dir does not exist"),
        (["issues"], "required: ACTION"),
    ],
)
def test_bad_options_are_explained_and_fail(golive, args: list[str], message: str) -> None:
    code, out, err = golive(*args)
    assert code == 2
    assert message in err
    assert out == ""


def test_gaps_prints_stubs_that_validate_once_answered(golive, seeded, tmp_path: Path) -> None:
    code, out, _ = golive("gaps", *MARCH_27)
    assert code == 0
    entries = yaml.safe_load(out)["entries"]
    assert [(e["id"], e["kind"], e["title"]) for e in entries] == [
        ("snomed", "jargon", "snomed"),
        ("reset-password", "howto", "How do I reset my password?"),
    ]
    assert "  # asked 3 times on 2027-03-28" in out
    (tmp_path / "knowledge" / "gaps.yaml").write_text(out.replace("answer: TODO", "answer: Written by us."))
    loaded = load_knowledge(tmp_path / "knowledge")
    assert [e.id for e in loaded.entries] == ["pas", "snomed", "reset-password"]


def test_gaps_leave_out_questions_the_knowledge_base_now_answers(golive, seeded, tmp_path: Path) -> None:
    (tmp_path / "knowledge" / "new.yaml").write_text(
        "entries:\n  - {id: snomed-ct, kind: jargon, title: SNOMED CT, answer: A clinical terminology.}\n"
    )
    code, out, err = golive("gaps", *MARCH_27)
    assert code == 0
    assert [e["id"] for e in yaml.safe_load(out)["entries"]] == ["reset-password"]
    assert "Left out 1 group(s) that the knowledge base answers now." in err


def test_gaps_keep_a_question_that_held_an_nhs_number_as_the_bot_did(golive, db, tmp_path: Path) -> None:
    """'[NHS number removed]' is not a question about NHS numbers: gaps match as the bot does."""
    (tmp_path / "knowledge" / "nhs.yaml").write_text(
        "entries:\n  - {id: nhs-number, kind: jargon, title: NHS number, answer: The patient's number.}\n"
    )
    for _ in range(3):
        record_unanswered(db, "whose is [NHS number removed]", at(28, 12), "slack", "U1")
    code, out, err = golive("gaps", *MARCH_27)
    assert code == 0 and "Left out" not in err
    assert len(yaml.safe_load(out)["entries"]) == 1


def test_gaps_still_print_stubs_when_the_knowledge_base_is_broken(golive, seeded, tmp_path: Path) -> None:
    (tmp_path / "knowledge" / "base.yaml").write_text("entries: [")
    code, out, err = golive("gaps", *MARCH_27)
    assert code == 0
    assert len(yaml.safe_load(out)["entries"]) == 2
    assert "Could not read the knowledge base" in err and "YAML syntax error" in err


def test_gaps_ends_with_phrasings_people_chose_an_entry_for_as_aliases_to_add(
    golive, seeded, db, tmp_path
) -> None:
    record_feedback(db, "pas", "the admin system for the ward clerks", True, "U1", at(28, 10))
    record_feedback(db, "pas", "what is PAS", True, "U1", at(28, 11))  # answered with it already
    code, out, _ = golive("gaps", *MARCH_27)
    assert code == 0
    knowledge = tmp_path / "knowledge" / "base.yaml"
    assert f"#   pas ({knowledge}, line 2):\n#     - the admin system for the ward clerks  (1x)" in out
    assert "what is PAS" not in out
    assert len(yaml.safe_load(out)["entries"]) == 2  # the stubs above still parse


def test_gaps_min_count_leaves_out_rarer_questions_and_says_when_nothing_is_left(golive, seeded) -> None:
    code, out, _ = golive("gaps", *MARCH_27, "--min-count", "2")
    assert [e["id"] for e in yaml.safe_load(out)["entries"]] == ["snomed"]
    code, out, err = golive("gaps", *MARCH_27, "--min-count", "4")
    assert (code, out) == (0, "")
    assert "No unanswered questions asked 4 or more times from 2027-03-27 to 2027-03-29" in err


def test_export_writes_every_issue_in_the_range_to_a_file(golive, seeded, tmp_path: Path) -> None:
    target = tmp_path / "issues.csv"
    code, _, err = golive("issues", "export", "--output", str(target), "--from", "2027-03-28")
    assert code == 0 and f"to {target}" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [r["summary"] for r in rows] == ["Allergy banner missing", "Cannot log in", "Results not filing"]


def test_export_hazard_log_and_json_on_standard_output(golive, seeded) -> None:
    code, out, _ = golive("issues", "export", "--format", "hazard-log")
    assert code == 0
    assert [r["Hazard description"] for r in csv.DictReader(io.StringIO(out))] == [
        "Wrong dose unit",
        "Allergy banner missing",
    ]
    code, out, _ = golive("issues", "export", "--format", "json", "--to", "2027-03-27")
    assert [i["reference"] for i in json.loads(out)["issues"]] == ["GL-0001", "GL-0002"]


def test_an_age_measured_against_a_clock_a_little_ahead_reads_zero_not_minus_a_day() -> None:
    assert report_command.duration_text(timedelta(seconds=-40)) == "0m"
