"""`golive-bot validate` checks the config, the knowledge base and the plan together, as an admin runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
GOOD_ENTRY = """\
entries:
  - id: pas
    kind: jargon
    title: Patient administration system (PAS)
    answer: Where patients' appointments and admissions are recorded.
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A trust's folder with a valid knowledge base and nothing else; run from there."""
    (tmp_path / "knowledge").mkdir()
    (tmp_path / "knowledge" / "terms.yaml").write_text(GOOD_ENTRY)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)
    monkeypatch.delenv("GOLIVE_KNOWLEDGE_DIR", raising=False)
    monkeypatch.delenv("GOLIVE_SCHEDULES_DIR", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    return tmp_path


def test_a_broken_config_is_reported_with_knowledge_and_schedule_problems(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text("organisation: A Trust\ntimezone: Mars/Olympus\n")
    (site / "knowledge" / "more.yaml").write_text("entries:\n  - id: ward\n    kind: jargon\n")
    (site / "schedules").mkdir()
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n  - id: hello\n    channels: [C0123ABCD]\n    cron: '61 9 * * *'\n    text: Hi\n"
    )
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "golive.yaml:2: timezone: unknown time zone 'Mars/Olympus'" in out
    assert "more.yaml:2: ward: missing required field 'title'" in out
    assert "plan.yaml:4: cron:" in out
    assert "INVALID: 4 problem(s) in 3 file(s)" in out


def test_a_config_with_a_yaml_syntax_error_does_not_stop_the_other_checks(site: Path, capsys) -> None:
    config = site / "elsewhere.yaml"
    config.write_text("organisation: [A Trust\n")
    (site / "knowledge" / "more.yaml").write_text("entries: [\n")
    assert main(["validate", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert f"{config}:1: YAML syntax error" in out  # where the list opens
    assert "more.yaml:2: YAML syntax error" in out


def test_no_schedules_folder_is_not_an_error(site: Path, capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 1 entries") and "no schedules" in out


def test_no_knowledge_folder_is_an_error_that_says_how_to_point_at_one(site: Path, capsys) -> None:
    assert main(["validate", "--knowledge", "kb"]) == 1
    out = capsys.readouterr().out
    assert "kb: knowledge base folder not found" in out and "--knowledge DIR" in out


@pytest.mark.parametrize("command", [["ask", "what is pas"], ["start"]])
def test_the_bot_will_not_start_without_its_knowledge_folder_and_says_why(
    site: Path, capsys, command: list[str]
) -> None:
    assert main(["--knowledge", "missing", *command]) == 1
    err = capsys.readouterr().err
    assert "missing: knowledge base folder not found" in err and "--knowledge DIR" in err


def test_the_bot_still_refuses_to_start_on_a_broken_config(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text("escalation:\n  p1_ack_minutes: soon\n")
    assert main(["ask", "what is pas"]) == 1
    assert "golive.yaml:2: p1_ack_minutes: must be a whole number" in capsys.readouterr().err


def test_schedules_are_checked_against_what_could_be_read_of_a_broken_config(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text("timezone: Mars/Olympus\nchannels:\n  announcements: C0ANNOUNCE\n")
    (site / "schedules").mkdir()
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n  - id: hello\n    channels: [announcements]\n    cron: '0 9 * * *'\n    text: Hi\n"
    )
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "unknown time zone" in out and "plan.yaml" not in out


PLAN_NEEDING_THE_CONFIG = "".join(
    f"  - id: countdown-{n}\n    channels: [announcements]\n    relative: {{days_before: {n}, at: '09:00'}}\n"
    "    text: Hi\n"
    for n in range(1, 6)
)


def test_a_config_that_cannot_be_read_does_not_bury_itself_under_the_plan(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text("timezone: [Europe/London\n")
    (site / "schedules").mkdir()
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n" + PLAN_NEEDING_THE_CONFIG
        + "  - id: bad\n    channels: [C0123ABCD]\n    cron: '61 9 * * *'\n    text: Hi\n"
    )  # fmt: skip
    assert main(["validate"]) == 1
    first, *rest = capsys.readouterr().out.splitlines()
    assert first.startswith("golive.yaml:1: YAML syntax error")
    assert rest[0].startswith("schedules/plan.yaml:24: cron: '61 9 * * *'")  # the plan's own mistake stays
    assert rest[1] == (
        "schedules: 10 more problem(s) where the plan needs what the config could not give (its channels "
        "or go-live date); fix the config above and run validate again"
    )
    assert rest[2].startswith("INVALID") and len(rest) == 3


def test_empty_groups_are_warned_about_without_failing(site: Path, capsys) -> None:
    (site / "golive.yaml").write_text("people:\n  maintenance_team:\n    usergroup: S0SUPPORT\n")
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ")
    assert "maintenance_team" not in out  # it has its user group
    assert "people.clinical_safety_group is empty, so patient-safety issues can never be closed" in out
    assert "warning: people.comms_leads is empty" in out and "add Slack user ids (U0123ABCD)" in out
    assert "people.on_call_usergroup is not set, so P1 and patient-safety posts mention nobody" in out


def test_a_key_given_twice_is_reported_in_every_kind_of_file(site: Path, capsys) -> None:
    """YAML keeps only the last of two equal keys, so a trust's edit vanished without a word."""
    (site / "golive.yaml").write_text("timezone: Europe/London\ntimezone: Europe/Paris\n")
    (site / "knowledge" / "terms.yaml").write_text(GOOD_ENTRY + "    answer: Twice.\n")
    (site / "schedules").mkdir()
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n  - id: hello\n    channels: [C0123ABCD]\n    cron: '0 9 * * *'\n"
        "    cron: '0 10 * * *'\n    text: Hi\n"
    )
    assert main(["validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    dropped = "only the last would be used: remove one"
    assert out == [
        f"{Path('knowledge') / 'terms.yaml'}:6: pas: 'answer' is given twice (first on line 5); {dropped}",
        f"golive.yaml:2: timezone: 'timezone' is given twice (first on line 1); {dropped}",
        f"{Path('schedules') / 'plan.yaml'}:5: hello: 'cron' is given twice (first on line 4); {dropped}",
        "INVALID: 3 problem(s) in 3 file(s); fix them and run validate again.",
    ]


def test_a_file_given_as_the_knowledge_folder_is_named_as_such(site: Path, capsys) -> None:
    assert main(["validate", "--knowledge", "knowledge/terms.yaml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(
        "knowledge/terms.yaml: is a file, not a folder: give the folder that holds it (knowledge)"
    )


def test_a_key_of_the_trusts_own_in_the_knowledge_base_is_warned_about_without_failing(
    site: Path, capsys
) -> None:
    (site / "knowledge" / "terms.yaml").write_text(GOOD_ENTRY + "    owner: Clinical systems team\n")
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 1 entries")
    assert "terms.yaml:6: pas: warning: unknown key 'owner' is ignored" in out


def test_a_one_off_post_outside_its_own_phases_is_warned_about(site: Path, capsys) -> None:
    """Intensive support was made shorter: the day-21 go-live message now falls in maintenance."""
    (site / "golive.yaml").write_text(
        "golive:\n  start: 2027-01-18 07:00\n  intensive_support_ends: 2027-02-01 07:00\n"
    )
    (site / "schedules").mkdir()
    (site / "schedules" / "plan.yaml").write_text(
        "announcements:\n"
        "  - id: day-21\n    channels: [C0123ABCD]\n    relative: {days_after: 21}\n"
        "    phases: [go-live]\n    text: Three weeks in\n"
        "  - id: day-3\n    channels: [C0123ABCD]\n    relative: {days_after: 3}\n"
        "    phases: [go-live]\n    text: Three days in\n"
    )
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "plan.yaml:2: day-21: warning: due 2027-02-08 09:00 in the maintenance phase" in out
    assert "it will never be posted" in out and "day-3:" not in out


def test_a_schedules_folder_that_is_not_there_is_warned_of_as_the_whole_plan_unposted(
    site: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GOLIVE_SCHEDULES_DIR=/app/schedule (a slip) left serve posting no countdown and no briefing,
    while validate said OK with the folder's name tucked in its summary."""
    monkeypatch.setenv("GOLIVE_SCHEDULES_DIR", "schedule")
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 1 entries")
    assert (
        "schedule: warning: no schedules folder here, so no countdown, briefing or other post of the plan"
        " is made, only announcements from Slack"
    ) in out
    assert "GOLIVE_SCHEDULES_DIR or --schedules DIR" in out
