from pathlib import Path

import pytest

from bot.config import load_org_config, load_settings
from bot.yamlsource import InvalidFile

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "golive.yaml"
    path.write_text(text)
    return path


def test_the_shipped_config_is_valid_and_in_uk_time() -> None:
    org = load_org_config(ROOT / "golive.yaml")
    assert org.timezone.key == "Europe/London"
    assert org.golive.start is not None and org.golive.start.utcoffset().total_seconds() == 0
    assert org.locations and org.system_areas and org.contacts


def test_a_time_zone_name_too_long_for_any_zone_is_reported_not_crashed(tmp_path: Path) -> None:
    path = write(tmp_path, f"timezone: Europe/{'x' * 300}\n")
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    assert f"{path}:1: timezone: unknown time zone" in str(caught.value)


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timezone: Mars/Olympus\n"
        "golive:\n  start: 2027-01-18 07:00\n  intensive_support_ends: 2027-01-01 07:00\n"
        "channels:\n  triage: not a channel\n"
        "escalation:\n  p1_ack_minutes: 0\n"
        "colour: blue\n",
    )
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    text = str(caught.value)
    assert f"{path}:1: timezone: unknown time zone" in text
    assert f"{path}:4: intensive_support_ends: must be after" in text
    assert f"{path}:6: triage:" in text
    assert f"{path}:8: p1_ack_minutes:" in text
    assert f"{path}:9: colour: unknown setting" in text


def test_yaml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "organisation: Trust\nchannels: [unclosed\n")
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    assert caught.value.problems[0].line >= 2
    assert "YAML syntax error" in str(caught.value)


def test_environment_supplies_secrets_and_repr_hides_them(tmp_path: Path) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-secret-token",
        "SLACK_SIGNING_SECRET": "shh-signing",
        "DATABASE_URL": "postgres://bot:pa55word@db.example/golive",
    }
    settings = load_settings(env, config_file=str(write(tmp_path, "organisation: A Trust\n")))
    assert settings.has_slack and settings.org.organisation == "A Trust"
    shown = repr(settings)
    assert "xoxb" not in shown and "shh" not in shown and "pa55word" not in shown


def test_without_a_config_file_the_bot_runs_on_built_in_defaults(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.org.source == "(built-in defaults)"
    assert settings.database_url.startswith("sqlite:///") and not settings.has_slack


def test_a_missing_config_file_says_so_plainly(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as caught:
        load_org_config(tmp_path / "nope.yaml")
    assert str(caught.value) == f"{tmp_path / 'nope.yaml'}: file not found: check the path"


def test_a_trusts_identifier_pattern_catches_the_identifier_typed_in_any_case() -> None:
    redactor = load_org_config(ROOT / "golive.yaml").redactor()
    assert redactor.redact("patient a1234567 on ward 3").text == "patient [hospital number removed] on ward 3"


def test_a_location_longer_than_the_issue_form_stores_is_a_problem(tmp_path: Path) -> None:
    """It could be picked in the form, then every report from that ward would be refused."""
    path = write(tmp_path, "locations:\n  - Ward 3\n  - " + "Very long ward name " * 6 + "\n")
    with pytest.raises(InvalidFile) as caught:
        load_org_config(path)
    (problem,) = caught.value.problems
    assert problem.line == 1 and "keep each name to 100 characters" in problem.message
